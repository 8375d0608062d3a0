import { Router, type Request, type Response } from "express";
import { emptyRequestSchema, type SessionResponse } from "../../common/api-contract";
import type { AccountService } from "../account/account-service";
import type { CognitoGateway } from "../cognito/cognito-gateway";
import { ApiError } from "../errors";
import type { Logger } from "../logger";
import type { SessionManager } from "../session/session-manager";

/**
 * The BFF's logout: deletes this browser's session records, clears its cookie and revokes the
 * Cognito refresh token behind it (which also ends the access tokens it issued). Shared by
 * POST /api/logout and the OpenID Provider's RP-initiated logout.
 */
export async function endBffSession(deps: { sessions: SessionManager; cognito: CognitoGateway; logger: Logger }, req: Request): Promise<void> {
  const ended = await deps.sessions.end(req);
  if (ended === undefined) return;
  try {
    await deps.cognito.revokeToken(ended.tokens.refreshToken);
  } catch (error) {
    deps.logger.warn({ errorCode: error instanceof ApiError ? error.code : "unknown" }, "logout: could not revoke the refresh token");
  }
}

/**
 * Ends every Tobira session of a user (after a password reset: OWASP Forgot Password Cheat Sheet,
 * "invalidate existing sessions"), revoking each session's Cognito refresh token. A failed
 * revocation is logged (never the token) and does not stop the others: the records are gone.
 */
export async function endAllBffSessionsFor(deps: { sessions: SessionManager; cognito: CognitoGateway; logger: Logger }, sub: string): Promise<void> {
  const ended = await deps.sessions.endAllSessionsFor(sub);
  await Promise.all(
    ended.map(async (session) => {
      try {
        await deps.cognito.revokeToken(session.tokens.refreshToken);
      } catch (error) {
        deps.logger.warn({ errorCode: error instanceof ApiError ? error.code : "unknown" }, "sign-out everywhere: could not revoke a refresh token");
      }
    }),
  );
}

/** GET /api/session, GET /api/account/claims, POST /api/logout (DESIGN.md contract). */
export function createSessionRouter(deps: {
  sessions: SessionManager;
  account: AccountService;
  cognito: CognitoGateway;
  logger: Logger;
  /** Also ends the OpenID Provider's session in this browser, so single sign-on ends too. */
  endProviderSession?: (req: Request, res: Response) => Promise<void>;
}): Router {
  const { sessions, account } = deps;
  const router = Router();

  router.get("/session", async (req, res) => {
    const session = await sessions.readAuthenticated(req);
    const body: SessionResponse =
      session === undefined
        ? { authenticated: false }
        : { authenticated: true, user: { sub: session.sub, email: session.email, username: session.username }, amr: session.amr, authTime: session.authTime };
    res.json(body);
  });

  router.get("/account/claims", async (req, res) => {
    res.json(await account.claims(req));
  });

  router.post("/logout", async (req, res) => {
    emptyRequestSchema.parse(req.body ?? {});
    try {
      await deps.endProviderSession?.(req, res);
    } catch (error) {
      // The BFF logout must happen regardless; single sign-on cannot outlive it anyway (the
      // provider asks for a sign-in once the BFF session is gone).
      deps.logger.warn({ err: error }, "logout: could not end the OpenID Provider session");
    }
    await endBffSession(deps, req);
    res.json({ redirectTo: "/signin" });
  });

  return router;
}
