import { signInDoneResponseSchema, type OtpRequest, type SignInDoneResponse } from "../../../../common/api-contract";
import { apiClient } from "../../../lib/api-client";
import { useSubmit } from "../../../lib/use-submit";

/** `POST /api/signin/otp`: answers the challenge with the code; on success the sign-in is done. */
export function verifyOtp(body: OtpRequest): Promise<SignInDoneResponse> {
  return apiClient.post("/api/signin/otp", body, signInDoneResponseSchema);
}

export function useVerifyOtp() {
  return useSubmit(verifyOtp);
}
