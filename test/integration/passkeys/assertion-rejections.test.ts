import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionResponse } from "../../../common/api-contract";
import type { HttpClient } from "../../support/http-client";
import type { CeremonyOverrides } from "../../support/software-authenticator";
import { startTestStack, type TestStack } from "../../support/stack";
import { errorOf } from "../bff/flows";
import { expireHeldChallenge, passwordStepToChoice, signInOptions, userWithPasskey } from "./passkey-flows";

/**
 * Every way a passkey assertion is refused (WebAuthn L3 §7.2), one test each: 400
 * passkey_rejected with a message for people, no session, nothing sent to Cognito's answer.
 */
describe("passkey assertions the BFF rejects (POST /api/signin/passkey)", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.close());

  async function expectRejected(client: HttpClient, credential: unknown) {
    const response = await client.post("/api/signin/passkey", { credential });
    expect(response.status, response.text).toBe(400);
    expect(errorOf(response)).toMatchObject({ code: "passkey_rejected", message: expect.stringMatching(/passkey/i) });
    expect((await client.get<SessionResponse>("/api/session")).body).toEqual({ authenticated: false });
    return errorOf(response);
  }

  async function secondStep(overrides: CeremonyOverrides) {
    const { email, authenticator } = await userWithPasskey(stack);
    const client = await passwordStepToChoice(stack, email);
    return expectRejected(client, authenticator.authenticate(await signInOptions(client), overrides));
  }

  it("rejects an assertion made for another origin", async () => {
    await secondStep({ origin: "https://evil.example" });
  });

  it("rejects an assertion scoped to another RP ID", async () => {
    await secondStep({ rpId: "evil.example" });
  });

  it("rejects an assertion without user verification (UV flag missing)", async () => {
    await secondStep({ userVerified: false });
  });

  it("rejects an assertion over a challenge the BFF did not issue", async () => {
    await secondStep({ challenge: Buffer.from("forged").toString("base64url") });
  });

  it("rejects a counter that goes backwards (a cloned authenticator)", async () => {
    const { email, authenticator } = await userWithPasskey(stack);
    const first = await passwordStepToChoice(stack, email);
    const ok = await first.post("/api/signin/passkey", { credential: authenticator.authenticate(await signInOptions(first), { counter: 5 }) });
    expect(ok.status, ok.text).toBe(200);
    const second = await passwordStepToChoice(stack, email);
    await expectRejected(second, authenticator.authenticate(await signInOptions(second), { counter: 3 }));
  });

  it("rejects a replayed assertion (the challenge is single-use)", async () => {
    const { email, authenticator } = await userWithPasskey(stack);
    const client = await passwordStepToChoice(stack, email);
    const credential = authenticator.authenticate(await signInOptions(client));
    const attacker = client.fork();
    expect((await client.post("/api/signin/passkey", { credential })).status).toBe(200);
    const error = await expectRejected(attacker, credential);
    expect(error.message).toMatch(/expired|already used/);
  });

  it("rejects an assertion whose challenge has expired", async () => {
    const { email, authenticator } = await userWithPasskey(stack);
    const client = await passwordStepToChoice(stack, email);
    const options = await signInOptions(client);
    await expireHeldChallenge(stack, client, "passkeySignIn");
    await expectRejected(client, authenticator.authenticate(options));
  });

  it("rejects an unknown credential", async () => {
    const { email, authenticator } = await userWithPasskey(stack);
    const client = await passwordStepToChoice(stack, email);
    const credential = authenticator.authenticate(await signInOptions(client));
    const unknownId = Buffer.from("a credential nobody registered").toString("base64url");
    const error = await expectRejected(client, { ...credential, id: unknownId, rawId: unknownId });
    expect(error.message).toMatch(/recognise/);
  });

  it("rejects a malformed response (missing signature) with passkey_rejected, not a 500", async () => {
    const { email, authenticator } = await userWithPasskey(stack);
    const client = await passwordStepToChoice(stack, email);
    const credential = authenticator.authenticate(await signInOptions(client));
    const { signature: _signature, ...withoutSignature } = credential.response;
    await expectRejected(client, { ...credential, response: withoutSignature });
  });

  it("rejects a well-formed response with garbage authenticator data", async () => {
    const { email, authenticator } = await userWithPasskey(stack);
    const client = await passwordStepToChoice(stack, email);
    const credential = authenticator.authenticate(await signInOptions(client));
    await expectRejected(client, { ...credential, response: { ...credential.response, authenticatorData: "AAAA" } });
  });

  it("rejects a user handle that is not the credential owner's", async () => {
    const { email, authenticator } = await userWithPasskey(stack);
    const client = await passwordStepToChoice(stack, email);
    const credential = authenticator.authenticate(await signInOptions(client));
    await expectRejected(client, { ...credential, response: { ...credential.response, userHandle: Buffer.from("someone-else").toString("base64url") } });
  });
});
