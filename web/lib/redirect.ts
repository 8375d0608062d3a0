import { useCallback } from "react";
import { isSpaPath } from "./paths";
import { useNavigate } from "./router";

export type RedirectTarget = { kind: "route"; to: string } | { kind: "document"; href: string };

export interface RedirectPolicy {
  /**
   * Whether an absolute URL of another origin may be followed. Sign-in answers never need one
   * (docs/architecture.md, "The JSON API": `redirectTo` is a same-origin path or the provider's URL, which is ours); a
   * logout may (ALB mode ends at Cognito's hosted /logout).
   */
  allowOtherOrigins?: boolean;
}

/**
 * Where a BFF `redirectTo` should take the browser. A same-origin SPA path is followed inside
 * the app; any other same-origin URL (e.g. the provider's interaction endpoint) loads as a
 * document, and so does another origin's http(s) URL where the policy allows it.
 * Anything else (`javascript:`, `data:`, "//host"…) is refused: an open redirect or script URL must never be
 * followed (OWASP Unvalidated Redirects and Forwards cheat sheet).
 */
export function resolveRedirect(redirectTo: string, origin: string, policy: RedirectPolicy = {}): RedirectTarget | null {
  let url: URL;
  try {
    url = new URL(redirectTo, origin);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;

  if (redirectTo.startsWith("/")) {
    // "//host" and "/\\host" look like paths but browsers resolve them to another origin:
    // a BFF path never does, so refuse rather than follow one off-site.
    if (redirectTo.startsWith("//") || redirectTo.startsWith("/\\") || url.origin !== origin) return null;
    if (isSpaPath(url.pathname)) return { kind: "route", to: `${url.pathname}${url.search}${url.hash}` };
    return { kind: "document", href: url.href };
  }
  if (url.origin !== origin && policy.allowOtherOrigins !== true) return null;
  return { kind: "document", href: url.href };
}

export interface FollowOptions {
  state?: unknown;
  /** An SPA path for when `redirectTo` cannot be followed. */
  fallback?: string;
  /**
   * Replace the current history entry instead of adding one: after a sign-in, Back must not
   * return to "Enter your code" for a sign-in that is over.
   */
  replace?: boolean;
}

/** Follows a BFF `redirectTo`; falls back to `fallback` (an SPA path) when it cannot be followed. */
export function useFollowRedirect(policy: RedirectPolicy = {}): (redirectTo: string, options?: FollowOptions) => void {
  const navigate = useNavigate();
  const allowOtherOrigins = policy.allowOtherOrigins === true;
  return useCallback(
    (redirectTo, options = {}) => {
      const target = resolveRedirect(redirectTo, window.location.origin, { allowOtherOrigins });
      const replace = options.replace === true;
      if (target === null) {
        void navigate(options.fallback ?? "/", { state: options.state, replace });
      } else if (target.kind === "route") {
        void navigate(target.to, { state: options.state, replace });
      } else if (replace) {
        window.location.replace(target.href);
      } else {
        window.location.assign(target.href);
      }
    },
    [navigate, allowOtherOrigins],
  );
}
