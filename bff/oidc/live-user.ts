import { errors } from "oidc-provider";
import type { CognitoGateway } from "../cognito/cognito-gateway";
import { ApiError } from "../errors";
import type { Logger } from "../logger";
import { sessionKind } from "../session/session-manager";
import type { AuthenticatedSession } from "../session/session-records";
import type { Store } from "../store/store";

/**
 * Whether a user may still use the apps they signed in to: asked of Cognito when a relying party
 * refreshes its tokens or calls /userinfo, instead of trusting the snapshot taken at sign-in. A
 * user disabled or deleted in Cognito, or signed out everywhere, loses app access at the app's
 * next refresh (invalid_grant) or user-info call (401), not when the grant expires.
 *
 * - Through the user's own Cognito session where one is live: GetUser with a Tobira session's
 *   access token (refreshed when it has run out). Cognito refuses it for a disabled or deleted
 *   user and after a global sign-out.
 * - Otherwise (the Tobira sessions have ended while an app's grant lives on) with the one admin
 *   read, AdminGetUser (IAM `cognito-idp:AdminGetUser`): deleted or disabled users are refused.
 * - Cognito not answering is not a verdict: the app is told to try again (503), never let in or
 *   out on a guess.
 */

export type UserState = "active" | "refused";

/** Refresh a session's access token this long before it runs out. */
const refreshMarginSeconds = 60;

const nowSeconds = () => Math.floor(Date.now() / 1000);

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

export function createLiveUserCheck(deps: { store: Store; cognito: CognitoGateway; logger: Logger }): LiveUserCheck {
  const { store, cognito, logger } = deps;

  /** true: Cognito honours the session; false: it refused it (the user or the session is gone). */
  async function sessionHonoured(id: string, session: AuthenticatedSession): Promise<boolean> {
    let accessToken = session.tokens.accessToken;
    if (session.tokens.accessTokenExpiresAt - refreshMarginSeconds <= nowSeconds()) {
      const refreshed = await cognito.refreshTokens({ refreshToken: session.tokens.refreshToken, username: session.username });
      accessToken = refreshed.accessToken;
      const updated: AuthenticatedSession = {
        ...session,
        tokens: { ...session.tokens, idToken: refreshed.idToken, accessToken, accessTokenExpiresAt: nowSeconds() + refreshed.expiresIn },
      };
      // Only while the session lives: a refresh finishing after a sign-out must not bring it back.
      await store.put(sessionKind, id, updated, { ttlSeconds: Math.max(1, session.expiresAt - nowSeconds()), index: session.sub, condition: { exists: true } });
    }
    await cognito.getUser(accessToken);
    return true;
  }

  const refusedByCognito = (error: unknown) => error instanceof ApiError && error.status === 401;

  return {
    async stateOf(sub, username) {
      const sessions = (await store.queryByIndex<AuthenticatedSession>(sessionKind, sub)).filter((record) => record.value.expiresAt > nowSeconds());
      sessions.sort((a, b) => b.value.authTime - a.value.authTime);
      let refusedSessions = 0;
      for (const { id, value } of sessions) {
        try {
          if (await sessionHonoured(id, value)) return "active";
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
