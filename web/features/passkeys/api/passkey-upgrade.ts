import { browserSupportsWebAuthn, WebAuthnAbortService } from "@simplewebauthn/browser";
import { getSession } from "../../../lib/auth";
import { passkeyOfferDeclined, supportsConditionalCreate } from "../../../lib/webauthn";
import { addPasskeyAutomatically, getPasskeys } from "./passkeys";

/**
 * After a sign-in with a password and a code: should the person be offered a passkey?
 *
 * - Never when they already have one, when this browser cannot create one, or when they said
 *   "Not now" to the offer in this browser (remembered per user: the offer does not nag).
 * - Where the browser supports conditional create, the password manager they just signed in
 *   with may first save a passkey by itself, without a prompt ("automatic passkey upgrade");
 *   then there is nothing to offer. Elsewhere this step is skipped silently.
 *
 * Any failure here (offline, a slow answer) just skips the offer: signing in is what matters.
 */
export type PasskeyUpgradeOutcome = "offer" | "created" | "none";

/** Conditional create waits for the password manager; it never holds the sign-in up longer than this. */
const automaticUpgradeWaitMs = 2_000;

export async function passkeyUpgradeAfterPasswordSignIn(): Promise<PasskeyUpgradeOutcome> {
  try {
    if (!browserSupportsWebAuthn()) return "none";
    const [session, passkeys] = await Promise.all([getSession({ timeoutMs: 5_000 }), getPasskeys({ timeoutMs: 5_000 })]);
    if (!session.authenticated || passkeys.length > 0) return "none";
    if (await supportsConditionalCreate()) {
      const timer = setTimeout(() => WebAuthnAbortService.cancelCeremony(), automaticUpgradeWaitMs);
      const created = await addPasskeyAutomatically()
        .catch(() => undefined)
        .finally(() => clearTimeout(timer));
      if (created !== undefined) return "created";
    }
    return passkeyOfferDeclined(session.user.sub) ? "none" : "offer";
  } catch {
    return "none";
  }
}
