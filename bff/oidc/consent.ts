import type { Store } from "../store/store";

/**
 * Consent for apps that are not first party (docs/architecture.md, "The OpenID Provider"): the
 * user's decision on the SPA's consent page, and the consent remembered per user and app, which
 * the account page lists as "connected apps" and can revoke.
 *
 * - The decision travels from the JSON API (POST /api/consent) to the interaction that finishes
 *   the request (/interaction/<uid>/complete) in a single-use record keyed by the interaction:
 *   the provider's interaction cookie is path-scoped to /interaction/<uid>, so only a navigation
 *   there can finish it.
 * - A remembered consent names the scopes the user allowed; a later request for no more than
 *   those is granted without asking again (OpenID Connect Core §3.1.2.4: the OP may use a prior
 *   consent).
 */

export const consentDecisionKind = "oidc-consent-decision";
export const rememberedConsentKind = "oidc-consent";

/** A consent is remembered for a year at most; using the app does not extend it. */
export const rememberedConsentTtlSeconds = 365 * 24 * 60 * 60;

export interface ConsentDecision {
  sub: string;
  decision: "allow" | "deny";
}

export interface RememberedConsent {
  sub: string;
  clientId: string;
  scopes: string[];
  /** Epoch seconds of the first consent, and of the latest one. */
  grantedAt: number;
  updatedAt: number;
}

function consentId(sub: string, clientId: string): string {
  return `${sub}:${clientId}`;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

export function createConsentStore(store: Store, options: { decisionTtlSeconds: number }) {
  return {
    /** Records the user's answer for one interaction (read once, by the interaction). */
    async recordDecision(uid: string, decision: ConsentDecision): Promise<void> {
      await store.put(consentDecisionKind, uid, decision, { ttlSeconds: options.decisionTtlSeconds });
    },

    takeDecision(uid: string): Promise<ConsentDecision | undefined> {
      return store.consume<ConsentDecision>(consentDecisionKind, uid);
    },

    find(sub: string, clientId: string): Promise<RememberedConsent | undefined> {
      return store.get<RememberedConsent>(rememberedConsentKind, consentId(sub, clientId));
    },

    /** Remembers that the user allowed these scopes (added to any allowed before). */
    async remember(sub: string, clientId: string, scopes: readonly string[]): Promise<RememberedConsent> {
      const previous = await store.get<RememberedConsent>(rememberedConsentKind, consentId(sub, clientId));
      const now = nowSeconds();
      const consent: RememberedConsent = {
        sub,
        clientId,
        scopes: [...new Set([...(previous?.scopes ?? []), ...scopes])],
        grantedAt: previous?.grantedAt ?? now,
        updatedAt: now,
      };
      await store.put(rememberedConsentKind, consentId(sub, clientId), consent, { ttlSeconds: rememberedConsentTtlSeconds, index: sub });
      return consent;
    },

    async list(sub: string): Promise<RememberedConsent[]> {
      return (await store.queryByIndex<RememberedConsent>(rememberedConsentKind, sub)).map((record) => record.value);
    },

    /** Forgets the consent; resolves false when there was none. */
    async forget(sub: string, clientId: string): Promise<boolean> {
      const existing = await store.consume<RememberedConsent>(rememberedConsentKind, consentId(sub, clientId));
      return existing !== undefined;
    },
  };
}

export type ConsentStore = ReturnType<typeof createConsentStore>;

/** True when every requested scope was allowed before. */
export function coversScopes(consent: RememberedConsent | undefined, requested: Iterable<string>): boolean {
  if (consent === undefined) return false;
  const allowed = new Set(consent.scopes);
  for (const scope of requested) if (!allowed.has(scope)) return false;
  return true;
}
