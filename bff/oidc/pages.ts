import { readFileSync } from "node:fs";
import path from "node:path";
import type { Response } from "express";

/**
 * The few HTML pages the provider itself shows (errors, the logout confirmation, signed out, a
 * passkey the app asks for and the account lacks). They wear the SPA's look: the SPA's own
 * stylesheet (its light and dark themes, its mobile layout) and its page markup (header, main
 * landmark, one card with one h1, WCAG 2.4.2 titled pages). No inline style, and the only
 * script is the logout's self-submitting form, allowed by its hash (CSP Level 3 §8.4), so the
 * BFF's strict Content Security Policy applies; every dynamic value is HTML-escaped (OWASP XSS
 * Prevention Cheat Sheet, rule 1).
 */

/** Provider and interaction pages: never framed (RFC 9700 §4.16; CSP frame-ancestors already says so). */
export function denyFraming(res: Response): void {
  res.setHeader("X-Frame-Options", "DENY");
}

const htmlEscapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (character) => htmlEscapes[character]!);
}

/**
 * The SPA's stylesheet as its built index.html links it (a content-hashed /assets/*.css), or
 * undefined when the SPA is not served or not built: the pages then fall back to the browser's
 * defaults, still readable.
 */
export function spaStylesheet(web: { serve: boolean; distDir: string }): string | undefined {
  if (!web.serve) return undefined;
  try {
    const index = readFileSync(path.join(web.distDir, "index.html"), "utf8");
    return /<link\b[^>]*\brel="stylesheet"[^>]*\bhref="(\/assets\/[\w.-]+\.css)"/.exec(index)?.[1];
  } catch {
    return undefined;
  }
}

/** The page's parts, all already safe HTML except the plain-text title and lead. */
interface PageParts {
  title: string;
  lead?: string;
  body: string;
  /** A script (static text) the page runs; its hash goes into the CSP by the caller. */
  script?: string;
}

export interface ProviderPages {
  /** The error page of the authorization and logout endpoints: never a redirect (RFC 6749 §4.1.2.1). */
  errorPage(error: string, description: string | undefined): string;
  /**
   * The RP-initiated logout confirmation (OpenID Connect RP-Initiated Logout 1.0 §2, §6: a logout
   * without a valid id_token_hint must be confirmed, against logout CSRF). `form` is the
   * provider's own form (hidden xsrf field, id "op.logoutForm").
   */
  logoutConfirmPage(form: string, clientName: string | undefined): string;
  /** The same form, submitted as soon as the page loads (RP-Initiated Logout 1.0 §2 allows no confirmation when the hint names this user). */
  logoutNowPage(form: string): { html: string; script: string };
  signedOutPage(clientName: string | undefined): string;
  /** An app asked for a passkey sign-in and the account has no passkey: say so, never downgrade silently. */
  noPasskeyPage(clientName: string, backHref: string): string;
}

const submitLogoutScript = "document.getElementById('op.logoutForm').submit();";

export function createProviderPages(options: { stylesheet?: string | undefined; appName?: string } = {}): ProviderPages {
  const appName = options.appName ?? "Tobira";

  function page({ title, lead, body, script }: PageParts): string {
    const stylesheet = options.stylesheet === undefined ? "" : `\n<link rel="stylesheet" href="${escapeHtml(options.stylesheet)}">`;
    const scriptTag = script === undefined ? "" : `\n<script>${script}</script>`;
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">${stylesheet}
<title>${escapeHtml(title)} · ${escapeHtml(appName)}</title>
</head>
<body>
<div class="app">
<a class="skip-link" href="#main">Skip to content</a>
<header class="app-header"><a class="brand" href="/"><span class="brand-mark" aria-hidden="true"></span><span class="brand-name">${escapeHtml(appName)}</span></a></header>
<main id="main" class="app-main" tabindex="-1">
<div class="page page--narrow"><div class="card">
<div class="page-header"><h1 class="page-title">${escapeHtml(title)}</h1>${lead === undefined ? "" : `<p class="page-lead">${escapeHtml(lead)}</p>`}</div>
${body}
</div></div>
</main>
<footer class="app-footer"><p>Secured sign-in with Amazon Cognito.</p></footer>
</div>${scriptTag}
</body>
</html>
`;
  }

  return {
    errorPage(error, description) {
      return page({
        title: "This request cannot continue",
        lead: "Go back to the app you came from and try again.",
        body: `<div class="alert alert--error" role="alert"><p class="alert-title">${escapeHtml(description ?? "The request is not valid.")}</p>
<div class="alert-body"><p>Error: <code>${escapeHtml(error)}</code></p></div></div>`,
      });
    },

    logoutConfirmPage(form, clientName) {
      const who = clientName === undefined ? "An app" : escapeHtml(clientName);
      return page({
        title: "Sign out of Tobira?",
        body: `<p>${who} asks you to sign out. Signing out ends your Tobira session in this browser.</p>
${form}
<div class="choice-list">
<button class="button button--primary button--block" autofocus type="submit" form="op.logoutForm" value="yes" name="logout"><span>Yes, sign me out</span></button>
<button class="button button--secondary button--block" type="submit" form="op.logoutForm"><span>No, stay signed in</span></button>
</div>`,
      });
    },

    logoutNowPage(form) {
      // Without JavaScript the form's own button does it.
      const withButton = form.replace(
        "</form>",
        `<input type="hidden" name="logout" value="yes"/><noscript><button class="button button--primary button--block" type="submit"><span>Sign out</span></button></noscript></form>`,
      );
      return {
        html: page({ title: "Signing you out", body: `<p>Signing you out of Tobira…</p>\n${withButton}`, script: submitLogoutScript }),
        script: submitLogoutScript,
      };
    },

    signedOutPage(clientName) {
      const from = clientName === undefined ? "" : ` from ${escapeHtml(clientName)}`;
      return page({ title: "You have signed out", body: `<p>You have signed out${from}.</p>\n<p class="page-footer"><a href="/signin">Sign in again</a></p>` });
    },

    noPasskeyPage(clientName, backHref) {
      const app = escapeHtml(clientName);
      return page({
        title: "This app needs a passkey",
        lead: `${clientName} asks you to sign in with a passkey, and your account has none yet.`,
        body: `<p>A passkey signs you in with your fingerprint, face or device PIN, and cannot be phished. Add one on your account page, then go back to ${app} and sign in again.</p>
<div class="choice-list">
<a class="button button--primary button--block" href="/account"><span>Add a passkey on your account page</span></a>
<a class="button button--secondary button--block" href="${escapeHtml(backHref)}"><span>Go back to ${app}</span></a>
</div>`,
      });
    },
  };
}
