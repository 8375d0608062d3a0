import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionResponse } from "../../../common/api-contract";
import { startTestStack, type TestStack } from "../../support/stack";
import { errorOf, storedSession } from "../bff/flows";
import { dropPendingSignIn, passwordStepToChoice, signInOptions, userWithPasskey } from "./passkey-flows";

describe("passkey as the second step (POST /api/signin → choose → /api/signin/passkey)", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.close());

  it("answers next:choose for a user with a passkey and sends no code", async () => {
    const { email } = await userWithPasskey(stack);
    const before = (await stack.outbox(email)).length;
    await passwordStepToChoice(stack, email);
    expect(await stack.outbox(email)).toHaveLength(before);
  });

  it("offers request options for the pending user's credentials only, user verification required", async () => {
    const { email, passkey } = await userWithPasskey(stack);
    await userWithPasskey(stack); // another user's passkey must not appear
    const client = await passwordStepToChoice(stack, email);
    const options = await signInOptions(client);
    expect(options.rpId).toBe("127.0.0.1");
    expect(options.userVerification).toBe("required");
    expect(options.allowCredentials).toEqual([{ id: passkey.id, type: "public-key", transports: ["internal"] }]);
  });

  it("signs in with password + a single-device passkey of an unknown authenticator: amr pwd, swk, user, mfa; no message sent", async () => {
    const { email, authenticator, client: registeringClient } = await userWithPasskey(stack);
    const before = (await stack.outbox(email)).length;
    const client = await passwordStepToChoice(stack, email);
    const credential = authenticator.authenticate(await signInOptions(client));
    const done = await client.post("/api/signin/passkey", { credential });
    expect(done.status, done.text).toBe(200);
    expect(done.body).toEqual({ next: "done", redirectTo: "/account" });
    const session = await client.get<SessionResponse>("/api/session");
    expect(session.body).toMatchObject({ authenticated: true, user: { email }, amr: ["pwd", "swk", "user", "mfa"] });
    expect(await stack.outbox(email)).toHaveLength(before);
    expect(await storedSession(stack, client, "signin")).toBeUndefined();
    // The passkey now shows when it was last used.
    const [listed] = (await registeringClient.get<{ lastUsedAt: string | null }[]>("/api/passkeys")).body;
    expect(listed?.lastUsedAt).toEqual(expect.any(String));
  });

  it("records a synced passkey as swk", async () => {
    const { email, authenticator } = await userWithPasskey(stack, { synced: true });
    const client = await passwordStepToChoice(stack, email);
    const done = await client.post("/api/signin/passkey", { credential: authenticator.authenticate(await signInOptions(client), { synced: true }) });
    expect(done.status, done.text).toBe(200);
    expect((await client.get<SessionResponse>("/api/session")).body).toMatchObject({ amr: ["pwd", "swk", "user", "mfa"] });
  });

  it("still sends a code when the user chooses the code instead", async () => {
    const { email } = await userWithPasskey(stack);
    const client = await passwordStepToChoice(stack, email);
    const sent = await client.post("/api/signin/otp/send", {});
    expect(sent.body).toMatchObject({ next: "otp" });
    const done = await client.post("/api/signin/otp", { code: await stack.latestCode(email) });
    expect(done.status, done.text).toBe(200);
    expect((await client.get<SessionResponse>("/api/session")).body).toMatchObject({ amr: ["pwd", "otp", "mfa"] });
  });

  it("lets the user switch to the passkey after asking for a code (a fresh Cognito round)", async () => {
    const { email, authenticator } = await userWithPasskey(stack);
    const client = await passwordStepToChoice(stack, email);
    await client.post("/api/signin/otp/send", {});
    const done = await client.post("/api/signin/passkey", { credential: authenticator.authenticate(await signInOptions(client)) });
    expect(done.status, done.text).toBe(200);
  });

  it("rejects another user's passkey during this user's second step", async () => {
    const victim = await userWithPasskey(stack);
    const attacker = await userWithPasskey(stack);
    const client = await passwordStepToChoice(stack, victim.email);
    const options = await signInOptions(client);
    const response = await client.post("/api/signin/passkey", {
      credential: attacker.authenticator.authenticate(options, {}, attacker.authenticator.credentials[0]),
    });
    expect(response.status).toBe(400);
    expect(errorOf(response).code).toBe("passkey_rejected");
    expect((await client.get<SessionResponse>("/api/session")).body).toEqual({ authenticated: false });
  });

  it("answers session_expired when the pending sign-in is gone", async () => {
    const { email, authenticator } = await userWithPasskey(stack);
    const client = await passwordStepToChoice(stack, email);
    const options = await signInOptions(client);
    await dropPendingSignIn(stack, client);
    const response = await client.post("/api/signin/passkey", { credential: authenticator.authenticate(options) });
    expect(response.status).toBe(401);
    expect(errorOf(response).code).toBe("session_expired");
  });
});
