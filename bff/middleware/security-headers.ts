import type { RequestHandler } from "express";
import helmet from "helmet";
import type { BffConfig } from "../config";

/**
 * helmet with a strict Content Security Policy for the SPA (everything from our own origin,
 * no inline script or style, no framing: OWASP Content Security Policy Cheat Sheet and
 * Clickjacking Defense Cheat Sheet) and no Referer leaving the app (codes never leak in URLs anyway).
 */
export function securityHeaders(config: Pick<BffConfig, "mode">): RequestHandler {
  const https = config.mode === "aws";
  return helmet({
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
  });
}
