import type { Request, Response } from "express";
import type { CognitoGateway } from "../cognito/cognito-gateway";
import { ApiError } from "../errors";
import type { Logger } from "../logger";
import { revokeAccountGrants } from "../oidc/store-adapter";
import type { Store } from "../store/store";
import type { SessionManager } from "./session-manager";
import type { AuthenticatedSession } from "./session-records";

/**
 * Sign-out, in one place: what each scope of a sign-out ends. The logout route, the OpenID
 * Provider's own logout, the account service (when Cognito refuses a session) and the password
 * reset call these entries; none of them ends a session by itself.
 *
 * A Cognito refresh token is ended with RevokeToken, which also ends the access tokens issued
 * from it. GlobalSignOut (every token of the user in one call) is not used: it needs a live
 * access token, and the scopes below already know each refresh token they end.
 *
 * One chosen session (a device listed on the account page) is the scope still to build. It fits
 * the same shape: the session manager ends one of the user's records by its store key and
 * returns it, and `revokeRefreshTokens` below ends its Cognito token as for the other scopes.
 */

export interface SignOutDeps {
  store: Store;
  sessions: SessionManager;
  cognito: CognitoGateway;
  logger: Logger;
  /**
   * The OpenID Provider's session in this browser and the grants made with it (except
   * offline_access grants, meant to outlive it), and the provider's session cookie.
   */
  endProviderSession?: (req: Request, res: Response) => Promise<void>;
}

export interface SignOut {
  /**
   * This browser (POST /api/logout). Ends the provider's session in this browser and the grants
   * made with it, so single sign-on ends too; then this browser's Tobira session records
   * (signed-in session and pending sign-in) and cookie; then the Cognito refresh token behind it.
   */
  thisBrowser(req: Request, res: Response): Promise<void>;
  /**
   * This browser, when the provider has ended its own session (a confirmed RP-initiated logout):
   * the Tobira session records and cookie, and the Cognito refresh token behind them.
   */
  thisBrowserAfterProviderLogout(req: Request): Promise<void>;
  /**
   * This browser, when Cognito no longer honours its session (a refused refresh or GetUser, or
   * tokens that fail verification): the Tobira session records and cookie only; nothing is
   * revoked. The person is asked to sign in again.
   */
  thisBrowserAfterCognitoRefusal(req: Request): Promise<void>;
  /**
   * Every session of a user, in every browser (a password reset; OWASP Forgot Password Cheat
   * Sheet, "invalidate existing sessions"). Ends each signed-in Tobira session record of the user
   * and its Cognito refresh token, and every provider grant of the account with every token issued
   * under it: relying parties' refresh tokens then get invalid_grant and their access tokens 401.
   * The provider's sessions stay but no longer let anyone skip a sign-in: the provider asks for
   * one whenever the browser holds no Tobira session of that user (provider-options.ts). Pending
   * sign-ins hold no tokens and are left alone.
   */
  everySessionOf(sub: string): Promise<void>;
}

export function createSignOut(deps: SignOutDeps): SignOut {
  const { store, sessions, cognito, logger } = deps;

  /**
   * Revokes the Cognito refresh token of each ended session. A failed revocation is logged (never
   * the token) and does not stop the others: the records are gone either way.
   */
  async function revokeRefreshTokens(ended: readonly AuthenticatedSession[], failureMessage: string): Promise<void> {
    await Promise.all(
      ended.map(async (session) => {
        try {
          await cognito.revokeToken(session.tokens.refreshToken);
        } catch (error) {
          logger.warn({ errorCode: error instanceof ApiError ? error.code : "unknown" }, failureMessage);
        }
      }),
    );
  }

  async function thisBrowserAfterProviderLogout(req: Request): Promise<void> {
    const ended = await sessions.end(req);
    if (ended === undefined) return;
    await revokeRefreshTokens([ended], "logout: could not revoke the refresh token");
  }

  return {
    thisBrowserAfterProviderLogout,

    async thisBrowserAfterCognitoRefusal(req) {
      await sessions.end(req);
    },

    async thisBrowser(req, res) {
      try {
        await deps.endProviderSession?.(req, res);
      } catch (error) {
        // The Tobira sign-out must happen regardless; single sign-on cannot outlive it anyway (the
        // provider asks for a sign-in once the Tobira session is gone).
        logger.warn({ err: error }, "logout: could not end the OpenID Provider session");
      }
      await thisBrowserAfterProviderLogout(req);
    },

    async everySessionOf(sub) {
      const endTobiraSessions = async () => {
        const ended = await sessions.endAllSessionsFor(sub);
        await revokeRefreshTokens(ended, "sign-out everywhere: could not revoke a refresh token");
      };
      await Promise.all([endTobiraSessions(), revokeAccountGrants(store, sub)]);
    },
  };
}
