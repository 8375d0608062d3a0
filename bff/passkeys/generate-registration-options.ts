import { generateRegistrationOptions, type PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";
import type { StoredPasskey } from "./passkey-store";
import { supportedAlgorithmIDs, type RelyingParty } from "./relying-party";

export interface RegistrationUser {
  sub: string;
  username: string;
  email: string;
}

/** The user handle (WebAuthn L3 §5.4.3 user.id): the Cognito sub, opaque and never an email. */
export function userHandleFor(sub: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(new TextEncoder().encode(sub));
}

/**
 * Creation options for a new passkey: a discoverable credential (residentKey required, so it
 * works for usernameless sign-in), user verification required, no attestation, ES256/RS256,
 * and the user's existing credentials excluded (WebAuthn L3 §5.4 excludeCredentials).
 */
export function generatePasskeyRegistrationOptions(input: {
  rp: RelyingParty;
  user: RegistrationUser;
  existing: readonly StoredPasskey[];
}): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const { rp, user, existing } = input;
  return generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userID: userHandleFor(user.sub),
    userName: user.email,
    userDisplayName: user.email,
    timeout: rp.timeoutMs,
    attestationType: "none",
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
    supportedAlgorithmIDs,
    excludeCredentials: existing.map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports })),
  });
}
