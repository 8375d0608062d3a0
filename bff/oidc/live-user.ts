import { errors } from "oidc-provider";
import type { CognitoGateway } from "../cognito/cognito-gateway";
import { ApiError } from "../errors";
import type { Logger } from "../logger";
import type { SessionManager } from "../session/session-manager";
import type { EndedSession } from "../session/session-records";
import type { Store } from "../store/store";

/**
 * Whether a user may still use the apps they signed in to: asked of Cognito when a relying party
 * refreshes its tokens or calls /userinfo, instead of trusting the snapshot taken at sign-in. A
 * user disabled or deleted in Cognito, or signed out everywhere, loses app access at the app's
 * next refresh (invalid_grant) or user-info call (401), not when the grant expires.
 *
 * - Through the user's own Cognito session where one is live: a refresh with a Tobira session's
 *   refresh token (the one token readable without its browser: bff/session/token-sealing.ts),
 *   then GetUser. Cognito refuses them for a disabled or deleted user and after a global sign-out.
 * - Otherwise (the Tobira sessions have ended while an app's grant lives on) with the one admin
 *   read, AdminGetUser (IAM `cognito-idp:AdminGetUser`): deleted or disabled users are refused.
 * - Cognito not answering is not a verdict: the app is told to try again (503), never let in or
 *   out on a guess.
 */

export type UserState = "active" | "refused";

/** The provider's answer while Cognito cannot tell: 503 temporarily_unavailable (RFC 6749 §5.2 allows it for the token endpoint's clients to retry). */
function cognitoUnavailable(cause: unknown): Error {
  return Object.assign(new errors.TemporarilyUnavailable("the user directory is temporarily unavailable, try again shortly", { cause }), {
    status: 503,
    statusCode: 503,
    expose: true,
  });
}

export interface LiveUserCheck {
  /** `username` is Cognito's internal username, for the admin read; without it only live sessions can answer. */
  stateOf(sub: string, username: string | undefined): Promise<UserState>;
}

export function createLiveUserCheck(deps: { store: Store; sessions: Pick<SessionManager, "liveSessionsOf">; cognito: CognitoGateway; logger: Logger }): LiveUserCheck {
  const { sessions: tobiraSessions, cognito, logger } = deps;

  /** true: Cognito honours the session; a refusal rejects with a 401 ApiError (the user or the session is gone). */
  async function sessionHonoured(session: EndedSession & { refreshToken: string }): Promise<boolean> {
    const { accessToken } = await cognito.refreshTokens({ refreshToken: session.refreshToken, username: session.username });
    await cognito.getUser(accessToken);
    return true;
  }

  const refusedByCognito = (error: unknown) => error instanceof ApiError && error.status === 401;

  return {
    async stateOf(sub, username) {
      const sessions = (await tobiraSessions.liveSessionsOf(sub)).filter(
        (session): session is EndedSession & { refreshToken: string } => session.refreshToken !== undefined,
      );
      let refusedSessions = 0;
      for (const session of sessions) {
        try {
          if (await sessionHonoured(session)) return "active";
        } catch (error) {
          if (!refusedByCognito(error)) throw cognitoUnavailable(error);
          refusedSessions += 1;
        }
      }
      // Every live session refused: disabled, deleted or signed out everywhere.
      if (refusedSessions > 0) {
        logger.info({ sessions: refusedSessions }, "openid provider: Cognito refused every session of the user; app access refused");
        return "refused";
      }
      const adminGetUser = cognito.adminGetUser?.bind(cognito);
      if (username === undefined || adminGetUser === undefined) return "active";
      let user: { enabled: boolean } | undefined;
      try {
        user = await adminGetUser(username);
      } catch (error) {
        throw cognitoUnavailable(error);
      }
      if (user?.enabled === true) return "active";
      logger.info({ reason: user === undefined ? "deleted" : "disabled" }, "openid provider: user no longer active in Cognito; app access refused");
      return "refused";
    },
  };
}
