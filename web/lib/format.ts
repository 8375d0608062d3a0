import type { Delivery } from "../../common/api-contract";
import { i18n, t } from "../i18n/i18n";

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** Intl's date formatting in the active language (its order, era, 24-hour clock), the reader's time zone. */
function dateTimeFormat(): Intl.DateTimeFormat {
  const locale = i18n.locale;
  let format = dateTimeFormats.get(locale);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "medium" });
    dateTimeFormats.set(locale, format);
  }
  return format;
}

/** A Unix time in seconds (JWT NumericDate, RFC 7519 §2) as an ISO string, or null if it isn't one. */
export function secondsToIso(seconds: number): string | null {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** A Unix time in seconds in the reader's locale and time zone. */
export function formatSeconds(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? String(seconds) : dateTimeFormat().format(date);
}

/** "by email to a***@e***.com" — Cognito masks the destination; we show it as given. */
export function describeDelivery(delivery: Delivery): string {
  return t("delivery.to", { medium: delivery.medium, destination: delivery.destination });
}
