import { t } from "../../../i18n/i18n";
import { isApiError } from "../../../lib/api-client";
import { describeError } from "../../../lib/error-messages";

export function signUpErrorMessage(error: unknown): string {
  if (isApiError(error)) {
    switch (error.code) {
      case "username_exists":
        return t("signUp.error.exists");
      case "invalid_password":
        return t("password.chooseDifferent");
    }
  }
  return describeError(error);
}
