import { isApiError } from "../../../lib/api-client";
import { describeEmailedCodeError } from "../../../lib/error-messages";

export function resetErrorMessage(error: unknown): string {
  if (isApiError(error) && error.code === "invalid_password") return "Choose a different password.";
  return describeEmailedCodeError(error);
}
