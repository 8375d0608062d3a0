/**
 * The optional parts of WebAuthn Level 3 that Tobira uses where the browser has them, and what
 * this browser remembers about passkeys. Every call is feature-detected and silent: a browser
 * without the capability simply does less, and never shows an error for it.
 *
 * - The Signal API (WebAuthn L3 §5.1.10): `signalUnknownCredential` when a sign-in used a
 *   passkey the account does not know, `signalAllAcceptedCredentials` after a delete, and
 *   `signalCurrentUserDetails` after a change of name, so password managers stop offering dead
 *   passkeys and show current names. Chrome and Edge 132+ have it; Safari and Firefox did not
 *   when this was written.
 * - Conditional create (`mediation: "conditional"` on create, WebAuthn L3 §5.1.3): the password
 *   manager the person just signed in with may save a passkey without a prompt. Detected with
 *   `PublicKeyCredential.getClientCapabilities()` (`conditionalCreate`).
 */

interface SignalApi {
  signalUnknownCredential?: (options: { rpId: string; credentialId: string }) => Promise<void>;
  signalAllAcceptedCredentials?: (options: { rpId: string; userId: string; allAcceptedCredentialIds: string[] }) => Promise<void>;
  signalCurrentUserDetails?: (options: { rpId: string; userId: string; name: string; displayName: string }) => Promise<void>;
  getClientCapabilities?: () => Promise<Record<string, boolean | undefined>>;
}

function publicKeyCredential(): SignalApi | undefined {
  const candidate = (globalThis as { PublicKeyCredential?: unknown }).PublicKeyCredential;
  return typeof candidate === "function" ? (candidate as SignalApi) : undefined;
}

export type SignalName = "signalUnknownCredential" | "signalAllAcceptedCredentials" | "signalCurrentUserDetails";

/** Whether this browser has one of the Signal API's calls. */
export function supportsSignal(name: SignalName): boolean {
  return typeof publicKeyCredential()?.[name] === "function";
}

/** Runs a signal where the browser has it; never throws, never waits on the browser's answer. Returns whether it was sent. */
function send<K extends SignalName>(name: K, options: Parameters<NonNullable<SignalApi[K]>>[0]): boolean {
  const api = publicKeyCredential();
  const signal = api?.[name] as ((options: unknown) => Promise<void>) | undefined;
  if (typeof signal !== "function") return false;
  try {
    void signal.call(api, options).catch(() => undefined);
  } catch {
    // A browser that throws synchronously (e.g. a malformed id it could not decode) gets nothing more.
  }
  return true;
}

export const webauthnSignals = {
  /** The account does not know this credential: the provider may hide or delete it. */
  unknownCredential: (options: { rpId: string; credentialId: string }) => send("signalUnknownCredential", options),
  /** The complete list the account accepts for this user: the provider may hide the others. */
  allAcceptedCredentials: (options: { rpId: string; userId: string; allAcceptedCredentialIds: string[] }) => send("signalAllAcceptedCredentials", options),
  /** The user's current name and display name. */
  currentUserDetails: (options: { rpId: string; userId: string; name: string; displayName: string }) => send("signalCurrentUserDetails", options),
};

/** Whether the browser can create a passkey with `mediation: "conditional"` (an automatic upgrade after a password sign-in). */
export async function supportsConditionalCreate(): Promise<boolean> {
  const getCapabilities = publicKeyCredential()?.getClientCapabilities;
  if (typeof getCapabilities !== "function") return false;
  try {
    const capabilities = await getCapabilities.call(publicKeyCredential());
    return capabilities.conditionalCreate === true;
  } catch {
    return false;
  }
}

// ---- what this browser remembers ------------------------------------------------------------

/**
 * Passkeys created or used in this browser (their credential ids, which are not secret): the
 * passkey list says "This device" only for these, since a passkey's type alone cannot say where
 * it lives. Kept in localStorage, so clearing site data forgets it; the list then stays neutral.
 */
const passkeysHereKey = "tobira.passkeys-here";
const maxRemembered = 50;

function readList(key: string): string[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(key) ?? "[]");
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
  } catch {
    return [];
  }
}

function writeList(key: string, list: string[]): void {
  try {
    localStorage.setItem(key, JSON.stringify(list.slice(-maxRemembered)));
  } catch {
    // Storage full or disabled (private browsing): the labels stay neutral.
  }
}

export function rememberPasskeyHere(credentialId: string): void {
  writeList(passkeysHereKey, [...readList(passkeysHereKey).filter((id) => id !== credentialId), credentialId]);
}

export function isPasskeyHere(credentialId: string): boolean {
  return readList(passkeysHereKey).includes(credentialId);
}

export function forgetPasskeyHere(credentialId: string): void {
  writeList(
    passkeysHereKey,
    readList(passkeysHereKey).filter((id) => id !== credentialId),
  );
}

/** "Not now" to the passkey offer, per user (their `sub`), so the offer does not come back at every sign-in. */
const offerDeclinedKey = "tobira.passkey-offer-declined";

export function declinePasskeyOffer(sub: string): void {
  writeList(offerDeclinedKey, [...readList(offerDeclinedKey).filter((id) => id !== sub), sub]);
}

export function passkeyOfferDeclined(sub: string): boolean {
  return readList(offerDeclinedKey).includes(sub);
}
