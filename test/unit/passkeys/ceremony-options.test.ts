import { describe, expect, it } from "vitest";
import { generatePasskeyAuthenticationOptions } from "../../../bff/passkeys/generate-authentication-options";
import { generatePasskeyRegistrationOptions } from "../../../bff/passkeys/generate-registration-options";
import type { StoredPasskey } from "../../../bff/passkeys/passkey-store";
import type { RelyingParty } from "../../../bff/passkeys/relying-party";

/** The options the browser receives for each ceremony (WebAuthn L3 §5.4 creation, §5.5 request options). */

const rp: RelyingParty = {
  id: "id.example.com",
  name: "Example sign-in",
  origins: ["https://id.example.com"],
  timeoutMs: 120_000,
  challengeTtlSeconds: 120,
  stepUpWindowSeconds: 300,
};
const user = { sub: "7d0e5b1a-sub", username: "7d0e5b1a-sub", email: "grace@example.com" };

function stored(credentialId: string, transports: string[]): StoredPasskey {
  return {
    credentialId,
    publicKey: "pQECAyYgASFYIA",
    counter: 0,
    transports,
    deviceType: "singleDevice",
    backedUp: false,
    aaguid: "00000000-0000-0000-0000-000000000000",
    name: "key",
    createdAt: "2026-01-01T00:00:00.000Z",
    lastUsedAt: null,
    sub: user.sub,
    username: user.username,
    userHandle: "N2QwZTViMWEtc3Vi",
  };
}

describe("registration options (WebAuthn L3 §5.4)", () => {
  it("names the relying party, asks for a discoverable credential with user verification, no attestation, ES256 or RS256, within the RP's timeout", async () => {
    const options = await generatePasskeyRegistrationOptions({ rp, user, existing: [] });
    expect(options.rp).toEqual({ name: "Example sign-in", id: "id.example.com" });
    expect(options.user.displayName).toBe("grace@example.com");
    expect(options.timeout).toBe(120_000);
    expect(options.attestation).toBe("none");
    expect(options.authenticatorSelection).toMatchObject({ residentKey: "required", requireResidentKey: true, userVerification: "required" });
    expect(options.pubKeyCredParams.map((param) => param.alg)).toEqual([-7, -257]);
    expect(options.excludeCredentials).toEqual([]);
  });

  it("excludes the user's existing credentials, with their transports, so one authenticator is not registered twice (§5.4 excludeCredentials)", async () => {
    const options = await generatePasskeyRegistrationOptions({ rp, user, existing: [stored("Y3JlZC1vbmU", ["internal"]), stored("Y3JlZC10d28", ["usb", "nfc"])] });
    expect(options.excludeCredentials).toEqual([
      { id: "Y3JlZC1vbmU", type: "public-key", transports: ["internal"] },
      { id: "Y3JlZC10d28", type: "public-key", transports: ["usb", "nfc"] },
    ]);
  });
});

describe("authentication options (WebAuthn L3 §5.5)", () => {
  it("requires user verification for this RP ID within the RP's timeout", async () => {
    const options = await generatePasskeyAuthenticationOptions({ rp });
    expect(options).toMatchObject({ rpId: "id.example.com", timeout: 120_000, userVerification: "required" });
  });

  it("offers no credential list for passkey-first, so the authenticator offers its discoverable credentials", async () => {
    const options = await generatePasskeyAuthenticationOptions({ rp });
    expect(options.allowCredentials ?? []).toEqual([]);
  });

  it("offers only the given user's credentials, with their transports, for the second step", async () => {
    const options = await generatePasskeyAuthenticationOptions({ rp, allow: [stored("Y3JlZC1vbmU", ["internal", "hybrid"])] });
    expect(options.allowCredentials).toEqual([{ id: "Y3JlZC1vbmU", type: "public-key", transports: ["internal", "hybrid"] }]);
  });
});
