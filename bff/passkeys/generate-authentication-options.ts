import { generateAuthenticationOptions, type PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import type { StoredPasskey } from "./passkey-store";
import type { RelyingParty } from "./relying-party";

/**
 * Request options for an assertion, user verification required. With `allow` (the second step)
 * only that user's credentials are offered; without it (passkey-first, browser autofill) the
 * list is empty and the authenticator offers its discoverable credentials (WebAuthn L3 §5.5
 * allowCredentials).
 */
export function generatePasskeyAuthenticationOptions(input: { rp: RelyingParty; allow?: readonly StoredPasskey[] }): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const { rp, allow } = input;
  return generateAuthenticationOptions({
    rpID: rp.id,
    timeout: rp.timeoutMs,
    userVerification: "required",
    allowCredentials: (allow ?? []).map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports })),
  });
}
