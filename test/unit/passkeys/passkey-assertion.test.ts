import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import { describe, expect, it } from "vitest";
import { parseAuthenticationResponse } from "../../../bff/passkeys/credential-schemas";
import { generatePasskeyAuthenticationOptions } from "../../../bff/passkeys/generate-authentication-options";
import { generatePasskeyRegistrationOptions } from "../../../bff/passkeys/generate-registration-options";
import { usablePasskeyFor, verifyAndRecordUse } from "../../../bff/passkeys/passkey-assertion";
import { PasskeyRejectedError, passkeyMessages } from "../../../bff/passkeys/passkey-errors";
import { createPasskeyRepository, type PasskeyRepository, type StoredPasskey } from "../../../bff/passkeys/passkey-store";
import type { RelyingParty } from "../../../bff/passkeys/relying-party";
import { verifyPasskeyRegistration } from "../../../bff/passkeys/verify-registration";
import { memoryStore } from "../../support/memory-store";
import { SoftwareAuthenticator } from "../../support/software-authenticator";

/** The checks every use of a stored passkey shares: known, not paused by a password reset, verified, counter written by compare-and-set. */

const origin = "http://localhost:3000";
const rp: RelyingParty = { id: "localhost", name: "Tobira", origins: [origin], timeoutMs: 300_000, challengeTtlSeconds: 300, stepUpWindowSeconds: 300 };
const user = { sub: "c0ffee-sub", username: "c0ffee-internal", email: "kim@example.com" };
const createdAt = "2026-03-01T10:00:00.000Z";

async function ceremony(): Promise<{ passkeys: PasskeyRepository; passkey: StoredPasskey; response: AuthenticationResponseJSON; expectedChallenge: string }> {
  const authenticator = new SoftwareAuthenticator(origin);
  const creation = await generatePasskeyRegistrationOptions({ rp, user, existing: [] });
  const verified = await verifyPasskeyRegistration({ rp, credential: authenticator.register(creation), expectedChallenge: creation.challenge });
  const passkey: StoredPasskey = { ...verified, name: "p", createdAt, lastUsedAt: null, sub: user.sub, username: user.username, userHandle: creation.user.id };
  const passkeys = createPasskeyRepository(memoryStore());
  await passkeys.save(passkey);
  const request = await generatePasskeyAuthenticationOptions({ rp, allow: [passkey] });
  return { passkeys, passkey, response: parseAuthenticationResponse(authenticator.authenticate(request)), expectedChallenge: request.challenge };
}

async function rejection(promise: Promise<unknown>): Promise<PasskeyRejectedError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(PasskeyRejectedError);
  return error as PasskeyRejectedError;
}

describe("usablePasskeyFor", () => {
  it("refuses a passkey created before its owner's last password reset, saying it is paused", async () => {
    const { passkeys, response } = await ceremony();
    const passwordResets = { lastForSub: async (sub: string) => (sub === user.sub ? Date.parse(createdAt) + 1000 : undefined) };
    const error = await rejection(usablePasskeyFor({ passkeys, passwordResets }, response));
    expect(error).toMatchObject({ message: passkeyMessages.suspended, reason: "passkey paused by a password reset" });
  });

  it("returns a passkey created after the last reset", async () => {
    const { passkeys, passkey, response } = await ceremony();
    const passwordResets = { lastForSub: async () => Date.parse(createdAt) - 1000 };
    await expect(usablePasskeyFor({ passkeys, passwordResets }, response)).resolves.toEqual(passkey);
  });

  it("refuses a credential the account does not know, saying so for the Signal API", async () => {
    const { response } = await ceremony();
    const error = await rejection(usablePasskeyFor({ passkeys: createPasskeyRepository(memoryStore()) }, response));
    expect(error).toMatchObject({ message: passkeyMessages.unknownCredential, extra: { reason: "unknown_credential" } });
  });
});

describe("verifyAndRecordUse", () => {
  it("refuses when another use moved the signature counter meanwhile, as a possible clone, not as an unknown credential (WebAuthn L3 §6.1.1)", async () => {
    const { passkeys, passkey, response, expectedChallenge } = await ceremony();
    await passkeys.update({ ...passkey, counter: 5 });
    const error = await rejection(verifyAndRecordUse({ rp, passkeys }, { response, expectedChallenge, passkey }));
    expect(error.reason).toBe("signature counter moved during the ceremony");
    expect(error.message).not.toBe(passkeyMessages.unknownCredential);
    expect((await passkeys.find(passkey.credentialId))?.counter).toBe(5);
  });

  it("refuses, as an unknown credential, a passkey removed while the ceremony ran, and does not bring it back", async () => {
    const { passkeys, passkey, response, expectedChallenge } = await ceremony();
    await passkeys.remove(passkey.credentialId);
    const error = await rejection(verifyAndRecordUse({ rp, passkeys }, { response, expectedChallenge, passkey }));
    expect(error).toMatchObject({ reason: "credential removed during the ceremony", message: passkeyMessages.unknownCredential });
    expect(await passkeys.find(passkey.credentialId)).toBeUndefined();
  });

  it("records the new counter, the flags and the time of use", async () => {
    const { passkeys, passkey, response, expectedChallenge } = await ceremony();
    const before = Date.now();
    await expect(verifyAndRecordUse({ rp, passkeys }, { response, expectedChallenge, passkey })).resolves.toMatchObject({ newCounter: 1 });
    const stored = await passkeys.find(passkey.credentialId);
    expect(stored).toMatchObject({ counter: 1, deviceType: "singleDevice", backedUp: false });
    expect(Date.parse(stored!.lastUsedAt!)).toBeGreaterThanOrEqual(before - 1000);
  });
});
