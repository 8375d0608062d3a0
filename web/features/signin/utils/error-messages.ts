import { isApiError } from "../../../lib/api-client";
import { attemptsLeftText, describeError } from "../../../lib/error-messages";

/** Sign-in errors as people should read them; switched on `code`, never on the BFF's text. */
export function signInErrorMessage(error: unknown): string {
  if (isApiError(error)) {
    switch (error.code) {
      case "invalid_credentials":
        // One message for an unknown email and a wrong password: no account enumeration
        // (OWASP Authentication cheat sheet, "Authentication and Error Messages").
        return "Incorrect email or password.";
      case "user_not_confirmed":
        return "You haven't confirmed your email address yet.";
    }
  }
  return describeError(error);
}

const lastAttempt = "That was the last attempt, so we stopped this sign-in to keep your account safe. Sign in again to get a new code.";

/** Why the pending sign-in ended, for the sign-in page the person is sent back to; null if it didn't. */
export function endedSignInMessage(error: unknown): string | null {
  if (!isApiError(error)) return null;
  switch (error.code) {
    case "code_mismatch":
      // The BFF answers the third wrong code with challenge_failed; a 0 here means the same.
      return error.attemptsLeft === 0 ? lastAttempt : null;
    case "challenge_failed":
      return lastAttempt;
    case "session_expired":
      return "Your sign-in took too long and has expired. Sign in again to get a new code.";
    case "no_pending_signin":
      return "Sign in with your email and password first, then enter the code we send you.";
    default:
      return null;
  }
}

/** Why "Send a new code" did not send one. The cap is per sign-in, so waiting does not help: say so. */
export function resendErrorMessage(error: unknown): string {
  if (isApiError(error) && error.code === "limit_exceeded") {
    return "You've asked for the most new codes one sign-in allows. Sign in again to get another.";
  }
  return signInErrorMessage(error);
}

export function otpErrorMessage(error: unknown): string {
  if (isApiError(error)) {
    switch (error.code) {
      case "code_mismatch":
        return error.attemptsLeft === undefined
          ? "That code isn't right. Check it and try again."
          : `That code isn't right. You have ${attemptsLeftText(error.attemptsLeft)}.`;
      case "expired_code":
        return "That code has expired. Send a new code and enter it here.";
    }
  }
  return describeError(error);
}
