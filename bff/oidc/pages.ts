import type { Response } from "express";

/**
 * The few HTML pages the provider itself shows (errors, the logout confirmation, signed out).
 * No inline script or style, so the BFF's strict Content Security Policy applies unchanged;
 * every dynamic value is HTML-escaped (OWASP XSS Prevention Cheat Sheet, rule 1).
 */

/** Provider and interaction pages: never framed (RFC 9700 §4.16; CSP frame-ancestors already says so). */
export function denyFraming(res: Response): void {
  res.setHeader("X-Frame-Options", "DENY");
}

const htmlEscapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (character) => htmlEscapes[character]!);
}

/** A minimal page; `body` must already be safe HTML. */
export function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} · Tobira</title>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

/** The error page of the authorization and logout endpoints: never a redirect (RFC 6749 §4.1.2.1). */
export function errorPage(error: string, description: string | undefined): string {
  return page(
    "This sign-in request cannot continue",
    `<p>${escapeHtml(description ?? "The request is not valid.")}</p>
<p>Error: <code>${escapeHtml(error)}</code></p>
<p>Go back to the app you came from and try again.</p>`,
  );
}

/**
 * The RP-initiated logout confirmation (OpenID Connect RP-Initiated Logout 1.0 §2, §6: a logout
 * without a valid id_token_hint must be confirmed, against logout CSRF). `form` is the provider's
 * own form (hidden xsrf field, id "op.logoutForm").
 */
export function logoutConfirmPage(form: string, clientName: string | undefined): string {
  const who = clientName === undefined ? "" : ` <strong>${escapeHtml(clientName)}</strong> asks you to sign out.`;
  return page(
    "Sign out of Tobira?",
    `<p>${who} Signing out ends your Tobira session in this browser.</p>
${form}
<p>
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button>
</p>`,
  );
}

export function signedOutPage(clientName: string | undefined): string {
  const from = clientName === undefined ? "" : ` from ${escapeHtml(clientName)}`;
  return page("You have signed out", `<p>You have signed out${from}.</p>\n<p><a href="/signin">Sign in again</a></p>`);
}
