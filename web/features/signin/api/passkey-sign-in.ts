import { startAuthentication, type PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import { useMutation } from "@tanstack/react-query";
import { z } from "zod";
import { signInDoneResponseSchema, type SignInDoneResponse } from "../../../../common/api-contract";
import { apiClient } from "../../../lib/api-client";

/**
 * Passkey sign-in: `POST /api/signin/passkey/options` (for the pending user after the password,
 * or usernameless), the browser's WebAuthn ceremony, then `POST /api/signin/passkey`.
 */
const requestOptionsSchema = z.looseObject({
  challenge: z.string().min(1),
  rpId: z.string().optional(),
  allowCredentials: z.array(z.looseObject({ id: z.string(), type: z.literal("public-key") })).optional(),
});

export function getPasskeySignInOptions(): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return apiClient.post("/api/signin/passkey/options", {}, requestOptionsSchema) as Promise<PublicKeyCredentialRequestOptionsJSON>;
}

export function verifyPasskeySignIn(credential: unknown): Promise<SignInDoneResponse> {
  return apiClient.post("/api/signin/passkey", { credential }, signInDoneResponseSchema);
}

/** The whole modal ceremony: options, the browser prompt, the BFF's verification. */
export async function signInWithPasskey(): Promise<SignInDoneResponse> {
  const optionsJSON = await getPasskeySignInOptions();
  const credential = await startAuthentication({ optionsJSON });
  return verifyPasskeySignIn(credential);
}

export function usePasskeySignIn() {
  return useMutation({ mutationFn: signInWithPasskey });
}
