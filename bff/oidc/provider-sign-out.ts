import type { Request, Response } from "express";
import type Provider from "oidc-provider";
import type { BffConfig } from "../config";
import type { SessionManager } from "../session/session-manager";
import type { SignOut } from "../session/sign-out";
import type { Store } from "../store/store";
import { revokeGrantEverywhere } from "./store-adapter";

/**
 * Where the provider's sessions meet Tobira's sign-out (session/sign-out.ts), both ways: signing
 * out of Tobira in this browser ends the provider's session here, and a sign-out confirmed at the
 * provider ends the Tobira session.
 */

/** Ends this browser's provider session and revokes what it granted (POST /api/logout). */
export function createEndProviderSession(deps: { provider: Provider; store: Store; config: BffConfig }): (req: Request, res: Response) => Promise<void> {
  const { provider, store, config } = deps;
  return async (req, res) => {
    const ctx = provider.createContext(req, res);
    const session = await provider.Session.get(ctx);
    // oidc-provider marks a session it has only just created with a non-enumerable `new`
    // (lib/models/session.js), which @types/oidc-provider does not declare.
    if ((session as unknown as { new?: true }).new !== true) {
      // As the provider's own logout does: what was granted with this session ends with it,
      // except offline_access grants, which are meant to outlive it.
      const grants = Object.values(session.authorizations ?? {}).filter((entry) => entry.grantId !== undefined && entry.persistsLogout !== true);
      await Promise.all(grants.map((entry) => revokeGrantEverywhere(store, entry.grantId!)));
      await session.destroy();
    }
    ctx.cookies.set(provider.cookieName("session"), null, { httpOnly: true, sameSite: "lax", secure: config.cookie.secure, path: "/" });
  };
}

/** When a sign-out confirmed at the provider also ends this browser's Tobira session. */
export function endTobiraSessionOnProviderLogout(deps: {
  sessions: SessionManager;
  signOut: Pick<SignOut, "thisBrowserAfterProviderLogout">;
}): (req: Request, accountId: string | undefined) => Promise<void> {
  const { sessions, signOut } = deps;
  return async (req, accountId) => {
    // A provider session without a user has nothing to sign out: oidc-provider then submits its
    // logout form by itself, with no confirmation, so ending the Tobira session here would let any
    // site sign a user out with one link (logout CSRF, RP-Initiated Logout 1.0 §6).
    if (accountId === undefined) return;
    // The provider also signs its session out when another user signs in over it (a principal
    // change): that must not end the new user's Tobira session.
    const bff = await sessions.readAuthenticated(req);
    if (bff !== undefined && bff.sub !== accountId) return;
    await signOut.thisBrowserAfterProviderLogout(req);
  };
}
