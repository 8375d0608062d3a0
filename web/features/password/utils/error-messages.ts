import { isApiError } from "../../../lib/api-client";
import { describeError } from "../../../lib/error-messages";

export function resetErrorMessage(error: unknown): string {
  if (isApiError(error)) {
    switch (error.code) {
      case "code_mismatch":
        return "That code isn't right. Check the email and try again.";
      case "expired_code":
        return "That code has expired. Send a new code and enter it here.";
      case "invalid_password":
        return "Choose a different password.";
    }
  }
  return describeError(error);
}
