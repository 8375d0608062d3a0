import { Router, type RequestHandler } from "express";
import { emptyRequestSchema, type SessionResponse } from "../../common/api-contract";
import type { SessionManager } from "./session-manager";
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
