import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import { verifyAuthenticationResponse } from "@simplewebauthn/server";
import { isoBase64URL } from "@simplewebauthn/server/helpers";
import { PasskeyRejectedError } from "./passkey-errors";
import type { StoredPasskey } from "./passkey-store";
import type { RelyingParty } from "./relying-party";

export interface VerifiedPasskeyAuthentication {
  newCounter: number;
  userVerified: boolean;
  deviceType: "singleDevice" | "multiDevice";
  backedUp: boolean;
}

/**
 * Verifies an assertion against the stored credential (WebAuthn L3 §7.2 "Verifying an
 * Authentication Assertion"): the challenge, an accepted origin, the RP ID hash, UP and UV
 * flags, the signature, a signature counter that moved forward (§6.1.1), and — when the
 * authenticator returns one — a user handle that names the credential's owner (§7.2 step 6).
 */
export async function verifyPasskeyAuthentication(input: {
  rp: RelyingParty;
  response: AuthenticationResponseJSON;
  expectedChallenge: string;
  passkey: StoredPasskey;
}): Promise<VerifiedPasskeyAuthentication> {
  const { rp, response, expectedChallenge, passkey } = input;
  const userHandle = response.response.userHandle;
  if (userHandle !== undefined && userHandle !== passkey.userHandle) {
    throw new PasskeyRejectedError("authentication: user handle does not match the credential's owner");
  }
  let verification;
  try {
    verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origins,
      expectedRPID: rp.id,
      requireUserVerification: true,
      credential: {
        id: passkey.credentialId,
        publicKey: isoBase64URL.toBuffer(passkey.publicKey),
        counter: passkey.counter,
        transports: passkey.transports as NonNullable<Parameters<typeof verifyAuthenticationResponse>[0]["credential"]["transports"]>,
      },
    });
  } catch (error) {
    throw new PasskeyRejectedError(`authentication: ${error instanceof Error ? error.message : "unreadable response"}`);
  }
  if (!verification.verified) throw new PasskeyRejectedError("authentication: signature not verified");
  const info = verification.authenticationInfo;
  return { newCounter: info.newCounter, userVerified: info.userVerified, deviceType: info.credentialDeviceType, backedUp: info.credentialBackedUp };
}
