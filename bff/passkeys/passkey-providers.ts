import { z } from "zod";
import aaguidList from "./aaguid-providers.json" with { type: "json" };

/**
 * Who keeps a passkey, from its authenticator's AAGUID (WebAuthn L3 §6.5.1, the attested
 * credential data), and the name a new passkey gets when the person gives none. The AAGUID→
 * provider list ships with the app (`aaguid-providers.json`, which names its source and date);
 * an AAGUID not in it, or the all-zero one a client may send with "none" attestation, is simply
 * an unknown provider. The AAGUID is the authenticator's own claim and is not attested here
 * ("none" attestation): it picks a label, and it limits the `hwk` amr to authenticators the list
 * knows as hardware-bound (passkey-sign-in.ts, passkeyAmr); it never lets anyone in.
 */

export type PasskeyProviderKind = "synced" | "device" | "security-key";
export interface PasskeyProvider {
  name: string;
  kind: PasskeyProviderKind;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const listSchema = z.object({
  source: z.string().min(1),
  date: z.iso.date(),
  providers: z.record(z.string().regex(uuidPattern), z.object({ name: z.string().min(1).max(64), kind: z.enum(["synced", "device", "security-key"]) })),
});

const list = listSchema.parse(aaguidList);

/** Where the list came from and when, for the README and the logs. */
export const aaguidListSource = { source: list.source, date: list.date } as const;

export const zeroAaguid = "00000000-0000-0000-0000-000000000000";

export function providerForAaguid(aaguid: string | undefined): PasskeyProvider | undefined {
  if (aaguid === undefined) return undefined;
  return list.providers[aaguid.toLowerCase()];
}

/** "Chrome on Mac" from a User-Agent header: the browser and system a passkey was created in. */
export function browserAndSystem(userAgent: string | undefined): string | undefined {
  if (!userAgent) return undefined;
  const system = [
    [/iPhone|iPod/, "iPhone"],
    [/iPad/, "iPad"],
    [/Android/, "Android"],
    [/CrOS/, "ChromeOS"],
    [/Windows/, "Windows"],
    [/Macintosh|Mac OS X/, "Mac"],
    [/Linux/, "Linux"],
  ].find(([pattern]) => (pattern as RegExp).test(userAgent))?.[1] as string | undefined;
  // Order matters: Edge, Opera and Samsung Internet also say "Chrome"; Chrome also says "Safari".
  const browser = [
    [/Edg(?:e|A|iOS)?\//, "Edge"],
    [/OPR\//, "Opera"],
    [/SamsungBrowser\//, "Samsung Internet"],
    [/Firefox\/|FxiOS\//, "Firefox"],
    [/Chrome\/|CriOS\/|Chromium\//, "Chrome"],
    [/Safari\//, "Safari"],
  ].find(([pattern]) => (pattern as RegExp).test(userAgent))?.[1] as string | undefined;
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system;
}

export interface NewPasskeyFacts {
  aaguid?: string | undefined;
  attachment?: "platform" | "cross-platform" | undefined;
  transports: readonly string[];
  deviceType: "singleDevice" | "multiDevice";
  userAgent?: string | undefined;
}

const roamingTransports = new Set(["usb", "nfc", "ble", "smart-card"]);

/**
 * The default name of a new passkey: its provider's ("iCloud Keychain"); else what it is
 * ("Security key" only for a roaming key on USB, NFC or Bluetooth; a phone reached by QR code;
 * a synced passkey); else where it was made ("Chrome on Linux"). Numbered only when the account
 * already has a passkey of that name.
 */
export function defaultPasskeyName(facts: NewPasskeyFacts, takenNames: readonly string[]): string {
  const base = baseName(facts);
  const taken = new Set(takenNames);
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) {
    const candidate = `${base} (${n})`;
    if (!taken.has(candidate)) return candidate;
  }
}

function baseName(facts: NewPasskeyFacts): string {
  const provider = providerForAaguid(facts.aaguid);
  if (provider) return provider.name;
  if (facts.attachment === "cross-platform") {
    if (facts.transports.includes("hybrid")) return "Passkey on a phone or tablet";
    if (facts.transports.some((transport) => roamingTransports.has(transport))) return "Security key";
  }
  if (facts.deviceType === "multiDevice") return "Synced passkey";
  return browserAndSystem(facts.userAgent) ?? "Passkey";
}
