import { describe, expect, it } from "vitest";
import { parseAuthenticationResponse } from "../../../bff/passkeys/credential-schemas";
import { generatePasskeyAuthenticationOptions } from "../../../bff/passkeys/generate-authentication-options";
import { generatePasskeyRegistrationOptions } from "../../../bff/passkeys/generate-registration-options";
import { PasskeyRejectedError } from "../../../bff/passkeys/passkey-errors";
import type { StoredPasskey } from "../../../bff/passkeys/passkey-store";
import type { RelyingParty } from "../../../bff/passkeys/relying-party";
import { verifyPasskeyAuthentication } from "../../../bff/passkeys/verify-authentication";
import { verifyPasskeyRegistration } from "../../../bff/passkeys/verify-registration";
import { SoftwareAuthenticator, type CeremonyOverrides } from "../../support/software-authenticator";

const rp: RelyingParty = {
  id: "localhost",
  name: "Tobira",
  origins: ["http://localhost:3000"],
  timeoutMs: 300_000,
  challengeTtlSeconds: 300,
  stepUpWindowSeconds: 300,
};
const user = { sub: "2f1c9d3e-sub", username: "2f1c9d3e-sub", email: "ada@example.com" };

async function registered(): Promise<{ authenticator: SoftwareAuthenticator; passkey: StoredPasskey }> {
  const authenticator = new SoftwareAuthenticator("http://localhost:3000");
  const options = await generatePasskeyRegistrationOptions({ rp, user, existing: [] });
  const verified = await verifyPasskeyRegistration({ rp, credential: authenticator.register(options), expectedChallenge: options.challenge });
  const passkey: StoredPasskey = {
    ...verified,
    name: "test",
    createdAt: new Date().toISOString(),
    lastUsedAt: null,
    sub: user.sub,
    username: user.username,
    userHandle: options.user.id,
  };
  return { authenticator, passkey };
}

async function assertion(overrides: CeremonyOverrides = {}, tamper: (passkey: StoredPasskey) => StoredPasskey = (p) => p) {
  const { authenticator, passkey } = await registered();
  const options = await generatePasskeyAuthenticationOptions({ rp, allow: [passkey] });
  const response = parseAuthenticationResponse(authenticator.authenticate(options, overrides));
  return verifyPasskeyAuthentication({ rp, response, expectedChallenge: options.challenge, passkey: tamper(passkey) });
}

async function rejection(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(PasskeyRejectedError);
  expect(error).toMatchObject({ status: 400, code: "passkey_rejected" });
  return (error as PasskeyRejectedError).reason;
}

describe("verifyPasskeyAuthentication (WebAuthn L3 §7.2)", () => {
  it("accepts a fresh assertion and reports the new counter, UV and device type", async () => {
    await expect(assertion()).resolves.toEqual({ newCounter: 1, userVerified: true, deviceType: "singleDevice", backedUp: false });
  });

  it("rejects another origin", async () => {
    expect(await rejection(assertion({ origin: "https://evil.example" }))).toMatch(/origin/i);
  });

  it("rejects another RP ID", async () => {
    expect(await rejection(assertion({ rpId: "evil.example" }))).toMatch(/RP ID/i);
  });

  it("rejects a missing UV flag", async () => {
    expect(await rejection(assertion({ userVerified: false }))).toMatch(/user verification/i);
  });

  it("rejects another challenge", async () => {
    expect(await rejection(assertion({ challenge: "b3RoZXI" }))).toMatch(/challenge/i);
  });

  it("rejects a counter that does not move forward", async () => {
    expect(await rejection(assertion({ counter: 4 }, (passkey) => ({ ...passkey, counter: 7 })))).toMatch(/counter/i);
  });

  it("rejects a user handle that is not the owner's", async () => {
    expect(await rejection(assertion({}, (passkey) => ({ ...passkey, userHandle: "c29tZW9uZS1lbHNl" })))).toMatch(/user handle/i);
  });

  it("accepts an assertion without a user handle: only a handle that is present must name the owner (§7.2 step 6)", async () => {
    await expect(assertion({ omitUserHandle: true }, (passkey) => ({ ...passkey, userHandle: "c29tZW9uZS1lbHNl" }))).resolves.toMatchObject({ newCounter: 1 });
  });

  it("rejects a signature by another key", async () => {
    const { passkey: other } = await registered();
    expect(await rejection(assertion({}, (passkey) => ({ ...passkey, publicKey: other.publicKey })))).toMatch(/signature|verified/i);
  });
});

describe("verifyPasskeyRegistration (WebAuthn L3 §7.1)", () => {
  async function registration(overrides: CeremonyOverrides, expected?: string) {
    const options = await generatePasskeyRegistrationOptions({ rp, user, existing: [] });
    const credential = new SoftwareAuthenticator("http://localhost:3000").register(options, overrides);
    return verifyPasskeyRegistration({ rp, credential, expectedChallenge: expected ?? options.challenge });
  }

  it("returns the credential id, COSE public key, counter, transports and device type", async () => {
    await expect(registration({ synced: true })).resolves.toMatchObject({
      credentialId: expect.stringMatching(/^[\w-]{43}$/),
      publicKey: expect.any(String),
      counter: 0,
      transports: ["internal"],
      deviceType: "multiDevice",
      backedUp: true,
    });
  });

  it("rejects another origin", async () => {
    expect(await rejection(registration({ origin: "http://localhost:4000" }))).toMatch(/origin/i);
  });

  it("rejects another RP ID", async () => {
    expect(await rejection(registration({ rpId: "example.com" }))).toMatch(/RP ID/i);
  });

  it("rejects a missing UV flag", async () => {
    expect(await rejection(registration({ userVerified: false }))).toMatch(/user verification/i);
  });

  it("rejects another challenge", async () => {
    expect(await rejection(registration({}, "aXNzdWVkLWVsc2V3aGVyZQ"))).toMatch(/challenge/i);
  });

  it("rejects a body that is not a registration response", async () => {
    expect(await rejection(verifyPasskeyRegistration({ rp, credential: { id: "x" }, expectedChallenge: "abc" }))).toMatch(/malformed/);
  });
});
