import { signInResponseSchema, type SignInRequest, type SignInResponse } from "../../../../common/api-contract";
import { apiClient } from "../../../lib/api-client";
import { useSubmit } from "../../../lib/use-submit";
import { pendingSignInEnded } from "./pending-sign-in";

/** `POST /api/signin`: checks the password; answers with the next step (a code was sent, or a choice). */
export async function signIn(body: SignInRequest): Promise<SignInResponse> {
  await pendingSignInEnded();
  return apiClient.post("/api/signin", body, signInResponseSchema);
}

export function useSignIn() {
  return useSubmit(signIn);
}
