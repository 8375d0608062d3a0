import { deliveryResponseSchema } from "../../../../common/api-contract";
import { apiClient } from "../../../lib/api-client";
import { useSubmit } from "../../../lib/use-submit";

/**
 * `POST /api/password/forgot`: sends a reset code. The answer looks the same whether or not the
 * account exists (Cognito's user-existence protection), so the page never says which.
 */
export function forgotPassword(body: { email: string }) {
  return apiClient.post("/api/password/forgot", body, deliveryResponseSchema);
}

export function useForgotPassword() {
  return useSubmit(forgotPassword);
}
