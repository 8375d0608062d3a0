import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionResponse } from "../../../common/api-contract";
import { startTestStack, type TestStack } from "../../support/stack";
import { errorOf } from "../bff/flows";
import { signInOptions, userWithPasskey } from "./passkey-flows";

describe("passkey-first sign-in: no password, the credential names the user", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.close());

  it("offers usernameless options (empty allowCredentials) when no sign-in is pending", async () => {
    const options = await signInOptions(stack.client());
    expect(options.allowCredentials).toEqual([]);
    expect(options.userVerification).toBe("required");
    expect(options.challenge).toMatch(/^[\w-]{43}$/);
  });

  it("signs the credential's owner in with amr swk + user (no mfa) when the authenticator is not known to be hardware-bound", async () => {
    const { email, authenticator } = await userWithPasskey(stack);
    const client = stack.client();
    const done = await client.post("/api/signin/passkey", { credential: authenticator.authenticate(await signInOptions(client)) });
    expect(done.status, done.text).toBe(200);
    expect((await client.get<SessionResponse>("/api/session")).body).toMatchObject({ authenticated: true, user: { email }, amr: ["swk", "user"] });
  });

  it("signs the credential's owner in with amr hwk + user (no mfa) for a security key the AAGUID list knows, sending no message", async () => {
    const { email, authenticator } = await userWithPasskey(stack, { aaguid: "cb69481e-8ff7-4039-93ec-0a2729a154a8" });
    const before = (await stack.outbox(email)).length;
    const client = stack.client();
    const done = await client.post("/api/signin/passkey", { credential: authenticator.authenticate(await signInOptions(client)) });
    expect(done.status, done.text).toBe(200);
    expect(done.body).toEqual({ next: "done", redirectTo: "/account" });
    const session = await client.get<SessionResponse>("/api/session");
    expect(session.body).toMatchObject({ authenticated: true, user: { email }, amr: ["hwk", "user"] });
    expect(await stack.outbox(email)).toHaveLength(before);
  });

  it("signs in with a passkey whose assertion carries no user handle", async () => {
    const { email, authenticator } = await userWithPasskey(stack, { synced: true });
    const client = stack.client();
    const done = await client.post("/api/signin/passkey", {
      credential: authenticator.authenticate(await signInOptions(client), { synced: true, omitUserHandle: true }),
    });
    expect(done.status, done.text).toBe(200);
    expect((await client.get<SessionResponse>("/api/session")).body).toMatchObject({ user: { email }, amr: ["swk", "user"] });
  });

  it("refuses a passkey deleted from the account", async () => {
    const { client: owner, authenticator, passkey } = await userWithPasskey(stack);
    expect((await owner.delete(`/api/passkeys/${passkey.id}`)).status).toBe(204);
    const client = stack.client();
    const response = await client.post("/api/signin/passkey", { credential: authenticator.authenticate(await signInOptions(client)) });
    expect(response.status).toBe(400);
    expect(errorOf(response).code).toBe("passkey_rejected");
  });

  it("refuses an assertion without a challenge issued to this browser", async () => {
    const { authenticator } = await userWithPasskey(stack);
    const options = await signInOptions(stack.client());
    const response = await stack.client().post("/api/signin/passkey", { credential: authenticator.authenticate(options) });
    expect(response.status).toBe(400);
    expect(errorOf(response).code).toBe("passkey_rejected");
  });
});
