import { Router, type RequestHandler } from "express";
import { emptyRequestSchema, type SessionResponse } from "../../common/api-contract";
import type { BffConfig } from "../config";
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
 * the answer is the one sessionRead gives. Matched as Express matches routes: any case, one
 * trailing slash. A request with the cookie goes on to the route.
 */
export function signedOutSessionRead(config: Pick<BffConfig, "cookie">): RequestHandler {
  const carriesCookie = carriesSessionCookie(config);
  return (req, res, next) => {
    const path = req.path;
    if ((req.method === "GET" || req.method === "HEAD") && (path.length === 12 || path.length === 13) && /^\/api\/session\/?$/i.test(path) && !carriesCookie(req)) {
      // As the API's noStore: a session's state is never cached (OWASP Session Management Cheat Sheet).
      res.setHeader("Cache-Control", "no-store");
      res.setHeader("Content-Type", "application/json; charset=utf-8");
      res.end(signedOutBody);
      return;
    }
    next();
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
