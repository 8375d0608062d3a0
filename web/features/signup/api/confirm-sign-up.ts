import { confirmSignUpResponseSchema, type ConfirmSignUpRequest, type ConfirmSignUpResponse } from "../../../../common/api-contract";
import { apiClient } from "../../../lib/api-client";
import { useSubmit } from "../../../lib/use-submit";
import { heldSignUpPassword } from "../utils/held-password";

/**
 * `POST /api/signup/confirm`: confirms the email address with the code. With the password this
 * tab held since sign-up, the BFF also signs the new user in (`{next:"done"}`); otherwise the
 * person signs in next (`{next:"signin"}`).
 */
export function confirmSignUp(body: ConfirmSignUpRequest): Promise<ConfirmSignUpResponse> {
  return apiClient.post("/api/signup/confirm", body, confirmSignUpResponseSchema);
}

export function useConfirmSignUp() {
  return useSubmit((body: Omit<ConfirmSignUpRequest, "password">) => {
    const password = heldSignUpPassword(body.email);
    return confirmSignUp(password === undefined ? body : { ...body, password });
  });
}
