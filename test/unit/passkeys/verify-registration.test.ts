import { describe, expect, it } from "vitest";
import { generatePasskeyRegistrationOptions } from "../../../bff/passkeys/generate-registration-options";
import { PasskeyRejectedError } from "../../../bff/passkeys/passkey-errors";
import type { RelyingParty } from "../../../bff/passkeys/relying-party";
import { verifyPasskeyRegistration } from "../../../bff/passkeys/verify-registration";
import { SoftwareAuthenticator, type CeremonyOverrides } from "../../support/software-authenticator";

/** What a verified attestation contributes to the stored credential (WebAuthn L3 §7.1 "Registering a New Credential"). */

const origin = "http://localhost:3000";
const rp: RelyingParty = { id: "localhost", name: "Tobira", origins: [origin], timeoutMs: 300_000, challengeTtlSeconds: 300, stepUpWindowSeconds: 300 };
const user = { sub: "9a8b7c6d-sub", username: "9a8b7c6d-sub", email: "lin@example.com" };

async function registration(
  overrides: CeremonyOverrides = {},
  edit: (credential: Record<string, unknown> & { response: Record<string, unknown> }) => void = () => undefined,
) {
  const options = await generatePasskeyRegistrationOptions({ rp, user, existing: [] });
  const credential = new SoftwareAuthenticator(origin).register(options, overrides) as unknown as Record<string, unknown> & { response: Record<string, unknown> };
  edit(credential);
  return verifyPasskeyRegistration({ rp, credential, expectedChallenge: options.challenge });
}

describe("verifyPasskeyRegistration (WebAuthn L3 §7.1)", () => {
  it("refuses an attestation without the user-present flag (§7.1 step 14)", async () => {
    const error = await registration({ userPresent: false }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PasskeyRejectedError);
    expect((error as PasskeyRejectedError).reason).toMatch(/user presen/i);
  });

  it("keeps the AAGUID lower-case, as the provider list is keyed", async () => {
    const verified = await registration({ aaguid: "FBFC3007-154E-4ECC-8C0B-6E020557D7BD" });
    expect(verified.aaguid).toBe("fbfc3007-154e-4ecc-8c0b-6e020557d7bd");
  });

  it("keeps the attachment the browser reported", async () => {
    expect(await registration({ attachment: "cross-platform" })).toMatchObject({ attachment: "cross-platform" });
  });

  it("records no attachment when the browser reported none", async () => {
    const verified = await registration({}, (credential) => delete credential.authenticatorAttachment);
    expect(verified).not.toHaveProperty("attachment");
  });

  it("records an empty transport list when the browser reported none", async () => {
    const verified = await registration({}, (credential) => delete credential.response.transports);
    expect(verified.transports).toEqual([]);
  });

  it("keeps the transports the browser reported", async () => {
    expect((await registration({ transports: ["usb", "nfc"] })).transports).toEqual(["usb", "nfc"]);
  });

  it("refuses a response whose id differs from its rawId", async () => {
    const error = await registration({}, (credential) => (credential.id = "b3RoZXItaWQ")).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "passkey_rejected", reason: "malformed registration response" });
  });
});
