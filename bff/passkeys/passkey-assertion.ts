import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import type { PasswordResets } from "../password/password-resets";
import { PasskeyRejectedError, passkeyMessages, unknownCredential } from "./passkey-errors";
import { isSuspended, type PasskeyRepository, type StoredPasskey } from "./passkey-store";
import type { RelyingParty } from "./relying-party";
import { verifyPasskeyAuthentication, type VerifiedPasskeyAuthentication } from "./verify-authentication";

/**
 * The assertion checks every use of a stored passkey shares (a sign-in, a step-up before adding
 * a passkey): the credential is known and not paused by a password reset, then the assertion
 * verifies (verify-authentication.ts) and its signature counter is written with a compare-and-set.
 */

/** The stored passkey an assertion names, if it may be used at all. */
export async function usablePasskeyFor(
  deps: { passkeys: PasskeyRepository; passwordResets?: Pick<PasswordResets, "lastForSub"> | undefined },
  response: AuthenticationResponseJSON,
): Promise<StoredPasskey> {
  const passkey = await deps.passkeys.find(response.id);
  if (passkey === undefined) throw unknownCredential("unknown credential");
  if (isSuspended(passkey, await deps.passwordResets?.lastForSub(passkey.sub))) {
    throw new PasskeyRejectedError("passkey paused by a password reset", passkeyMessages.suspended);
  }
  return passkey;
}

/** Verifies the assertion over `expectedChallenge` and records the use (counter, flags, last used). */
export async function verifyAndRecordUse(
  deps: { rp: RelyingParty; passkeys: PasskeyRepository },
  input: { response: AuthenticationResponseJSON; expectedChallenge: string; passkey: StoredPasskey },
): Promise<VerifiedPasskeyAuthentication> {
  const { rp, passkeys } = deps;
  const { passkey } = input;
  const verified = await verifyPasskeyAuthentication({ rp, ...input });
  const updated = await passkeys.update(
    {
      ...passkey,
      counter: verified.newCounter,
      backedUp: verified.backedUp,
      deviceType: verified.deviceType,
      lastUsedAt: new Date().toISOString(),
    },
    passkey.counter,
  );
  if (!updated) {
    // Removed from the account while this ceremony ran: no use of it, and no resurrection.
    if ((await passkeys.find(passkey.credentialId)) === undefined) throw unknownCredential("credential removed during the ceremony");
    // Another use moved the signature counter meanwhile: one of the two is a cloned authenticator's (WebAuthn L3 §6.1.1).
    throw new PasskeyRejectedError("signature counter moved during the ceremony");
  }
  return verified;
}
