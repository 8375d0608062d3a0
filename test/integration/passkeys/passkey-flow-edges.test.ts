import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClientConfigResponse, Passkey, PasskeySignalsResponse, SessionResponse } from "../../../common/api-contract";
import { loadLocalConfig } from "../../../common/local-config";
import { startTestStack, type TestStack } from "../../support/stack";
import { errorOf, strongPassword, uniqueEmail } from "../bff/flows";
import { authenticatorFor, passwordStepToChoice, registerPasskey, userWithPasskey } from "./passkey-flows";

/**
 * Passkeys around the edges of the sign-in flow: passkey-first independent of a pending password
 * sign-in (two accounts in one browser), the unknown-credential reason the Signal API needs, the
 * Signal API's account details, and a passkey created right after sign-up.
 */
describe("passkeys around the sign-in flow", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.close());

  async function options(client: ReturnType<TestStack["client"]>, body: Record<string, unknown>): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const response = await client.post<PublicKeyCredentialRequestOptionsJSON>("/api/signin/passkey/options", body);
    expect(response.status, response.text).toBe(200);
    return response.body;
  }

  describe("two accounts in one browser: A typed the password, B's passkey signs in", () => {
    it("offers usernameless options for purpose passkey-first although A's sign-in is pending, and signs B in", async () => {
      const alice = await userWithPasskey(stack);
      const bob = await userWithPasskey(stack);
      const browser = await passwordStepToChoice(stack, alice.email);

      const usernameless = await options(browser, { purpose: "passkey-first" });
      expect(usernameless.allowCredentials).toEqual([]);
      const done = await browser.post("/api/signin/passkey", { credential: bob.authenticator.authenticate(usernameless) });
      expect(done.status, done.text).toBe(200);
      expect((await browser.get<SessionResponse>("/api/session")).body).toMatchObject({ authenticated: true, user: { email: bob.email }, amr: ["swk", "user"] });
      // A's pending sign-in ended with it.
      expect((await browser.get("/api/signin")).body).toEqual({ pending: false });
    });

    it("offers B's passkey after A's pending sign-in is ended with DELETE /api/signin, even for {}", async () => {
      const alice = await userWithPasskey(stack);
      const bob = await userWithPasskey(stack);
      const browser = await passwordStepToChoice(stack, alice.email);
      expect((await browser.delete("/api/signin", {})).status).toBe(204);

      const plain = await options(browser, {});
      expect(plain.allowCredentials).toEqual([]);
      const done = await browser.post("/api/signin/passkey", { credential: bob.authenticator.authenticate(plain) });
      expect(done.status, done.text).toBe(200);
      expect((await browser.get<SessionResponse>("/api/session")).body).toMatchObject({ user: { email: bob.email } });
    });

    it("still offers only A's credentials for purpose second-factor, and refuses it with no pending sign-in", async () => {
      const alice = await userWithPasskey(stack);
      await userWithPasskey(stack);
      const browser = await passwordStepToChoice(stack, alice.email);
      expect((await options(browser, { purpose: "second-factor" })).allowCredentials?.map((allowed) => allowed.id)).toEqual([alice.passkey.id]);

      const stranger = await stack.client().post("/api/signin/passkey/options", { purpose: "second-factor" });
      expect(stranger.status).toBe(400);
      expect(errorOf(stranger).code).toBe("no_pending_signin");
    });

    it("refuses an unknown purpose (400 bad_request)", async () => {
      const response = await stack.client().post("/api/signin/passkey/options", { purpose: "anything" });
      expect(response.status).toBe(400);
      expect(errorOf(response).code).toBe("bad_request");
    });
  });

  describe("what the Signal API needs", () => {
    it("says reason unknown_credential when the account does not know the passkey", async () => {
      const { client, authenticator, passkey } = await userWithPasskey(stack);
      expect((await client.delete(`/api/passkeys/${passkey.id}`)).status).toBe(204);
      const browser = stack.client();
      const refused = await browser.post("/api/signin/passkey", { credential: authenticator.authenticate(await options(browser, { purpose: "passkey-first" })) });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ error: { code: "passkey_rejected", reason: "unknown_credential" } });
    });

    it("lists the account's accepted credentials, its user handle and names at GET /api/passkeys/signals", async () => {
      const { client, email, authenticator, passkey } = await userWithPasskey(stack);
      const second = await registerPasskey(client, authenticator);
      const signals = await client.get<PasskeySignalsResponse>("/api/passkeys/signals");
      expect(signals.status).toBe(200);
      expect(signals.body).toEqual({
        rpId: "127.0.0.1",
        userId: authenticator.credentials[0]!.userHandle,
        allAcceptedCredentialIds: expect.arrayContaining([passkey.id, second.body.id]),
        name: email,
        displayName: email,
      });
      expect(signals.body.allAcceptedCredentialIds).toHaveLength(2);
    });

    it("answers 401 unauthenticated to GET /api/passkeys/signals without a session", async () => {
      const response = await stack.client().get("/api/passkeys/signals");
      expect(response.status).toBe(401);
    });
  });

  describe("a passkey right after sign-up", () => {
    async function signUp(email: string) {
      const client = stack.client();
      expect((await client.post("/api/signup", { email, password: strongPassword })).status).toBe(201);
      return client;
    }

    it("signs the new user in when the confirmation carries the password, recently enough to add a passkey", async () => {
      const email = uniqueEmail("signup-passkey");
      const client = await signUp(email);
      const mails = (await stack.outbox(email)).length;
      const confirmed = await client.post("/api/signup/confirm", { email, code: await stack.latestCode(email), password: strongPassword });
      expect(confirmed.status, confirmed.text).toBe(200);
      expect(confirmed.body).toEqual({ next: "done", redirectTo: "/account" });
      expect((await client.get<SessionResponse>("/api/session")).body).toMatchObject({ authenticated: true, user: { email }, amr: ["pwd", "otp", "mfa"] });
      // No second code was mailed for this sign-in.
      expect(await stack.outbox(email)).toHaveLength(mails);

      const authenticator = authenticatorFor(stack);
      const registered = await registerPasskey(client, authenticator);
      expect(registered.status, registered.text).toBe(201);
      const passkeyFirst = stack.client();
      const done = await passkeyFirst.post("/api/signin/passkey", { credential: authenticator.authenticate(await options(passkeyFirst, { purpose: "passkey-first" })) });
      expect(done.status, done.text).toBe(200);
      expect((await passkeyFirst.get<Passkey[]>("/api/passkeys")).body).toHaveLength(1);
    });

    it("confirms but does not sign in when the password is wrong: next signin", async () => {
      const email = uniqueEmail("signup-wrong");
      const client = await signUp(email);
      const confirmed = await client.post("/api/signup/confirm", { email, code: await stack.latestCode(email), password: "Not-The-Password-1" });
      expect(confirmed.body).toEqual({ next: "signin" });
      expect((await client.get<SessionResponse>("/api/session")).body).toEqual({ authenticated: false });
    });

    it("signs nobody in when the code is wrong, password or not", async () => {
      const email = uniqueEmail("signup-badcode");
      const client = await signUp(email);
      const code = await stack.latestCode(email);
      const wrong = code.replace(/^./, (digit) => String((Number(digit) + 1) % 10));
      const refused = await client.post("/api/signup/confirm", { email, code: wrong, password: strongPassword });
      expect(refused.status).toBe(400);
      expect(errorOf(refused).code).toBe("code_mismatch");
      expect((await client.get<SessionResponse>("/api/session")).body).toEqual({ authenticated: false });
    });

    it("keeps {next:signin} for a confirmation without the password", async () => {
      const email = uniqueEmail("signup-plain");
      const client = await signUp(email);
      expect((await client.post("/api/signup/confirm", { email, code: await stack.latestCode(email) })).body).toEqual({ next: "signin" });
      expect((await client.get<SessionResponse>("/api/session")).body).toEqual({ authenticated: false });
    });
  });

  it("tells the SPA it runs in sign-in mode at GET /api/config, with the pool's password policy for its checklist", async () => {
    const response = await stack.client().get<ClientConfigResponse>("/api/config");
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ mode: "sign-in", passwordPolicy: loadLocalConfig().userPool.passwordPolicy });
  });
});
