import { verifyRegistrationResponse } from "@simplewebauthn/server";
import { isoBase64URL } from "@simplewebauthn/server/helpers";
import { parseRegistrationResponse } from "./credential-schemas";
import { PasskeyRejectedError } from "./passkey-errors";
import type { StoredPasskey } from "./passkey-store";
import { supportedAlgorithmIDs, type RelyingParty } from "./relying-party";

/** What a verified registration contributes to the stored credential. */
export type VerifiedPasskeyRegistration = Pick<
  StoredPasskey,
  "credentialId" | "publicKey" | "counter" | "transports" | "deviceType" | "backedUp" | "aaguid" | "attachment"
>;

/**
 * Verifies an attestation (WebAuthn L3 §7.1 "Registering a New Credential"): the challenge
 * this browser was given, an accepted origin, the RP ID hash, user presence and verification,
 * an allowed algorithm. Every failure is a PasskeyRejectedError.
 */
export async function verifyPasskeyRegistration(input: { rp: RelyingParty; credential: unknown; expectedChallenge: string }): Promise<VerifiedPasskeyRegistration> {
  const { rp, expectedChallenge } = input;
  const response = parseRegistrationResponse(input.credential);
  let verification;
  try {
    verification = await verifyRegistrationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origins,
      expectedRPID: rp.id,
      requireUserPresence: true,
      requireUserVerification: true,
      supportedAlgorithmIDs,
    });
  } catch (error) {
    throw new PasskeyRejectedError(`registration: ${error instanceof Error ? error.message : "unreadable response"}`);
  }
  if (!verification.verified) throw new PasskeyRejectedError("registration: not verified");
  const { credential, credentialDeviceType, credentialBackedUp, aaguid } = verification.registrationInfo;
  // Stryker disable next-line LogicalOperator: SimpleWebAuthn copies response.transports into credential.transports, so either operand is the same list
  const reportedTransports = credential.transports ?? response.response.transports;
  return {
    credentialId: credential.id,
    publicKey: isoBase64URL.fromBuffer(credential.publicKey),
    counter: credential.counter,
    transports: reportedTransports ?? [],
    deviceType: credentialDeviceType,
    backedUp: credentialBackedUp,
    // Labels only (the attestation is "none", so neither is proven): the provider's name, and whether a key is built in.
    aaguid: aaguid.toLowerCase(),
    ...(response.authenticatorAttachment === undefined ? {} : { attachment: response.authenticatorAttachment }),
  };
}
