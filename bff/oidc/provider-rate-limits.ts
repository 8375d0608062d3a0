import type { Request, RequestHandler, Response } from "express";
import { rateLimit, type Options } from "express-rate-limit";
import type { BffConfig } from "../config";
import type { Logger } from "../logger";
import { SharedRateLimitStore } from "../middleware/rate-limit";
import type { Store } from "../store/store";
import { denyFraming, pageLanguage, type ProviderPages } from "./pages";
import { oidcRoutes } from "./provider-options";

/**
 * Rate limits on the OpenID Provider (OWASP API Security Top 10 API4, "Unrestricted Resource
 * Consumption"), per client IP, counted in the shared store like the BFF's own (bff/middleware/rate-limit.ts):
 *
 * - the browser's endpoints (/oidc/auth and its resume, /interaction/*): every request counts;
 * - the back-channel endpoints, where apps and APIs present secrets, codes and tokens (/oidc/token,
 *   its revocation and introspection, /oidc/me): failed requests count, so that an app's server
 *   refreshing for many users is never slowed, while guessing is.
 *
 * A refusal is 429 with Retry-After, in the endpoint's own shape: an HTML page where a browser is
 * navigating, OAuth error JSON (RFC 6749 §5.2 members) for the back channel.
 */

/** Paths of the browser's endpoints: the authorization endpoint (and its resume) and the sign-in interaction. */
export function isBrowserProviderPath(path: string): boolean {
  return path === oidcRoutes.authorization || path.startsWith(`${oidcRoutes.authorization}/`) || path.startsWith("/interaction/");
}

/** Paths where a client or an API authenticates, or a token is presented. */
export function isBackChannelProviderPath(path: string): boolean {
  return path === oidcRoutes.token || path.startsWith(`${oidcRoutes.token}/`) || path === oidcRoutes.userinfo;
}

export const rateLimitedDescription = "Too many requests from this network. Wait a few minutes and try again.";

export function createProviderRateLimits(deps: { config: BffConfig; store: Store; pages: ProviderPages; logger: Logger }): RequestHandler[] {
  const { config, store, pages, logger } = deps;
  const common = {
    windowMs: config.rateLimit.windowSeconds * 1000,
    limit: config.oidc.rateLimitPerIp,
    standardHeaders: "draft-7" as const,
    legacyHeaders: false,
    // The counters live in the store: while it is down the request goes on, and the provider
    // answers the outage in its own protocol (503 temporarily_unavailable, RFC 6749 §5.2) rather
    // than the limiter turning it into the /api error shape. Nothing can be guessed meanwhile:
    // codes, grants and sessions are in the same store.
    passOnStoreError: true,
    // One line without the error's stack (the store's own error is logged where it is mapped).
    logger: {
      warn: (warning: unknown) => logger.warn({ warning: warning instanceof Error ? warning.message : String(warning) }, "express-rate-limit"),
      error: () => logger.warn("the OpenID Provider's rate limit could not reach the store; request let through"),
    },
  } satisfies Partial<Options>;

  // express-rate-limit has set Retry-After and the RateLimit headers when these run.
  const browserRefusal: Options["handler"] = (req: Request, res: Response) => {
    denyFraming(res);
    res.status(429).type("html").setHeader("Cache-Control", "no-store");
    res.send(pages.errorPage("temporarily_unavailable", rateLimitedDescription, pageLanguage(req.query.ui_locales, req.get("accept-language"))));
  };
  const backChannelRefusal: Options["handler"] = (_req: Request, res: Response) => {
    res.status(429).setHeader("Cache-Control", "no-store");
    res.json({ error: "temporarily_unavailable", error_description: rateLimitedDescription });
  };

  return [
    rateLimit({
      ...common,
      store: new SharedRateLimitStore(store, "ip-oidc-browser"),
      skip: (req) => !isBrowserProviderPath(req.path),
      handler: browserRefusal,
    }),
    rateLimit({
      ...common,
      store: new SharedRateLimitStore(store, "ip-oidc-back-channel"),
      skip: (req) => !isBackChannelProviderPath(req.path),
      skipSuccessfulRequests: true,
      handler: backChannelRefusal,
    }),
  ];
}
