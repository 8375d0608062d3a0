import type { Account } from "oidc-provider";
import { normalisedEmail } from "../session/session-manager";
import type { Store } from "../store/store";
import { withRequestReads } from "./token-request-store";

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
  /** Cognito's internal username (for AdminGetUser); absent from older snapshots. */
  username?: string;
  claims: Record<string, unknown>;
  updatedAt: number;
}

/**
 * The claims each scope releases (OpenID Connect Core §5.4), all of them standard attributes of
 * every Cognito user pool. `address` is left out: Cognito keeps it as a plain string, not the
 * JSON object of Core §5.1.1. The provider's `claims` (and so discovery's `claims_supported`)
 * come from this list, so it names only what is really released.
 */
export const claimsByScope = {
  email: ["email", "email_verified"],
  profile: [
    "name",
    "family_name",
    "given_name",
    "middle_name",
    "nickname",
    "preferred_username",
    "profile",
    "picture",
    "website",
    "gender",
    "birthdate",
    "zoneinfo",
    "locale",
    "updated_at",
  ],
  phone: ["phone_number", "phone_number_verified"],
} as const;

const releasedClaims: ReadonlySet<string> = new Set(Object.values(claimsByScope).flat());
const booleanClaims: ReadonlySet<string> = new Set(["email_verified", "phone_number_verified"]);

/**
 * Cognito returns every attribute as a string; OIDC's `*_verified` claims are booleans and
 * `updated_at` a number of seconds (Core §5.1). Only the claims some scope releases are kept;
 * everything else (custom:, cognito:, identities, address) is left out. Values already typed
 * (GetUser's answer as the account service shapes it) are accepted too.
 */
export function claimsFromCognitoAttributes(attributes: Record<string, unknown>): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (!releasedClaims.has(name) || value === undefined || value === null || value === "") continue;
    if (booleanClaims.has(name)) claims[name] = value === true || value === "true";
    else if (name === "updated_at") {
      const seconds = Number(value);
      if (Number.isInteger(seconds) && seconds >= 0) claims[name] = seconds;
    } else claims[name] = String(value);
  }
  return claims;
}

export function createAccountStore(backing: Store) {
  // A token request reads the snapshot with its code or refresh token (token-request-store.ts).
  const store = withRequestReads(backing);
  return {
    async save(sub: string, attributes: Record<string, unknown>): Promise<void> {
      const username = typeof attributes.username === "string" ? attributes.username : undefined;
      const snapshot: AccountSnapshot = {
        sub,
        ...(username === undefined ? {} : { username }),
        claims: claimsFromCognitoAttributes(attributes),
        updatedAt: Math.floor(Date.now() / 1000),
      };
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

    snapshot(sub: string): Promise<AccountSnapshot | undefined> {
      return store.get<AccountSnapshot>(accountKind, sub);
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
