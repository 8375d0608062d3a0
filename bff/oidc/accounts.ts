import type { Account } from "oidc-provider";
import { normalisedEmail } from "../session/session-manager";
import type { Store } from "../store/store";

/**
 * What the provider knows about a user: a snapshot of the Cognito attributes (GetUser), written
 * at each sign-in that finishes a relying party's request, keyed by the Cognito `sub`. The ID
 * token's and /userinfo's claims come from it; oidc-provider returns only the claims of the
 * scopes the client was granted (OpenID Connect Core §5.4).
 */

export const accountKind = "oidc-account";

/** Kept as long as a refresh token may be used without a new sign-in. */
export const accountSnapshotTtlSeconds = 30 * 24 * 60 * 60;

export interface AccountSnapshot {
  sub: string;
  claims: Record<string, unknown>;
  updatedAt: number;
}

/** Cognito returns every attribute as a string; OIDC's `*_verified` claims are booleans (Core §5.1). */
export function claimsFromCognitoAttributes(attributes: Record<string, unknown>): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "username" || name.startsWith("custom:") || name.startsWith("cognito:")) continue;
    claims[name] = value === "true" ? true : value === "false" ? false : value;
  }
  return claims;
}

export function createAccountStore(store: Store) {
  return {
    async save(sub: string, attributes: Record<string, unknown>): Promise<void> {
      const snapshot: AccountSnapshot = { sub, claims: claimsFromCognitoAttributes(attributes), updatedAt: Math.floor(Date.now() / 1000) };
      // Indexed by email: a password reset names the user only by email (subsForEmail).
      const email = snapshot.claims.email;
      await store.put(accountKind, sub, snapshot, {
        ttlSeconds: accountSnapshotTtlSeconds,
        ...(typeof email === "string" ? { index: normalisedEmail(email) } : {}),
      });
    },

    /** The subs whose latest snapshot has this email (none when the user never signed in to an app). */
    async subsForEmail(email: string): Promise<string[]> {
      const snapshots = await store.queryByIndex<AccountSnapshot>(accountKind, normalisedEmail(email));
      return snapshots.map((record) => record.value.sub);
    },

    /** oidc-provider's `findAccount`: undefined makes the provider refuse the token or code. */
    async find(sub: string): Promise<Account | undefined> {
      const snapshot = await store.get<AccountSnapshot>(accountKind, sub);
      if (snapshot === undefined) return undefined;
      return {
        accountId: sub,
        claims: () => ({ ...snapshot.claims, sub }),
      };
    },
  };
}

export type AccountStore = ReturnType<typeof createAccountStore>;
