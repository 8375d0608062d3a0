import type { Passkey } from "../../common/api-contract";
import type { Store } from "../store/store";
import { providerForAaguid } from "./passkey-providers";

/**
 * Passkey credentials in the BFF's store (docs/architecture.md, "State and its record kinds"): one record per credential, keyed
 * by the credential id (the lookup a usernameless assertion needs) and indexed by Cognito's
 * internal username (the user's list, and the sign-in "which methods" question).
 */

export const passkeyKind = "passkey";

export interface StoredPasskey {
  /** base64url credential id (WebAuthn L3 §4 "Credential ID"). */
  credentialId: string;
  /** base64url COSE public key. */
  publicKey: string;
  /** The authenticator's signature counter (WebAuthn L3 §6.1.1); 0 for authenticators without one. */
  counter: number;
  transports: string[];
  deviceType: "singleDevice" | "multiDevice";
  backedUp: boolean;
  name: string;
  /** ISO 8601. */
  createdAt: string;
  lastUsedAt: string | null;
  /** The Cognito `sub` and internal username of the owner. */
  sub: string;
  username: string;
  /** base64url of the WebAuthn user handle given at registration (user.id). */
  userHandle: string;
  /** The authenticator's AAGUID (WebAuthn L3 §6.5.1), lower-case; absent on passkeys stored before it was kept. */
  aaguid?: string;
  /** What the browser reported at registration (WebAuthn L3 §5.4.5); absent when it did not say. */
  attachment?: "platform" | "cross-platform";
  /** ISO 8601: when the owner last confirmed it on the account page after a password reset. */
  confirmedAt?: string;
}

/**
 * A passkey created (or last confirmed) before its owner's latest password reset does not sign in
 * until the owner confirms it again (docs/architecture.md, "After a password reset"): a reset must
 * also evict a passkey an intruder added (OWASP Forgot Password Cheat Sheet).
 */
export function isSuspended(passkey: Pick<StoredPasskey, "createdAt" | "confirmedAt">, lastResetAt: number | undefined): boolean {
  if (lastResetAt === undefined) return false;
  const vouchedAt = Date.parse(passkey.confirmedAt ?? passkey.createdAt);
  return !(vouchedAt > lastResetAt);
}

export interface PasskeyRepository {
  listForUser(username: string): Promise<StoredPasskey[]>;
  find(credentialId: string): Promise<StoredPasskey | undefined>;
  /**
   * Stores a new passkey (registration) only if no passkey has its credential id: false, writing
   * nothing, when one does, so two registrations racing with one credential cannot overwrite
   * each other (or another account's).
   */
  save(passkey: StoredPasskey): Promise<boolean>;
  /**
   * Changes a stored passkey (name, counter); false, writing nothing, when it no longer exists,
   * so that an update racing a DELETE cannot bring the credential back. With `counterWas`, only
   * while the stored signature counter is still that value (compare-and-set, WebAuthn L3 §6.1.1):
   * two sign-ins racing with one counter value cannot both move it.
   */
  update(passkey: StoredPasskey, counterWas?: number): Promise<boolean>;
  remove(credentialId: string): Promise<void>;
}

export function createPasskeyRepository(store: Store): PasskeyRepository {
  return {
    async listForUser(username) {
      const records = await store.queryByIndex<StoredPasskey>(passkeyKind, username);
      return records.map((record) => record.value).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },
    find: (credentialId) => store.get<StoredPasskey>(passkeyKind, credentialId),
    // Stryker disable next-line BooleanLiteral: the store tells conditions apart by their key ("absent" in condition); true is the type's only value
    save: (passkey) => store.put(passkeyKind, passkey.credentialId, passkey, { index: passkey.username, condition: { absent: true } }),
    update: (passkey, counterWas) =>
      store.put(passkeyKind, passkey.credentialId, passkey, {
        index: passkey.username,
        // Stryker disable next-line ObjectLiteral,BooleanLiteral: the store tells conditions apart by their key, and a put with a condition that is neither "absent" nor a field requires a live record, as { exists: true } does
        condition: counterWas === undefined ? { exists: true } : { field: "counter", equals: counterWas },
      }),
    remove: (credentialId) => store.delete(passkeyKind, credentialId),
  };
}

/** The contract's view of a passkey (no key material, no owner ids); the provider is looked up at read time, so a newer list names older passkeys too. */
export function toPasskeyView(passkey: StoredPasskey, lastResetAt?: number): Passkey {
  return {
    needsConfirmation: isSuspended(passkey, lastResetAt),
    id: passkey.credentialId,
    name: passkey.name,
    createdAt: passkey.createdAt,
    lastUsedAt: passkey.lastUsedAt,
    deviceType: passkey.deviceType,
    backedUp: passkey.backedUp,
    transports: passkey.transports,
    provider: providerForAaguid(passkey.aaguid)?.name ?? null,
    attachment: passkey.attachment ?? null,
  };
}
