import type { Request, RequestHandler, Response } from "express";
import helmet from "helmet";
import type { BffConfig } from "../config";

/**
 * helmet with a strict Content Security Policy for the SPA (everything from our own origin,
 * no inline script or style, no framing: OWASP Content Security Policy Cheat Sheet and
 * Clickjacking Defense Cheat Sheet) and no Referer leaving the app (codes never leak in URLs anyway).
 */
export function securityHeaders(config: Pick<BffConfig, "mode">): RequestHandler {
  const https = config.mode === "aws";
  return precomputed(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", "data:"],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          formAction: ["'self'"],
          baseUri: ["'none'"],
          // On plain-http localhost this directive would break every request.
          ...(https ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      referrerPolicy: { policy: "no-referrer" },
      // No page of ours is meant to be framed (RFC 9700 §4.16 clickjacking; CSP frame-ancestors for new browsers).
      xFrameOptions: { action: "deny" },
      strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    }),
  );
}

/**
 * helmet's headers depend on its options only (no directive here is a function of the request),
 * so they are recorded once from a dry run and then set as they are on every answer, instead of
 * helmet's dozen middlewares building them again per request.
 */
function precomputed(middleware: RequestHandler): RequestHandler {
  const set = new Map<string, string>();
  const removed = new Set<string>();
  const recorder = {
    setHeader(name: string, value: unknown) {
      set.set(name, String(value));
      removed.delete(name);
      return recorder;
    },
    removeHeader(name: string) {
      set.delete(name);
      removed.add(name);
    },
  };
  let failure: unknown;
  let done = false;
  void middleware({} as Request, recorder as unknown as Response, (error?: unknown) => {
    failure = error;
    done = true;
  });
  if (!done || failure !== undefined) throw new Error(`the security headers could not be computed: ${String(failure ?? "helmet did not finish")}`);
  const headers = [...set];
  const removedHeaders = [...removed];
  return (_req, res, next) => {
    for (const name of removedHeaders) res.removeHeader(name);
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}
