import { describe, expect, it } from "vitest";
import { loadBffConfig, BffConfigError } from "../../../bff/config";
import { parseAuthenticationResponse } from "../../../bff/passkeys/credential-schemas";
import { generatePasskeyAuthenticationOptions } from "../../../bff/passkeys/generate-authentication-options";
import { generatePasskeyRegistrationOptions } from "../../../bff/passkeys/generate-registration-options";
import { passkeyAmr } from "../../../bff/passkeys/passkey-sign-in";
import { relyingPartyFor } from "../../../bff/passkeys/relying-party";

describe("relying-party settings", () => {
  it("defaults locally to rpID localhost, the public URL's origin, a 5-minute step-up window and 5-minute challenges", () => {
    expect(relyingPartyFor(loadBffConfig({}))).toEqual({
      id: "localhost",
      name: "Tobira",
      origins: ["http://localhost:3000"],
      timeoutMs: 300_000,
      challengeTtlSeconds: 300,
      stepUpWindowSeconds: 300,
    });
  });

  it("takes the RP ID, origins and windows from the environment", () => {
    const rp = relyingPartyFor(
      loadBffConfig({
        PASSKEY_RP_ID: "example.com",
        PASSKEY_ORIGINS: "https://id.example.com, https://example.com/",
        PASSKEY_STEP_UP_SECONDS: "120",
        PASSKEY_CHALLENGE_TTL_SECONDS: "60",
      }),
    );
    expect(rp).toMatchObject({ id: "example.com", origins: ["https://id.example.com", "https://example.com"], stepUpWindowSeconds: 120, timeoutMs: 60_000 });
  });

  it("refuses PASSKEY_ORIGINS that are not http(s) origins", () => {
    expect(() => loadBffConfig({ PASSKEY_ORIGINS: "javascript:alert(1)" })).toThrow(BffConfigError);
  });
});

describe("ceremony options", () => {
  const rp = relyingPartyFor(loadBffConfig({}));

  it("uses the Cognito sub (not the email) as the WebAuthn user handle", async () => {
    const options = await generatePasskeyRegistrationOptions({ rp, user: { sub: "sub-123", username: "sub-123", email: "ada@example.com" }, existing: [] });
    expect(Buffer.from(options.user.id, "base64url").toString()).toBe("sub-123");
    expect(options.user.name).toBe("ada@example.com");
  });

  it("gives every ceremony a fresh 32-byte challenge", async () => {
    const [a, b] = await Promise.all([generatePasskeyAuthenticationOptions({ rp }), generatePasskeyAuthenticationOptions({ rp })]);
    expect(Buffer.from(a.challenge, "base64url")).toHaveLength(32);
    expect(a.challenge).not.toBe(b.challenge);
  });
});

describe("passkeyAmr (RFC 8176)", () => {
  const securityKey = "cb69481e-8ff7-4039-93ec-0a2729a154a8";
  const syncedProvider = "fbfc3007-154e-4ecc-8c0b-6e020557d7bd";

  it("records pwd + hwk + user + mfa for a single-device passkey of a known hardware authenticator after the password", () => {
    expect(passkeyAmr({ deviceType: "singleDevice", userVerified: true }, true, securityKey)).toEqual(["pwd", "hwk", "user", "mfa"]);
  });

  it("records hwk for a single-device passkey of a known platform authenticator (Windows Hello)", () => {
    expect(passkeyAmr({ deviceType: "singleDevice", userVerified: true }, false, "08987058-cadc-4b81-b6e1-30de50dcbe96")).toEqual(["hwk", "user"]);
  });

  it("records swk for a single-device passkey whose AAGUID is unknown (the flag alone is the authenticator's word)", () => {
    expect(passkeyAmr({ deviceType: "singleDevice", userVerified: true }, true, "00000000-0000-0000-0000-000000000000")).toEqual(["pwd", "swk", "user", "mfa"]);
    expect(passkeyAmr({ deviceType: "singleDevice", userVerified: true }, false)).toEqual(["swk", "user"]);
  });

  it("records swk for a single-device passkey whose AAGUID names a syncing provider", () => {
    expect(passkeyAmr({ deviceType: "singleDevice", userVerified: true }, false, syncedProvider)).toEqual(["swk", "user"]);
  });

  it("records swk for a synced passkey even from a known hardware authenticator", () => {
    expect(passkeyAmr({ deviceType: "multiDevice", userVerified: false }, false, securityKey)).toEqual(["swk"]);
  });

  it("records swk + user for a synced passkey on its own (no mfa earned)", () => {
    expect(passkeyAmr({ deviceType: "multiDevice", userVerified: true }, false)).toEqual(["swk", "user"]);
  });
});

describe("parseAuthenticationResponse", () => {
  it("rejects an id that differs from rawId", () => {
    expect(() =>
      parseAuthenticationResponse({
        id: "YQ",
        rawId: "Yg",
        type: "public-key",
        response: { clientDataJSON: "e30", authenticatorData: "AA", signature: "AA" },
        clientExtensionResults: {},
      }),
    ).toThrow(expect.objectContaining({ code: "passkey_rejected", reason: "malformed authentication response" }));
  });

  it("rejects a response that is not base64url", () => {
    expect(() =>
      parseAuthenticationResponse({
        id: "YQ",
        rawId: "YQ",
        type: "public-key",
        response: { clientDataJSON: "{not base64}", authenticatorData: "AA", signature: "AA" },
        clientExtensionResults: {},
      }),
    ).toThrow(expect.objectContaining({ code: "passkey_rejected" }));
  });
});
