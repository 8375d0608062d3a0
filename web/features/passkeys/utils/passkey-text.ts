import type { Passkey } from "../../../../common/api-contract";

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** "This device" for a single-device credential, "Synced" for one the provider backs up (WebAuthn L3 §6.1.3 BE/BS). */
export function deviceTypeLabel(passkey: Pick<Passkey, "deviceType">): string {
  return passkey.deviceType === "multiDevice" ? "Synced" : "This device";
}

export function formatIsoDate(iso: string | null): string {
  if (iso === null) return "Never";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}

/** Why adding a passkey stopped, in words for people; null when the prompt was simply closed. */
export function registrationCeremonyOutcome(error: unknown): "cancelled" | "already_registered" | "failed" {
  const cause = (error as { cause?: unknown } | null)?.cause;
  const name = cause instanceof Error ? cause.name : error instanceof Error ? error.name : undefined;
  if ((error as { code?: unknown } | null)?.code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED" || name === "InvalidStateError") return "already_registered";
  if (name === "NotAllowedError" || name === "AbortError") return "cancelled";
  return "failed";
}
