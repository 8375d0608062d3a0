import express, { Router, type Response } from "express";
import type Provider from "oidc-provider";
import type { BffConfig } from "../config";
import { sessionCookieMiddleware } from "../session/session-manager";
import { denyFraming } from "./pages";
import { oidcRoutes } from "./provider-options";

/** The provider's own paths; everything else stays Express's. */
export function isProviderPath(path: string): boolean {
  return path.startsWith("/oidc/") || path === "/.well-known/openid-configuration";
}

/** The parameters of an end-session request (RP-Initiated Logout 1.0 §2). */
const endSessionParameters = ["id_token_hint", "logout_hint", "client_id", "post_logout_redirect_uri", "state", "ui_locales"] as const;

/** The provider's endpoints (/oidc/*, discovery), mounted in the BFF with its session cookie and headers. */
export function createProviderEndpointsRouter(deps: { provider: Provider; config: BffConfig }): Router {
  const { provider, config } = deps;
  const providerCallback = provider.callback();
  const cookieSession = sessionCookieMiddleware(config);

  // Authorization responses and post-logout redirects leave through a form post or a redirect
  // after one (the logout confirmation): CSP form-action must allow the registered RP origins.
  const formTargets = [...new Set(config.oidc.clients.flatMap((client) => [...client.redirectUris, ...client.postLogoutRedirectUris]).map((uri) => new URL(uri).origin))];

  function allowFormTargets(res: Response): void {
    const csp = res.getHeader("Content-Security-Policy");
    if (typeof csp === "string" && formTargets.length > 0) {
      res.setHeader("Content-Security-Policy", csp.replace("form-action 'self'", `form-action 'self' ${formTargets.join(" ")}`));
    }
  }

  const router = Router();

  // RP-Initiated Logout 1.0 §2: the OP must accept POST too. oidc-provider takes POST only with
  // SameSite=None session cookies (a cross-site POST carries no Lax cookie), so a POST is answered
  // with a 303 to the same request as a GET: a top-level navigation, which does carry them.
  router.post(oidcRoutes.end_session, express.urlencoded({ extended: false, limit: "16kb", parameterLimit: 20 }), (req, res) => {
    const query = new URLSearchParams();
    const body = (req.body ?? {}) as Record<string, unknown>;
    for (const name of endSessionParameters) {
      const value = body[name];
      for (const item of Array.isArray(value) ? value : [value]) if (typeof item === "string") query.append(name, item);
    }
    denyFraming(res);
    res.setHeader("Cache-Control", "no-store");
    res.redirect(303, `${oidcRoutes.end_session}?${query.toString()}`);
  });

  router.use((req, res, next) => {
    if (!isProviderPath(req.path)) {
      next();
      return;
    }
    // The BFF session cookie is read by the provider's SSO check and ended by its logout.
    cookieSession(req, res, (error?: unknown) => {
      if (error !== undefined) {
        next(error);
        return;
      }
      allowFormTargets(res);
      denyFraming(res);
      providerCallback(req, res).catch(next);
    });
  });

  return router;
}
