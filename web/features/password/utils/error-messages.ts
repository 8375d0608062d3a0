import { t } from "../../../i18n/i18n";
import { isApiError } from "../../../lib/api-client";
import { describeEmailedCodeError } from "../../../lib/error-messages";

export function resetErrorMessage(error: unknown): string {
  if (isApiError(error) && error.code === "invalid_password") return t("password.chooseDifferent");
  return describeEmailedCodeError(error);
}
