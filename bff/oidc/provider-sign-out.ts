import type { Request, Response } from "express";
import type Provider from "oidc-provider";
import type { AdapterPayload } from "oidc-provider";
import type { BffConfig } from "../config";
import type { SessionManager } from "../session/session-manager";
import type { SignOut } from "../session/sign-out";
import type { Store } from "../store/store";
import { sidsOf, type EndedProviderSession } from "./back-channel-logout";
import { revokeGrantEverywhere } from "./store-adapter";

/**
 * Where the provider's sessions meet Tobira's sign-out (session/sign-out.ts), both ways: signing
 * out of Tobira in this browser ends the provider's session here, and a sign-out confirmed at the
 * provider ends the Tobira session.
 */

/** What a provider session was, for its relying parties' back-channel logout; undefined when it had no user. */
export function endedProviderSession(session: { accountId?: string | undefined; authorizations?: AdapterPayload["authorizations"] }): EndedProviderSession | undefined {
  return session.accountId === undefined ? undefined : { accountId: session.accountId, sids: sidsOf(session) };
}

/**
 * Ends this browser's provider session and revokes what it granted (POST /api/logout); resolves
 * to the session that ended, for its relying parties' back-channel logout (session/sign-out.ts).
 */
export function createEndProviderSession(deps: {
  provider: Provider;
  store: Store;
  config: BffConfig;
}): (req: Request, res: Response) => Promise<EndedProviderSession | undefined> {
  const { provider, store, config } = deps;
  return async (req, res) => {
    const ctx = provider.createContext(req, res);
    const session = await provider.Session.get(ctx);
    let ended: EndedProviderSession | undefined;
    // oidc-provider marks a session it has only just created with a non-enumerable `new`
    // (lib/models/session.js), which @types/oidc-provider does not declare.
    if ((session as unknown as { new?: true }).new !== true) {
      ended = endedProviderSession(session);
      // As the provider's own logout does: what was granted with this session ends with it,
      // except offline_access grants, which are meant to outlive it.
      const grants = Object.values(session.authorizations ?? {}).filter((entry) => entry.grantId !== undefined && entry.persistsLogout !== true);
      await Promise.all(grants.map((entry) => revokeGrantEverywhere(store, entry.grantId!)));
      await session.destroy();
    }
    ctx.cookies.set(provider.cookieName("session"), null, { httpOnly: true, sameSite: "lax", secure: config.cookie.secure, path: "/" });
    return ended;
  };
}

/**
 * A sign-out confirmed at the provider (RP-initiated logout): its relying parties are told
 * (back-channel logout), and this browser's Tobira session ends when it is the same user's.
 */
export function endTobiraSessionOnProviderLogout(deps: {
  sessions: SessionManager;
  signOut: Pick<SignOut, "thisBrowserAfterProviderLogout" | "providerSessionEnded">;
}): (req: Request, ended: EndedProviderSession | undefined) => Promise<void> {
  const { sessions, signOut } = deps;
  return async (req, ended) => {
    // A provider session without a user has nothing to sign out: oidc-provider then submits its
    // logout form by itself, with no confirmation, so ending the Tobira session here would let any
    // site sign a user out with one link (logout CSRF, RP-Initiated Logout 1.0 §6).
    if (ended === undefined) return;
    const accountId = ended.accountId;
    signOut.providerSessionEnded(ended);
    // The provider also signs its session out when another user signs in over it (a principal
    // change): that must not end the new user's Tobira session.
    const bff = await sessions.readAuthenticated(req);
    if (bff !== undefined && bff.sub !== accountId) return;
    await signOut.thisBrowserAfterProviderLogout(req);
  };
}
