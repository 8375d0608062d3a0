import { useMutation } from "@tanstack/react-query";
import { signUpResponseSchema, type SignUpRequest } from "../../../../common/api-contract";
import { apiClient } from "../../../lib/api-client";

/** `POST /api/signup`: creates the account; a confirmation code goes to the email address. */
export function signUp(body: SignUpRequest) {
  return apiClient.post("/api/signup", body, signUpResponseSchema);
}

export function useSignUp() {
  return useMutation({ mutationFn: signUp });
}
