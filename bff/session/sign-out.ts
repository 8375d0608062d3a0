import type { Request, Response } from "express";
import type { CognitoGateway } from "../cognito/cognito-gateway";
import { ApiError } from "../errors";
import type { Logger } from "../logger";
import type { BackChannelLogout, EndedProviderSession } from "../oidc/back-channel-logout";
import { revokeAccountGrants } from "../oidc/store-adapter";
import type { Store } from "../store/store";
import type { SessionManager } from "./session-manager";
import type { AuthenticatedSession, EndedSession } from "./session-records";

/**
 * Sign-out, in one place: what each scope of a sign-out ends. The logout route, the OpenID
 * Provider's own logout, the account service (when Cognito refuses a session) and the password
 * reset call these entries; none of them ends a session by itself.
 *
 * A Cognito refresh token is ended with RevokeToken, which also ends the access tokens issued
 * from it. A session ended from elsewhere gives only its refresh token (token-sealing.ts: the
 * other tokens open only with that browser's cookie). GlobalSignOut (every token of the user in one call) is not used: it needs a live
 * access token, and the scopes below already know each refresh token they end.
 *
 * The account page adds four scopes (bff/account/): one chosen session, every other session
 * after a password change, every session with "sign out everywhere", and everything after the
 * account is deleted. Trusted devices (bff/account/trusted-devices.ts) end with every scope that
 * ends all of a user's sessions, so that a stolen browser cannot skip the code afterwards.
 *
 * Relying parties hear of every scope that ends a provider session or an account's grants
 * (OpenID Connect Back-Channel Logout 1.0, bff/oidc/back-channel-logout.ts): a logout token per
 * ended provider session, sent in the background so that no sign-out waits for an app.
 */

export interface SignOutDeps {
  store: Store;
  sessions: SessionManager;
  cognito: CognitoGateway;
  logger: Logger;
  /**
   * The OpenID Provider's session in this browser and the grants made with it (except
   * offline_access grants, meant to outlive it), and the provider's session cookie; resolves to
   * the provider session that ended, if it had a user.
   */
  endProviderSession?: (req: Request, res: Response) => Promise<EndedProviderSession | undefined>;
  /** Logout tokens to the relying parties of what a scope ends. */
  backChannelLogout?: Pick<BackChannelLogout, "providerSessionEnded" | "userSignedOutEverywhere">;
  /** Forgets every trusted device of the user ("don't ask for a code on this device"). */
  forgetTrustedDevices?: (sub: string) => Promise<void>;
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
   * The provider ended its session in this browser (a confirmed RP-initiated logout, or another
   * user signing in over it): the relying parties it signed in to are told (back-channel logout).
   */
  providerSessionEnded(ended: EndedProviderSession): void;
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
  /**
   * One chosen session of the user (the account page's "sign out" beside a session): its record
   * and its Cognito refresh token. Resolves to false when the id names none of the user's
   * sessions. The browser holding it is asked to sign in at its next request; relying parties
   * it signed in to keep their grants until they expire or the user signs out everywhere.
   */
  oneSessionOf(sub: string, publicId: string): Promise<boolean>;
  /**
   * After a password change: every OTHER session of the user (records and refresh tokens), every
   * provider grant of the account, and every trusted device. This browser stays signed in.
   * Resolves to the number of Tobira sessions ended.
   */
  otherSessionsAfterPasswordChange(req: Request, session: AuthenticatedSession): Promise<number>;
  /**
   * "Sign out everywhere": Cognito's GlobalSignOut (every refresh token of the user, also ones
   * the BFF does not know), every Tobira session including this browser's, the provider's session
   * here and every grant of the account, and every trusted device.
   */
  everywhere(req: Request, res: Response, session: AuthenticatedSession): Promise<void>;
  /**
   * After Cognito deleted the user: the provider's session here and every grant, every Tobira
   * session and trusted device. Nothing is revoked at Cognito: the user and its tokens are gone.
   */
  afterAccountDeletion(req: Request, res: Response, sub: string): Promise<void>;
}

