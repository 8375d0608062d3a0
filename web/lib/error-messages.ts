import { i18n, t } from "../i18n/i18n";
import { defaultLocale } from "../i18n/locales";
import { isApiError } from "./api-client";

/**
 * Messages for the error codes every page can meet. Features switch on their own codes first
 * (e.g. `invalid_credentials` on sign-in) and fall back to this. Always switch on `code`:
 * the BFF's message text is for logs and may change.
 */
export function describeError(error: unknown): string {
  if (!isApiError(error)) return t("error.generic");
  switch (error.code) {
    case "network_error":
      return t("error.network");
    case "timeout":
      return t("error.timeout");
    case "rate_limited":
    case "limit_exceeded":
      return t("error.rateLimited");
    case "resend_too_soon":
      return error.retryAfterSeconds === undefined ? t("error.resendTooSoon") : t("error.resendTooSoonIn", { when: inSecondsText(error.retryAfterSeconds) });
    case "delivery_failed":
      return t("error.deliveryFailed");
    case "service_unavailable":
      return t("error.unavailable");
    case "cross_site_request":
      return t("error.crossSite");
    case "unauthenticated":
      return t("error.unauthenticated");
    case "bad_request":
    case "unsupported_media_type":
      return t("error.badRequest");
    case "unexpected_response":
      return t("error.unexpectedResponse");
    case "internal_error":
      return t("error.internal");
    default:
      // An unknown code from a newer BFF: its message is written for people (contract rule), in
      // English; another language gets the general message rather than a sentence it cannot read.
      return error.message && i18n.locale === defaultLocale ? error.message : t("error.generic");
  }
}

/** Messages for a code sent by email (sign-up confirmation, password reset), else describeError. */
export function describeEmailedCodeError(error: unknown): string {
  if (isApiError(error)) {
    switch (error.code) {
      case "code_mismatch":
        return t("error.emailedCodeMismatch");
      case "expired_code":
        return t("error.codeExpired");
    }
  }
  return describeError(error);
}

/** "in 30 seconds" / 「30 秒後」: Intl's relative time in the active language. */
export function inSecondsText(seconds: number): string {
  return new Intl.RelativeTimeFormat(i18n.locale, { numeric: "always", style: "long" }).format(seconds, "second");
}

/** "1 attempt left" / "2 attempts left". */
export function attemptsLeftText(attemptsLeft: number): string {
  return t("count.attemptsLeft", { count: attemptsLeft });
}
