import type { Passkey } from "../../../../common/api-contract";

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

const kindLabels: Record<PasskeyKind, string> = {
  synced: "Synced passkey",
  device: "Device-bound passkey",
  "security-key": "Security key",
  phone: "Passkey on a phone or tablet",
};

export function kindLabel(kind: PasskeyKind): string {
  return kindLabels[kind];
}

/** One plain sentence on where the passkey lives and what that means. */
export function whereText(passkey: Pick<Passkey, "deviceType" | "attachment" | "transports" | "provider">, knownHere: boolean): string {
  const kind = passkeyKind(passkey);
  switch (kind) {
    case "synced":
      return passkey.provider
        ? `Saved in ${passkey.provider}, so it works on every device signed in to it.`
        : "Saved by your passkey provider, so it works on your other devices too.";
    case "device":
      return knownHere
        ? `Stays on this device${passkey.provider ? ` (${passkey.provider})` : ""}. It can't be copied to another.`
        : `Stays on the device that created it${passkey.provider ? ` (${passkey.provider})` : ""}. It can't be copied to another.`;
    case "security-key":
      return `On a security key you plug in or tap${passkey.provider ? ` (${passkey.provider})` : ""}.`;
    case "phone":
      return "On a phone or tablet: you use it by scanning a QR code.";
  }
}

/** "This device" for a passkey made or used in this browser (a security key or a phone is only "used here"). */
export function hereLabel(kind: PasskeyKind, knownHere: boolean): string | undefined {
  if (!knownHere) return undefined;
  return kind === "security-key" || kind === "phone" ? "Used in this browser" : "This device";
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

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
