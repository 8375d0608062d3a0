import type { Delivery } from "../../common/api-contract";

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

/** A Unix time in seconds (JWT NumericDate, RFC 7519 §2) as an ISO string, or null if it isn't one. */
export function secondsToIso(seconds: number): string | null {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** A Unix time in seconds in the reader's locale and time zone. */
export function formatSeconds(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? String(seconds) : dateTimeFormat.format(date);
}

/** "by email to a***@e***.com" — Cognito masks the destination; we show it as given. */
export function describeDelivery(delivery: Delivery): string {
  const medium = delivery.medium === "SMS" ? "by text message" : "by email";
  return `${medium} to ${delivery.destination}`;
}
