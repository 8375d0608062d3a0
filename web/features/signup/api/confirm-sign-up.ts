import { useMutation } from "@tanstack/react-query";
import { nextSignInResponseSchema, type ConfirmSignUpRequest } from "../../../../common/api-contract";
import { apiClient } from "../../../lib/api-client";

/** `POST /api/signup/confirm`: confirms the email address with the code; next the person signs in. */
export function confirmSignUp(body: ConfirmSignUpRequest) {
  return apiClient.post("/api/signup/confirm", body, nextSignInResponseSchema);
}

export function useConfirmSignUp() {
  return useMutation({ mutationFn: confirmSignUp });
}
