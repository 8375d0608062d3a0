import { Router } from "express";
import { emptyRequestSchema, type SessionResponse } from "../../common/api-contract";
import type { SessionManager } from "./session-manager";
import type { SignOut } from "./sign-out";

/** GET /api/session, POST /api/logout (docs/architecture.md, "The JSON API"). */
export function createSessionRouter(deps: { sessions: SessionManager; signOut: Pick<SignOut, "thisBrowser"> }): Router {
  const { sessions, signOut } = deps;
  const router = Router();

  router.get("/session", async (req, res) => {
    const session = await sessions.readAuthenticated(req);
    const body: SessionResponse =
      session === undefined
        ? { authenticated: false }
        : { authenticated: true, user: { sub: session.sub, email: session.email, username: session.username }, amr: session.amr, authTime: session.authTime };
    res.json(body);
  });

  router.post("/logout", async (req, res) => {
    emptyRequestSchema.parse(req.body ?? {});
    await signOut.thisBrowser(req, res);
    res.json({ redirectTo: "/signin" });
  });

  return router;
}
