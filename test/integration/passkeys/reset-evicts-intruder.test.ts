import { GetUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Passkey, SessionResponse } from "../../../common/api-contract";
import type { HttpClient } from "../../support/http-client";
import { startTestStack, type TestStack } from "../../support/stack";
import { errorOf, passwordStep, signUpConfirmed } from "../bff/flows";
import { passwordSignIn, sdkClient, type TestEmulator } from "../emulator/support";
import { ageFactorProof, userWithPasskey } from "./passkey-flows";

/**
 * A password reset evicts whoever held the account (OWASP Forgot Password Cheat Sheet;
 * docs/architecture.md, "After a password reset"): an intruder with the password and the mailbox
 * signs in and adds a passkey; the owner resets the password; the intruder's passkey no longer
 * signs in, the intruder's Cognito tokens (also ones the BFF never saw) are signed out, and a
 * sign-in the intruder began before the reset dies with it. The owner confirms a paused passkey
 * on the account page to use it again.
 */

const NEW_PASSWORD = "Evicted-Intruder-7";

describe("a password reset evicts an intruder", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.close());

  async function passkeyFirstOptions(client: HttpClient): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const response = await client.post<PublicKeyCredentialRequestOptionsJSON>("/api/signin/passkey/options", { purpose: "passkey-first" });
    expect(response.status, response.text).toBe(200);
    return response.body;
  }

  async function resetPassword(email: string): Promise<void> {
    const owner = stack.client();
    expect((await owner.post("/api/password/forgot", { email })).status).toBe(200);
    const reset = await owner.post("/api/password/reset", { email, code: await stack.latestCode(email), password: NEW_PASSWORD });
    expect(reset.status, reset.text).toBe(200);
  }

  async function ownerSignsIn(email: string): Promise<HttpClient> {
    const owner = stack.client();
    // The paused passkey is not offered: the code is sent at once.
    await passwordStep(owner, email, NEW_PASSWORD);
    const done = await owner.post("/api/signin/otp", { code: await stack.latestCode(email) });
    expect(done.status, done.text).toBe(200);
    return owner;
  }

  it("refuses the intruder's passkey, ends the intruder's session, Cognito tokens and pending sign-in", async () => {
    // The intruder signs in with the stolen password and mailbox, and adds a passkey.
    const intruder = await userWithPasskey(stack);
    const { email, password } = intruder;
    // Tokens the BFF never saw: a direct sign-in through Cognito's API.
    const cognito = sdkClient(stack.emulatorUrl);
    const direct = await passwordSignIn({ cognito, emulator: stack.emulator } as unknown as TestEmulator, email, password);
    // A second sign-in, begun before the reset and waiting for its code.
    const pending = stack.client();
    expect((await pending.post("/api/signin", { email, password })).body).toMatchObject({ next: "choose" });
    expect((await pending.post("/api/signin/otp/send", {})).status).toBe(200);
    const pendingCode = await stack.latestCode(email);

    await resetPassword(email);

    const browser = stack.client();
    const refused = await browser.post("/api/signin/passkey", { credential: intruder.authenticator.authenticate(await passkeyFirstOptions(browser)) });
    expect(refused.status, refused.text).toBe(400);
    expect(errorOf(refused)).toMatchObject({ code: "passkey_rejected", message: expect.stringMatching(/paused when your password was reset/) });
    expect((await browser.get<SessionResponse>("/api/session")).body).toEqual({ authenticated: false });

    expect((await intruder.client.get<SessionResponse>("/api/session")).body).toEqual({ authenticated: false });
    await expect(cognito.send(new GetUserCommand({ AccessToken: direct.AccessToken! }))).rejects.toMatchObject({ name: "NotAuthorizedException" });
    const late = await pending.post("/api/signin/otp", { code: pendingCode });
    expect(errorOf(late).code).toBe("session_expired");
    cognito.destroy();
  });

  it("signs the user out of Cognito everywhere even when no Tobira session of theirs is left to lend a token", async () => {
    const { email, password } = await signUpConfirmed(stack);
    // Tokens the BFF never saw, and no BFF session: only AdminUserGlobalSignOut can end them.
    const cognito = sdkClient(stack.emulatorUrl);
    const direct = await passwordSignIn({ cognito, emulator: stack.emulator } as unknown as TestEmulator, email, password);

    await resetPassword(email);

    await expect(cognito.send(new GetUserCommand({ AccessToken: direct.AccessToken! }))).rejects.toMatchObject({ name: "NotAuthorizedException" });
    cognito.destroy();
  });

  it("lets the owner confirm the paused passkey on the account page, after which it signs in again", async () => {
    const { email, authenticator, passkey } = await userWithPasskey(stack);
    await resetPassword(email);
    const owner = await ownerSignsIn(email);

    const listed = await owner.get<Passkey[]>("/api/passkeys");
    expect(listed.body).toEqual([expect.objectContaining({ id: passkey.id, needsConfirmation: true })]);
    const confirmed = await owner.post<Passkey>(`/api/passkeys/${passkey.id}/confirm`, {});
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.body).toMatchObject({ id: passkey.id, needsConfirmation: false });

    const browser = stack.client();
    const done = await browser.post("/api/signin/passkey", { credential: authenticator.authenticate(await passkeyFirstOptions(browser)) });
    expect(done.status, done.text).toBe(200);
  });

  it("asks for a step-up before confirming a paused passkey once the sign-in's factor proof is older than the window, and confirms it after the new password", async () => {
    const { email, passkey } = await userWithPasskey(stack);
    await resetPassword(email);
    const owner = await ownerSignsIn(email);
    // Still within PASSKEY_REAUTH_SECONDS of the sign-in: a recent session is not enough.
    await ageFactorProof(stack, owner, 6 * 60);
    const refused = await owner.post(`/api/passkeys/${passkey.id}/confirm`, {});
    expect(refused.status).toBe(403);
    // The paused passkey cannot vouch for itself: only the password can.
    expect(refused.body).toMatchObject({ error: { code: "step_up_required", passkeyAvailable: false } });
    expect((await owner.post("/api/passkeys/step-up", { password: NEW_PASSWORD })).status).toBe(200);
    const confirmed = await owner.post<Passkey>(`/api/passkeys/${passkey.id}/confirm`, {});
    expect(confirmed.status, confirmed.text).toBe(200);
  });

  it("answers 404 for confirming another user's passkey", async () => {
    const other = await userWithPasskey(stack);
    const { email } = await userWithPasskey(stack);
    await resetPassword(email);
    const owner = await ownerSignsIn(email);
    const refused = await owner.post(`/api/passkeys/${other.passkey.id}/confirm`, {});
    expect(refused.status).toBe(404);
  });
});
