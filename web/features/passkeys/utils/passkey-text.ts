import type { Passkey } from "../../../../common/api-contract";
import { i18n, t } from "../../../i18n/i18n";

/**
 * How a passkey is described to people. What kind it is comes from what the server stored
 * (WebAuthn L3 §6.1.3 backup eligibility: synced or device-bound; the attachment and transports
 * the browser reported); *where* it is can only be known for passkeys made or used in this
 * browser (lib/webauthn.ts), so "This device" is said only of those. A built-in authenticator
 * (Touch ID, Windows Hello, a phone's screen lock) is never called a security key.
 */
export type PasskeyKind = "synced" | "device" | "security-key" | "phone";

const roamingTransports = new Set(["usb", "nfc", "ble", "smart-card"]);

export function passkeyKind(passkey: Pick<Passkey, "deviceType" | "attachment" | "transports">): PasskeyKind {
  if (passkey.deviceType === "multiDevice") return "synced";
  if (passkey.attachment === "cross-platform") {
    if (passkey.transports.includes("hybrid")) return "phone";
    if (passkey.transports.some((transport) => roamingTransports.has(transport))) return "security-key";
  }
  return "device";
}

export function kindLabel(kind: PasskeyKind): string {
  return t(`passkey.kind.${kind}`);
}

/** One plain sentence on where the passkey lives and what that means. */
export function whereText(passkey: Pick<Passkey, "deviceType" | "attachment" | "transports" | "provider">, knownHere: boolean): string {
  const kind = passkeyKind(passkey);
  const provider = passkey.provider;
  switch (kind) {
    case "synced":
      return provider ? t("passkey.where.syncedIn", { provider }) : t("passkey.where.synced");
    case "device":
      if (knownHere) return provider ? t("passkey.where.thisDeviceOf", { provider }) : t("passkey.where.thisDevice");
      return provider ? t("passkey.where.creatingDeviceOf", { provider }) : t("passkey.where.creatingDevice");
    case "security-key":
      return provider ? t("passkey.where.securityKeyOf", { provider }) : t("passkey.where.securityKey");
    case "phone":
      return t("passkey.where.phone");
  }
}

/** "This device" for a passkey made or used in this browser (a security key or a phone is only "used here"). */
export function hereLabel(kind: PasskeyKind, knownHere: boolean): string | undefined {
  if (!knownHere) return undefined;
  return kind === "security-key" || kind === "phone" ? t("passkey.usedHere") : t("passkey.thisDevice");
}

/** A date and time in the active language (Intl), the reader's time zone. */
export function formatIsoDate(iso: string | null): string {
  if (iso === null) return t("passkey.never");
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : new Intl.DateTimeFormat(i18n.locale, { dateStyle: "medium", timeStyle: "short" }).format(date);
}

/** Why adding a passkey stopped, in words for people; null when the prompt was simply closed. */
export function registrationCeremonyOutcome(error: unknown): "cancelled" | "already_registered" | "failed" {
  const cause = (error as { cause?: unknown } | null)?.cause;
  const name = cause instanceof Error ? cause.name : error instanceof Error ? error.name : undefined;
  if ((error as { code?: unknown } | null)?.code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED" || name === "InvalidStateError") return "already_registered";
  if (name === "NotAllowedError" || name === "AbortError") return "cancelled";
  return "failed";
}
