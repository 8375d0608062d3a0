import { deliveryResponseSchema } from "../../../../common/api-contract";
import { apiClient } from "../../../lib/api-client";
import { useSubmit } from "../../../lib/use-submit";

/** `POST /api/signup/resend`: sends a new confirmation code. */
export function resendSignUpCode(body: { email: string }) {
  return apiClient.post("/api/signup/resend", body, deliveryResponseSchema);
}

export function useResendSignUpCode() {
  return useSubmit(resendSignUpCode);
}
