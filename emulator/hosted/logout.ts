import express, { type Router } from "express";
import type { PoolContext } from "../pool";
import { escapeHtml, sendPage } from "./html";

function errorPage(res: Parameters<typeof sendPage>[0], error: string, description: string): void {
  sendPage(res, 400, "Sign-out error", `<h1>An error was encountered with the requested page.</h1><p><strong>${escapeHtml(error)}</strong></p><p>${escapeHtml(description)}</p>`);
}

/**
 * `GET /logout?client_id=…&logout_uri=…` (AWS DG, "The logout endpoint"): a 302 to `logout_uri`
 * only when it exactly matches one of the client's sign-out URLs, otherwise an error page and no
 * redirect, so the endpoint can never be an open redirector (OWASP Unvalidated Redirects).
 */
export function createLogoutRouter(ctx: () => PoolContext): Router {
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
      // The redirect_uri form continues to the managed login pages, which the emulator does not have.
      errorPage(res, "unsupported_request", "Sign-out with redirect_uri needs the managed login pages, which the local emulator does not serve.");
      return;
    }
    if (typeof logoutUri !== "string" || !client.logoutUrls.includes(logoutUri)) {
      errorPage(res, "redirect_mismatch", "The logout_uri is not one of this app client's sign-out URLs.");
      return;
    }
    res.set("Cache-Control", "no-store").redirect(302, logoutUri);
  });
  return router;
}
