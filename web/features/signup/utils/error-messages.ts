import { isApiError } from "../../../lib/api-client";
import { describeError } from "../../../lib/error-messages";

export function signUpErrorMessage(error: unknown): string {
  if (isApiError(error)) {
    switch (error.code) {
      case "username_exists":
        return "An account with this email address already exists.";
      case "invalid_password":
        return "Choose a different password.";
    }
  }
  return describeError(error);
}
