import { otpSentResponseSchema } from "../../../../common/api-contract";
import { apiClient } from "../../../lib/api-client";
import { useSubmit } from "../../../lib/use-submit";

/** `POST /api/signin/otp/send`: sends (or sends again) a one-time code for the pending sign-in. */
export function sendOtp() {
  return apiClient.post("/api/signin/otp/send", {}, otpSentResponseSchema);
}

export function useSendOtp() {
  return useSubmit(sendOtp);
}
