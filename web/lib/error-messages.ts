import { isApiError } from "./api-client";

/**
 * Messages for the error codes every page can meet. Features switch on their own codes first
 * (e.g. `invalid_credentials` on sign-in) and fall back to this. Always switch on `code`:
 * the BFF's message text is for logs and may change.
 */
export function describeError(error: unknown): string {
  if (!isApiError(error)) return "Something went wrong. Please try again.";
  switch (error.code) {
    case "network_error":
      return "We couldn't reach the server. Check your connection and try again.";
    case "timeout":
      return "The server didn't answer in time. Check your connection, then try again.";
    case "rate_limited":
    case "limit_exceeded":
      return "Too many attempts. Wait a minute, then try again.";
    case "resend_too_soon":
      return error.retryAfterSeconds === undefined
        ? "Wait a moment before asking for another code."
        : `You can ask for another code in ${secondsText(error.retryAfterSeconds)}.`;
    case "delivery_failed":
      return "We couldn't send the code just now. Please try again in a moment.";
    case "service_unavailable":
      return "The service isn't available right now. Please try again in a moment.";
    case "cross_site_request":
      return "Your browser sent the request from another site, so we stopped it. Reload this page and try again.";
    case "unauthenticated":
      return "You're not signed in any more. Sign in again to continue.";
    case "bad_request":
    case "unsupported_media_type":
      return "Something in the form wasn't accepted. Check your entries and try again.";
    case "unexpected_response":
      return "We got an answer we didn't understand. Please try again.";
    case "internal_error":
      return "Something went wrong on our side. Please try again.";
    default:
      // An unknown code from a newer BFF: its message is written for people (contract rule).
      return error.message || "Something went wrong. Please try again.";
  }
}

/** Messages for a code sent by email (sign-up confirmation, password reset), else describeError. */
export function describeEmailedCodeError(error: unknown): string {
  if (isApiError(error)) {
    switch (error.code) {
      case "code_mismatch":
        return "That code isn't right. Check the email and try again.";
      case "expired_code":
        return "That code has expired. Send a new code and enter it here.";
    }
  }
  return describeError(error);
}

/** "1 second" / "30 seconds". */
export function secondsText(seconds: number): string {
  return `${seconds} ${seconds === 1 ? "second" : "seconds"}`;
}

/** "1 attempt left" / "2 attempts left". */
export function attemptsLeftText(attemptsLeft: number): string {
  return `${attemptsLeft} ${attemptsLeft === 1 ? "attempt" : "attempts"} left`;
}
