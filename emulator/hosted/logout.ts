import express, { type Router } from "express";
import type { PoolContext } from "../pool";
import { escapeHtml, sendPage } from "./html";
import type { ManagedLoginSessions } from "./managed-login-session";
import { requestQuery, validateAuthorizeRequest } from "./oauth2-request";

function errorPage(res: Parameters<typeof sendPage>[0], error: string, description: string): void {
  sendPage(
    res,
    400,
    "Sign-out error",
    `<h1>An error was encountered with the requested page.</h1><p><strong>${escapeHtml(error)}</strong></p><p>${escapeHtml(description)}</p>`,
  );
}

/**
 * `GET /logout` (AWS DG, "The logout endpoint") ends the managed-login session (its cookie and the
 * session behind it), then continues in one of two documented forms:
 *
 * - `client_id` + `logout_uri`: a 302 to `logout_uri`, only when it exactly matches one of the
 *   client's sign-out URLs;
 * - `client_id` + `redirect_uri` + `response_type` (+ `scope`, `state`, …): the sign-in page of
 *   that authorization request, with `redirect_uri` one of the client's callback URLs.
 *
 * Anything else is an error page and no redirect — and the session stays, as on AWS, where a
 * refused sign-out signs nobody out — so the endpoint is never an open redirector (OWASP
 * Unvalidated Redirects).
 */
export function createLogoutRouter(ctx: () => PoolContext, sessions: ManagedLoginSessions): Router {
  const router = express.Router();
  router.get("/logout", (req, res) => {
    const clientId = req.query.client_id;
    const logoutUri = req.query.logout_uri;
    const redirectUri = req.query.redirect_uri;
    const client = typeof clientId === "string" ? ctx().pool.clients.find((candidate) => candidate.clientId === clientId) : undefined;
    if (client === undefined) {
      errorPage(res, "invalid_request", "Invalid or missing client_id.");
      return;
    }
    if (logoutUri === undefined && redirectUri === undefined) {
      errorPage(res, "invalid_request", "Required String parameter 'redirect_uri' is not present");
      return;
    }
    if (logoutUri === undefined) {
      const validation = validateAuthorizeRequest(ctx(), req.query as Record<string, unknown>);
      if (!validation.ok) {
        if ("page" in validation) errorPage(res, validation.page.error, validation.page.description);
        else res.set("Cache-Control", "no-store").redirect(302, validation.redirect);
        return;
      }
      sessions.end(req, res);
      res.set("Cache-Control", "no-store").redirect(302, `/login?${requestQuery(validation.request)}`);
      return;
    }
    if (typeof logoutUri !== "string" || !client.logoutUrls.includes(logoutUri)) {
      errorPage(res, "redirect_mismatch", "The logout_uri is not one of this app client's sign-out URLs.");
      return;
    }
    sessions.end(req, res);
    res.set("Cache-Control", "no-store").redirect(302, logoutUri);
  });
  return router;
}
