import { nextSignInResponseSchema, type ResetPasswordRequest } from "../../../../common/api-contract";
import { apiClient } from "../../../lib/api-client";
import { useSubmit } from "../../../lib/use-submit";

/** `POST /api/password/reset`: sets a new password with the emailed code. */
export function resetPassword(body: ResetPasswordRequest) {
  return apiClient.post("/api/password/reset", body, nextSignInResponseSchema);
}

export function useResetPassword() {
  return useSubmit(resetPassword);
}
