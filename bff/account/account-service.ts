import type { Request } from "express";
import type { AccountClaimsResponse } from "../../common/api-contract";
import type { CognitoGateway } from "../cognito/cognito-gateway";
import { InvalidTokenError, type CognitoTokenVerifier } from "../cognito/cognito-token-verifier";
import { ApiError } from "../errors";
import type { Logger } from "../logger";
import { nowSeconds, type SessionManager } from "../session/session-manager";
import type { AuthenticatedSession } from "../session/session-records";
import type { SignOut } from "../session/sign-out";

/**
 * The account page's three panels: verified ID-token claims, verified
 * access-token claims, and user info. User info comes from GetUser: Cognito's /oauth2/userInfo
 * refuses access tokens issued by InitiateAuth, which carry no `openid` scope.
 */

/** Refresh a little before expiry so a token does not lapse between our check and Cognito's. */
const refreshMarginSeconds = 60;

/** A JWT's `exp`, read without verification: only to schedule a refresh (the tokens are verified before use). */
function unverifiedExpiry(jwt: string): number {
  try {
    const payload: unknown = JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8"));
    const exp = (payload as { exp?: unknown }).exp;
    return typeof exp === "number" ? exp : 0;
  } catch {
    return 0;
  }
}

const signedOut = () => new ApiError(401, "session_expired", "Your session has ended. Sign in again.");

/** GetUser's attribute values are all strings; "true"/"false" become booleans for display. */
export function toUserInfo(username: string, attributes: Record<string, string>): Record<string, unknown> {
  const info: Record<string, unknown> = { username };
  for (const [name, value] of Object.entries(attributes)) {
    info[name] = value === "true" ? true : value === "false" ? false : value;
  }
  return info;
}

export interface AccountService {
  /** The signed-in session or 401 unauthenticated. */
  requireSession(req: Request): Promise<AuthenticatedSession>;
  claims(req: Request): Promise<AccountClaimsResponse>;
  /** The signed-in session with tokens fresh enough for a Cognito call (refreshed when near expiry). */
  freshSession(req: Request): Promise<AuthenticatedSession>;
  /**
   * Runs a Cognito call made with this session's access token; when Cognito no longer honours
   * it, this browser's session ends and the call answers 401 session_expired.
   */
  withCognitoSession<T>(req: Request, run: () => Promise<T>): Promise<T>;
}

export function createAccountService(deps: {
  cognito: CognitoGateway;
  verifier: CognitoTokenVerifier;
  sessions: SessionManager;
  signOut: Pick<SignOut, "thisBrowserAfterCognitoRefusal">;
  logger: Logger;
}): AccountService {
  const { cognito, verifier, sessions, signOut, logger } = deps;

  async function requireSession(req: Request): Promise<AuthenticatedSession> {
    const session = await sessions.readAuthenticated(req);
    if (session === undefined) throw new ApiError(401, "unauthenticated", "Sign in to continue.");
    return session;
  }

  /** Ends this browser's session when Cognito no longer honours its tokens (revoked, expired). */
  async function endAndRefuse(req: Request, reason: string): Promise<never> {
    logger.info({ reason }, "session ended: Cognito tokens no longer valid");
    await signOut.thisBrowserAfterCognitoRefusal(req);
    throw signedOut();
  }

  async function withFreshTokens(req: Request, session: AuthenticatedSession): Promise<AuthenticatedSession> {
    // The ID token's lifetime is configured apart from the access token's: refresh when either runs out.
    const expiresAt = Math.min(session.tokens.accessTokenExpiresAt, unverifiedExpiry(session.tokens.idToken));
    if (expiresAt - refreshMarginSeconds > nowSeconds()) return session;
    try {
      const tokens = await cognito.refreshTokens({ refreshToken: session.tokens.refreshToken, username: session.username });
      const refreshed: AuthenticatedSession = {
        ...session,
        tokens: {
          ...session.tokens,
          idToken: tokens.idToken,
          accessToken: tokens.accessToken,
          accessTokenExpiresAt: nowSeconds() + tokens.expiresIn,
        },
      };
      await sessions.updateAuthenticated(req, refreshed);
      return refreshed;
    } catch (error) {
      if (error instanceof ApiError && error.code === "session_expired") return endAndRefuse(req, "refresh refused");
      throw error;
    }
  }

  return {
    requireSession,

    async freshSession(req) {
      return withFreshTokens(req, await requireSession(req));
    },

    async withCognitoSession(req, run) {
      try {
        return await run();
      } catch (error) {
        if (error instanceof ApiError && error.code === "session_expired") return endAndRefuse(req, "Cognito refused the access token");
        throw error;
      }
    },

    async claims(req) {
      const session = await withFreshTokens(req, await requireSession(req));
      let idToken: Record<string, unknown>;
      let accessToken: Record<string, unknown>;
      try {
        [idToken, accessToken] = await Promise.all([verifier.verifyIdToken(session.tokens.idToken), verifier.verifyAccessToken(session.tokens.accessToken)]);
      } catch (error) {
        // Expired or unverifiable tokens: nothing trustworthy to show from this session.
        if (error instanceof InvalidTokenError) return endAndRefuse(req, `token rejected: ${error.reason}`);
        throw error;
      }
      try {
        const user = await cognito.getUser(session.tokens.accessToken);
        return { idToken, accessToken, userInfo: toUserInfo(user.username, user.attributes) };
      } catch (error) {
        if (error instanceof ApiError && error.code === "session_expired") return endAndRefuse(req, "GetUser refused");
        throw error;
      }
    },
  };
}
