import { createHash } from "node:crypto";
import type { Request, RequestHandler } from "express";
import { rateLimit, type ClientRateLimitInfo, type Options, type Store as RateLimitStore } from "express-rate-limit";
import type { BffConfig } from "../config";
import { ApiError } from "../errors";
import type { Store } from "../store/store";

/**
 * Rate limits on the calls that guess or send something (sign-up, sign-in, codes, reset): per
 * client IP, and for sign-up's calls per email named in the body (OWASP Authentication Cheat
 * Sheet, "Protect Against Automated Attacks"; OWASP API Security Top 10 API4). Sign-in and the
 * password reset count per account instead, in a way a stranger cannot turn against the owner
 * (bff/throttle/). Counters live in the shared store, so every BFF instance counts against the
 * same budget.
 */

export const rateLimitKind = "ratelimit";

/** express-rate-limit's store interface over the BFF's Store (fixed windows). */
export class SharedRateLimitStore implements RateLimitStore {
  private windowSeconds = 60;
  // Stryker disable next-line BooleanLiteral: localKeys only tunes express-rate-limit's misuse warnings; the counters are in the shared store either way
  readonly localKeys = false;

  constructor(
    private readonly store: Store,
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.windowSeconds = Math.max(1, Math.ceil(options.windowMs / 1000));
  }

  /** Keys are hashed: the table must not become a list of the emails people tried. */
  private id(key: string): string {
    return `${this.prefix}:${createHash("sha256").update(key).digest("base64url")}`;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const state = await this.store.increment(rateLimitKind, this.id(key), this.windowSeconds);
    return { totalHits: state.count, resetTime: new Date(state.resetAt) };
  }

  async decrement(key: string): Promise<void> {
    await this.store.increment(rateLimitKind, this.id(key), this.windowSeconds, -1);
  }

  async resetKey(key: string): Promise<void> {
    await this.store.delete(rateLimitKind, this.id(key));
  }
}

/** The email a request names, normalized as the contract's schema does; undefined when none. */
export function emailInBody(req: Request): string | undefined {
  const body: unknown = req.body;
  if (typeof body !== "object" || body === null) return undefined;
  const email = (body as { email?: unknown }).email;
  return typeof email === "string" && email.trim() !== "" ? email.trim().toLowerCase() : undefined;
}

export interface AuthRateLimits {
  /** Counts every guarded call of a client IP (one budget over all of them). */
  perIp: RequestHandler;
  /** Counts the failed guarded calls naming the same email, from any IP. */
  perEmail: RequestHandler;
  /**
   * A budget of its own for passkey request options: the sign-in page asks for them on every load
   * (browser autofill), which must not use up a shared NAT's sign-in budget.
   */
  passkeyOptionsPerIp: RequestHandler;
}

export function createAuthRateLimits(deps: { config: BffConfig; store: Store }): AuthRateLimits {
  const { config, store } = deps;
  const windowMs = config.rateLimit.windowSeconds * 1000;
  const refuse: Options["handler"] = (_req, _res, next) => {
    // express-rate-limit has already set Retry-After and RateLimit headers.
    next(new ApiError(429, "rate_limited", "Too many attempts. Wait a few minutes and try again."));
  };
  const common = {
    windowMs,
    standardHeaders: "draft-7" as const,
    legacyHeaders: false,
    handler: refuse,
  };
  return {
    perIp: rateLimit({ ...common, limit: config.rateLimit.perIp, store: new SharedRateLimitStore(store, "ip") }),
    perEmail: rateLimit({
      ...common,
      limit: config.rateLimit.perEmail,
      store: new SharedRateLimitStore(store, "email"),
      // Only failures count: otherwise anyone could lock a user out by naming their email in
      // calls that succeed for everybody, such as forgot-password (OWASP Authentication Cheat
      // Sheet, "Account Lockout": lockout must not become a denial of service).
      skipSuccessfulRequests: true,
      skip: (req) => emailInBody(req) === undefined,
      // Stryker disable next-line StringLiteral: never used, skip() has already passed over the requests without an email
      keyGenerator: (req) => emailInBody(req) ?? "",
    }),
    passkeyOptionsPerIp: rateLimit({ ...common, limit: config.rateLimit.perIp * 5, store: new SharedRateLimitStore(store, "ip-passkey-options") }),
  };
}
