import { t } from "../../../i18n/i18n";
import { isApiError } from "../../../lib/api-client";
import { attemptsLeftText, describeError } from "../../../lib/error-messages";

/** Sign-in errors as people should read them; switched on `code`, never on the BFF's text. */
export function signInErrorMessage(error: unknown): string {
  if (isApiError(error)) {
    switch (error.code) {
      case "invalid_credentials":
        // One message for an unknown email and a wrong password: no account enumeration
        // (OWASP Authentication cheat sheet, "Authentication and Error Messages").
        return t("signIn.error.invalidCredentials");
      case "user_not_confirmed":
        return t("signIn.error.notConfirmed");
    }
  }
  return describeError(error);
}

/** Why the pending sign-in ended, for the sign-in page the person is sent back to; null if it didn't. */
export function endedSignInMessage(error: unknown): string | null {
  if (!isApiError(error)) return null;
  switch (error.code) {
    case "code_mismatch":
      // The BFF answers the third wrong code with challenge_failed; a 0 here means the same.
      return error.attemptsLeft === 0 ? t("signIn.error.lastAttempt") : null;
    case "challenge_failed":
      return t("signIn.error.lastAttempt");
    case "session_expired":
      return t("signIn.error.expired");
    case "no_pending_signin":
      return t("signIn.error.noPending");
    default:
      return null;
  }
}

/** Why "Send a new code" did not send one. The cap is per sign-in, so waiting does not help: say so. */
export function resendErrorMessage(error: unknown): string {
  if (isApiError(error) && error.code === "limit_exceeded") {
    return t("signIn.error.resendCap");
  }
  return signInErrorMessage(error);
}

export function otpErrorMessage(error: unknown): string {
  if (isApiError(error)) {
    switch (error.code) {
      case "code_mismatch":
        return error.attemptsLeft === undefined
          ? t("signIn.error.codeMismatch")
          : t("signIn.error.codeMismatchLeft", { attemptsLeft: attemptsLeftText(error.attemptsLeft) });
      case "expired_code":
        return t("error.codeExpired");
    }
  }
  return describeError(error);
}
