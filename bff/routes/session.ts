import { Router } from "express";
import { emptyRequestSchema, type SessionResponse } from "../../common/api-contract";
import type { AccountService } from "../account/account-service";
import type { CognitoGateway } from "../cognito/cognito-gateway";
import { ApiError } from "../errors";
import type { Logger } from "../logger";
import type { SessionManager } from "../session/session-manager";

/** GET /api/session, GET /api/account/claims, POST /api/logout (DESIGN.md contract). */
export function createSessionRouter(deps: { sessions: SessionManager; account: AccountService; cognito: CognitoGateway; logger: Logger }): Router {
  const { sessions, account, cognito, logger } = deps;
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
    const ended = await sessions.end(req);
    if (ended !== undefined) {
      try {
        // Ends the Cognito session behind this browser session (and the access tokens it issued).
        await cognito.revokeToken(ended.tokens.refreshToken);
      } catch (error) {
        logger.warn({ errorCode: error instanceof ApiError ? error.code : "unknown" }, "logout: could not revoke the refresh token");
      }
    }
    res.json({ redirectTo: "/signin" });
  });

  return router;
}
