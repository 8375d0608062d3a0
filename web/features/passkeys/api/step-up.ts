import { startAuthentication, type PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import { useMutation } from "@tanstack/react-query";
import * as z from "zod/mini";
import { stepUpResponseSchema, type StepUpResponse } from "../../../../common/api-contract";
import { apiClient } from "../../../lib/api-client";

/**
 * The step-up before adding a passkey: `POST /api/passkeys/step-up` with the password, or with an
 * assertion of a passkey the account already has over the challenge of
 * `POST /api/passkeys/step-up/options` (docs/architecture.md, "Adding a passkey: the step-up").
 */
const requestOptionsSchema = z.looseObject({
  challenge: z.string().check(z.minLength(1)),
  rpId: z.optional(z.string()),
  allowCredentials: z.optional(z.array(z.looseObject({ id: z.string(), type: z.literal("public-key") }))),
});

export function stepUpWithPassword(body: { password: string }): Promise<StepUpResponse> {
  return apiClient.post("/api/passkeys/step-up", { password: body.password }, stepUpResponseSchema);
}

export async function stepUpWithPasskey(): Promise<StepUpResponse> {
  const optionsJSON = (await apiClient.post("/api/passkeys/step-up/options", {}, requestOptionsSchema)) as PublicKeyCredentialRequestOptionsJSON;
  const credential = await startAuthentication({ optionsJSON });
  return apiClient.post("/api/passkeys/step-up", { credential }, stepUpResponseSchema);
}

export const useStepUpWithPassword = () => useMutation({ mutationFn: stepUpWithPassword });
export const useStepUpWithPasskey = () => useMutation({ mutationFn: stepUpWithPasskey });
