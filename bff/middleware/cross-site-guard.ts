import type { RequestHandler } from "express";
import { ApiError } from "../errors";

/**
 * Refuses cross-site state-changing calls by the standard headers a browser sends (OWASP
 * Cross-Site Request Forgery Prevention Cheat Sheet, "Verifying Origin with standard headers"
 * and "Fetch Metadata headers"). Requests carrying neither header come from non-browser
 * clients, which cannot be made to carry a victim's cookie, and pass.
 */

export const stateChangingMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export interface RequestOriginHeaders {
  method: string;
  origin: string | undefined;
  secFetchSite: string | undefined;
}

/** Why a request is refused as cross-site, or undefined when it may proceed. */
export function crossSiteReason(request: RequestOriginHeaders, trustedOrigins: readonly string[]): string | undefined {
  if (!stateChangingMethods.has(request.method.toUpperCase())) return undefined;
  const site = request.secFetchSite?.trim().toLowerCase();
  // "none" = the user typed the address or used a bookmark; anything but same-origin is another site.
  if (site !== undefined && site !== "same-origin" && site !== "none") return `Sec-Fetch-Site: ${site}`;
  if (request.origin !== undefined && !trustedOrigins.includes(request.origin.trim())) return "untrusted Origin";
  return undefined;
}

export function crossSiteGuard(trustedOrigins: readonly string[]): RequestHandler {
  return (req, _res, next) => {
    // Safe methods pass without reading a header (crossSiteReason says the same).
    if (!stateChangingMethods.has(req.method)) {
      next();
      return;
    }
    const reason = crossSiteReason({ method: req.method, origin: req.get("origin"), secFetchSite: req.get("sec-fetch-site") }, trustedOrigins);
    if (reason === undefined) {
      next();
      return;
    }
    req.log?.info({ reason }, "cross-site request refused");
    next(new ApiError(403, "cross_site_request", "Cross-site requests are not allowed."));
  };
}