export function createSignOut(deps: SignOutDeps): SignOut {
  const { store, sessions, cognito, logger } = deps;

  /**
   * Revokes the Cognito refresh token of each ended session. A failed revocation is logged (never
   * the token) and does not stop the others: the records are gone either way.
   */
  async function revokeRefreshTokens(ended: readonly (AuthenticatedSession | EndedSession)[], failureMessage: string): Promise<void> {
    await Promise.all(
      ended.map(async (session) => {
        const refreshToken = "tokens" in session ? session.tokens.refreshToken : session.refreshToken;
        if (refreshToken === undefined) return;
        try {
          await cognito.revokeToken(refreshToken);
        } catch (error) {
          logger.warn({ errorCode: error instanceof ApiError ? error.code : "unknown" }, failureMessage);
        }
      }),
    );
  }

  async function forgetTrustedDevices(sub: string): Promise<void> {
    await deps.forgetTrustedDevices?.(sub);
  }

  /**
   * The relying parties of every session of the user learn of the sign-out; read before the
   * grants are revoked. A failure is logged, never stops the sign-out.
   */
  async function tellEveryRelyingParty(sub: string): Promise<void> {
    try {
      await deps.backChannelLogout?.userSignedOutEverywhere(sub);
    } catch (error) {
      logger.warn({ err: error }, "sign-out: could not start back-channel logout");
    }
  }

  /** The provider's session in this browser, and its relying parties told; a failure is logged, never stops the Tobira sign-out. */
  async function endProviderSessionHere(req: Request, res: Response): Promise<void> {
    try {
      const ended = await deps.endProviderSession?.(req, res);
      if (ended !== undefined) deps.backChannelLogout?.providerSessionEnded(ended);
    } catch (error) {
      // The Tobira sign-out must happen regardless; single sign-on cannot outlive it anyway (the
      // provider asks for a sign-in once the Tobira session is gone).
      logger.warn({ err: error }, "logout: could not end the OpenID Provider session");
    }
  }

  async function thisBrowserAfterProviderLogout(req: Request): Promise<void> {
    const ended = await sessions.end(req);
    if (ended === undefined) return;
    await revokeRefreshTokens([ended], "logout: could not revoke the refresh token");
  }

  return {
    thisBrowserAfterProviderLogout,

    providerSessionEnded(ended) {
      deps.backChannelLogout?.providerSessionEnded(ended);
    },

    async thisBrowserAfterCognitoRefusal(req) {
      await sessions.end(req);
    },

    async thisBrowser(req, res) {
      await endProviderSessionHere(req, res);
      await thisBrowserAfterProviderLogout(req);
    },

    async everySessionOf(sub) {
      const endTobiraSessions = async () => {
        const ended = await sessions.endAllSessionsFor(sub);
        await revokeRefreshTokens(ended, "sign-out everywhere: could not revoke a refresh token");
      };
      await tellEveryRelyingParty(sub);
      await Promise.all([endTobiraSessions(), revokeAccountGrants(store, sub), forgetTrustedDevices(sub)]);
    },

    async oneSessionOf(sub, publicId) {
      const ended = await sessions.endOneOf(sub, publicId);
      if (ended === undefined) return false;
      await revokeRefreshTokens([ended], "sign out one session: could not revoke its refresh token");
      return true;
    },

    async otherSessionsAfterPasswordChange(req, session) {
      const endOthers = async () => {
        const ended = await sessions.endOtherSessionsOf(req, session.sub);
        await revokeRefreshTokens(ended, "password change: could not revoke another session's refresh token");
        return ended.length;
      };
      await tellEveryRelyingParty(session.sub);
      const [count] = await Promise.all([endOthers(), revokeAccountGrants(store, session.sub), forgetTrustedDevices(session.sub)]);
      return count;
    },

    async everywhere(req, res, session) {
      try {
        await cognito.globalSignOut(session.tokens.accessToken);
      } catch (error) {
        // Each known refresh token is still revoked below; a token Tobira never saw outlives it.
        logger.warn({ errorCode: error instanceof ApiError ? error.code : "unknown" }, "sign-out everywhere: GlobalSignOut failed");
      }
      await endProviderSessionHere(req, res);
      await tellEveryRelyingParty(session.sub);
      const ended = await sessions.endAllSessionsFor(session.sub);
      await Promise.all([
        revokeRefreshTokens(ended, "sign-out everywhere: could not revoke a refresh token"),
        revokeAccountGrants(store, session.sub),
        forgetTrustedDevices(session.sub),
        sessions.end(req),
      ]);
    },

    async afterAccountDeletion(req, res, sub) {
      await endProviderSessionHere(req, res);
      await tellEveryRelyingParty(sub);
      await Promise.all([sessions.endAllSessionsFor(sub), revokeAccountGrants(store, sub), forgetTrustedDevices(sub), sessions.end(req)]);
    },
  };
}
