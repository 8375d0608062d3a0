import { Router, type RequestHandler } from "express";
import { emptyRequestSchema, type SessionResponse } from "../../common/api-contract";
import type { BffConfig } from "../config";
import { answerFixedJson, readOf } from "../middleware/early-answer";
import { carriesSessionCookie, type SessionManager } from "./session-manager";
import type { SignOut } from "./sign-out";

/**
 * GET /api/session (docs/architecture.md, "The JSON API"): who is signed in in this browser. The
 * app mounts it as a route of its own with only what it needs (bff/app.ts).
 */
export function sessionRead(sessions: Pick<SessionManager, "readAuthenticated">): RequestHandler {
  return async (req, res) => {
    const session = await sessions.readAuthenticated(req);
    const body: SessionResponse =
      session === undefined
        ? { authenticated: false }
        : { authenticated: true, user: { sub: session.sub, email: session.email, username: session.username }, amr: session.amr, authTime: session.authTime };
    res.json(body);
  };
}

const signedOutBody = JSON.stringify({ authenticated: false } satisfies SessionResponse);

/**
 * GET /api/session from a browser without a session cookie, the first call of every signed-out
 * visit: answered like /healthz, right after the request id and the security headers, before any
 * routing. Without the cookie there is nothing to read (no store call, nothing to wait for), and
 * the answer is the one sessionRead gives (bff/middleware/early-answer.ts). A request with the
 * cookie goes on to the route.
 */
export function signedOutSessionRead(config: Pick<BffConfig, "cookie">): RequestHandler {
  const carriesCookie = carriesSessionCookie(config);
  const isSessionRead = readOf("/api/session");
  return (req, res, next) => {
    if (isSessionRead(req) && !carriesCookie(req)) answerFixedJson(res, signedOutBody);
    else next();
  };
}

/** POST /api/logout (docs/architecture.md, "The JSON API"). */
export function createSessionRouter(deps: { signOut: Pick<SignOut, "thisBrowser"> }): Router {
  const { signOut } = deps;
  const router = Router();

  router.post("/logout", async (req, res) => {
    emptyRequestSchema.parse(req.body ?? {});
    await signOut.thisBrowser(req, res);
    res.json({ redirectTo: "/signin" });
  });

  return router;
}
