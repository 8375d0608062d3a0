import express, { Router, type Request, type RequestHandler, type Response } from "express";
import type Provider from "oidc-provider";
import type { BffConfig } from "../config";
import { sessionCookieMiddleware } from "../session/session-manager";
import { denyFraming, pageLanguage, type ProviderPages } from "./pages";
import { oidcRoutes } from "./provider-options";

/**
 * The provider's metadata documents: OpenID Connect Discovery 1.0 §4 and, for OAuth clients
 * that look there first, RFC 8414 §3 (the same document; the issuer has no path, so no suffix).
 */
export const providerMetadataPaths: ReadonlySet<string> = new Set(["/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"]);

/** The provider's own paths; everything else stays Express's. */
export function isProviderPath(path: string): boolean {
  return path.startsWith("/oidc/") || providerMetadataPaths.has(path);
}

/** The paths where oidc-provider runs: its endpoints and the sign-in interaction that builds its URLs. */
export function buildsProviderUrls(path: string): boolean {
  return isProviderPath(path) || path.startsWith("/interaction/");
}

/**
 * The issuer and every URL the provider builds (discovery's endpoints, redirects, the logout
 * form's action) come from PUBLIC_URL, never from the request: a forged `Host` or
 * `X-Forwarded-Host` must not put a `token_endpoint` on another origin (OWASP Web Security
 * Testing Guide, "Testing for Host Header Injection"). oidc-provider builds URLs from the host and
 * protocol Koa reads from these headers (provider-hooks.ts trusts them), so they are set here.
 */
export function pinToPublicUrl(publicUrl: string): RequestHandler {
  const { host, protocol } = new URL(publicUrl);
  const scheme = protocol.slice(0, -1);
  return (req, _res, next) => {
    if (buildsProviderUrls(req.path)) {
      req.headers.host = host;
      req.headers["x-forwarded-host"] = host;
      req.headers["x-forwarded-proto"] = scheme;
    }
    next();
  };
}

/** The parameters of an end-session request (RP-Initiated Logout 1.0 §2). */
const endSessionParameters = ["id_token_hint", "logout_hint", "client_id", "post_logout_redirect_uri", "state", "ui_locales"] as const;

/** The provider's endpoints (/oidc/*, discovery), mounted in the BFF with its session cookie and headers. */
export function createProviderEndpointsRouter(deps: { provider: Provider; config: BffConfig; pages: ProviderPages }): Router {
  const { provider, config, pages } = deps;
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
  const parseForm = express.urlencoded({ extended: false, limit: "16kb", parameterLimit: 50 });

  /** The browser is navigating: a refusal is an HTML page, never a redirect (RFC 6749 §4.1.2.1). */
  function refuse(req: Request, res: Response, description: string): void {
    denyFraming(res);
    res.status(400).type("html").setHeader("Cache-Control", "no-store");
    res.send(pages.errorPage("invalid_request", description, pageLanguage(req.query.ui_locales, req.get("accept-language"))));
  }

  const formBody: RequestHandler = (req, res, next) => {
    if (!req.is("application/x-www-form-urlencoded")) {
      refuse(req, res, "A request sent with POST must be form-encoded (application/x-www-form-urlencoded).");
      return;
    }
    parseForm(req, res, (error?: unknown) => {
      if (error === undefined) next();
      else refuse(req, res, "The request is too large or malformed.");
    });
  };

  /** A 303 to the same endpoint with the posted parameters as the query (repeated ones stay repeated). */
  function asGet(res: Response, route: string, body: unknown, names?: readonly string[]): void {
    const query = new URLSearchParams();
    const fields = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
    for (const name of names ?? Object.keys(fields)) {
      const value = fields[name];
      for (const item of Array.isArray(value) ? value : [value]) if (typeof item === "string") query.append(name, item);
    }
    denyFraming(res);
    res.setHeader("Cache-Control", "no-store");
    res.redirect(303, `${route}?${query.toString()}`);
  }

  // OpenID Connect Core §3.1.2.1: the authorization endpoint MUST accept POST as well as GET, and
  // RP-Initiated Logout 1.0 §2 says the same of the end-session endpoint. oidc-provider takes POST
  // only with SameSite=None session cookies (a cross-site POST carries no Lax cookie, so single
  // sign-on and the logout confirmation would not see the session). A POST is therefore answered
  // with a 303 to the same request as a GET: a top-level navigation, which does carry the Lax
  // cookies, and which the provider checks with exactly the rules of a GET.
  router.post(oidcRoutes.authorization, formBody, (req, res) => asGet(res, oidcRoutes.authorization, req.body));
  router.post(oidcRoutes.end_session, formBody, (req, res) => asGet(res, oidcRoutes.end_session, req.body, endSessionParameters));

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
