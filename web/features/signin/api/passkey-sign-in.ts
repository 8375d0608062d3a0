import { startAuthentication, type AuthenticationResponseJSON, type PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import * as z from "zod/mini";
import { signInDoneResponseSchema, type PasskeyOptionsPurpose, type SignInDoneResponse } from "../../../../common/api-contract";
import { apiClient, isApiError } from "../../../lib/api-client";
import { useSubmit } from "../../../lib/use-submit";
import { rememberPasskeyHere, webauthnSignals } from "../../../lib/webauthn";

/**
 * Passkey sign-in: `POST /api/signin/passkey/options` with its purpose, the browser's WebAuthn
 * ceremony, then `POST /api/signin/passkey`. "passkey-first" (the sign-in page's button and
 * autofill) is usernameless whatever sign-in is pending, so a device holding only another
 * account's passkey is still offered it; "second-factor" (the choose page) offers the pending
 * user's passkeys only.
 */
const requestOptionsSchema = z.looseObject({
  challenge: z.string().check(z.minLength(1)),
  rpId: z.optional(z.string()),
  allowCredentials: z.optional(z.array(z.looseObject({ id: z.string(), type: z.literal("public-key") }))),
});

export function getPasskeySignInOptions(purpose: PasskeyOptionsPurpose): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return apiClient.post("/api/signin/passkey/options", { purpose }, requestOptionsSchema) as Promise<PublicKeyCredentialRequestOptionsJSON>;
}

/**
 * Sends the assertion. A passkey the account does not know (deleted elsewhere) is reported to
 * the browser's passkey provider (Signal API), so it stops offering it; a passkey that signs in
 * is remembered as being on this device.
 */
export async function verifyPasskeySignIn(credential: AuthenticationResponseJSON, optionsJSON: PublicKeyCredentialRequestOptionsJSON): Promise<SignInDoneResponse> {
  try {
    const done = await apiClient.post("/api/signin/passkey", { credential }, signInDoneResponseSchema);
    rememberPasskeyHere(credential.id);
    return done;
  } catch (error) {
    if (isApiError(error) && error.code === "passkey_rejected" && error.reason === "unknown_credential") {
      webauthnSignals.unknownCredential({ rpId: optionsJSON.rpId ?? window.location.hostname, credentialId: credential.id });
    }
    throw error;
  }
}

/** The whole modal ceremony: options, the browser prompt, the BFF's verification. */
export async function signInWithPasskey(purpose: PasskeyOptionsPurpose): Promise<SignInDoneResponse> {
  const optionsJSON = await getPasskeySignInOptions(purpose);
  const credential = await startAuthentication({ optionsJSON });
  return verifyPasskeySignIn(credential, optionsJSON);
}

export function usePasskeySignIn(purpose: PasskeyOptionsPurpose) {
  return useSubmit(() => signInWithPasskey(purpose));
}
