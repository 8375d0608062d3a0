import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Request, RequestHandler, Response } from "express";
import { ipKeyGenerator, rateLimit, type ClientRateLimitInfo, type Options, type Store as RateLimitStore } from "express-rate-limit";
import type { BffConfig } from "../config";
import type { Logger } from "../logger";
import { rateLimitKind, SharedRateLimitStore } from "../middleware/rate-limit";
import type { Store } from "../store/store";
import { windowEndsAt } from "../store/windowed-counters";
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
 *
 * The back channel's counter costs one read per request and one write per failure: the count is
 * read before the request (refused once the failures of the window reach the limit), and a failed
 * answer adds to it before it is sent (countFailedProviderRequest, called by provider-hooks.ts),
 * so a success writes nothing. Requests already in flight when the limit is reached can still
 * finish: a burst of concurrent guesses passes the limit by at most the number in flight.
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

const backChannelCounter = "failed";

/** What each back-channel request will add to its network's counter if it fails. */
const pendingFailures = new WeakMap<IncomingMessage, () => Promise<void>>();

/**
 * Counts a refused back-channel request (a 4xx: a wrong secret, code or token) against its
 * network's budget, before its answer is sent; does nothing for other requests. A 5xx is our own
 * outage, not a guess: counting it would hold a 503 for one more store deadline while the store
 * hangs, and spend an app's budget on our failure.
 */
export async function countFailedProviderRequest(req: IncomingMessage, status: number): Promise<void> {
  const count = pendingFailures.get(req);
  pendingFailures.delete(req);
  if (count !== undefined && status >= 400 && status < 500) await count();
}

/** express-rate-limit's store for the back channel: reads the failures of the window (nothing is written per request). */
class FailedRequestCounter implements RateLimitStore {
  private windowSeconds = 60;
  // Stryker disable next-line BooleanLiteral: localKeys only tunes express-rate-limit's misuse warnings
  readonly localKeys = false;

  constructor(
    private readonly store: Store,
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.windowSeconds = Math.max(1, Math.ceil(options.windowMs / 1000));
  }

  /** Keys are hashed, as SharedRateLimitStore's: the table holds no addresses. */
  id(key: string): string {
    return `${this.prefix}:${createHash("sha256").update(key).digest("base64url")}`;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const add = { counter: backChannelCounter, windowSeconds: this.windowSeconds, by: 0 };
    const counts = await this.store.addToWindows(rateLimitKind, this.id(key), [add], this.windowSeconds);
    // This request counted as if it failed: refused when the failures so far reach the limit.
    return { totalHits: counts.count(backChannelCounter, this.windowSeconds) + 1, resetTime: new Date(windowEndsAt(this.windowSeconds, Date.now())) };
  }

  /** Nothing was written for the request. */
  async decrement(): Promise<void> {}

  async resetKey(key: string): Promise<void> {
    await this.store.delete(rateLimitKind, this.id(key));
  }

  async countFailure(key: string): Promise<void> {
    const add = { counter: backChannelCounter, windowSeconds: this.windowSeconds, by: 1 };
    await this.store.addToWindows(rateLimitKind, this.id(key), [add], this.windowSeconds);
  }
}

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

  const failures = new FailedRequestCounter(store, "ip-oidc-back-channel-failures");
  // express-rate-limit's own key: the address, IPv6 by its /56 network.
  const networkOf = (req: Request) => ipKeyGenerator(req.ip ?? "", 56);

  return [
    rateLimit({
      ...common,
      store: new SharedRateLimitStore(store, "ip-oidc-browser"),
      skip: (req) => !isBrowserProviderPath(req.path),
      handler: browserRefusal,
    }),
    rateLimit({
      ...common,
      store: failures,
      skip: (req) => !isBackChannelProviderPath(req.path),
      keyGenerator: networkOf,
      handler: backChannelRefusal,
    }),
    (req, _res, next) => {
      if (isBackChannelProviderPath(req.path)) {
        const key = networkOf(req);
        pendingFailures.set(req, () =>
          // A lost count is logged, never turned into a failure of the answer (as the limit's own reads: passOnStoreError).
          failures.countFailure(key).catch(() => logger.warn("the OpenID Provider's rate limit could not count a failed request")),
        );
      }
      next();
    },
  ];
}
