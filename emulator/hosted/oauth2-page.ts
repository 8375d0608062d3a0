import { createHash } from "node:crypto";
import type { Response } from "express";
import { escapeHtml } from "./html";
import { type Language, MANAGED_LOGIN_TEXT, type ManagedLoginText } from "./managed-login-text";

const STYLE = `body{font-family:system-ui,sans-serif;margin:3rem auto;max-width:24rem;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.4rem;margin-bottom:.25rem}.muted{color:#555;font-size:.9rem;margin-top:0}
form{display:grid;gap:.35rem;margin-top:1.5rem}label{font-weight:600;margin-top:.6rem}
input{font:inherit;padding:.5rem;border:1px solid #888;border-radius:4px}
button{font:inherit;font-weight:600;margin-top:1.2rem;padding:.6rem;border:0;border-radius:4px;background:#1f4fbf;color:#fff;cursor:pointer}
button:focus-visible,input:focus-visible{outline:3px solid #f5b400;outline-offset:2px}
button.secondary{background:#fff;color:#1f4fbf;border:1px solid #1f4fbf;margin-top:.4rem}a:focus-visible{outline:3px solid #f5b400}
.error{border:1px solid #b00020;background:#fdecee;color:#7a0016;padding:.6rem;border-radius:4px}
.notice{border:1px solid #1b6e2d;background:#e9f6ec;color:#10451c;padding:.6rem;border-radius:4px}`;
const STYLE_HASH = createHash("sha256").update(STYLE).digest("base64");

/**
 * Sends a managed-login page. Like emulator/hosted/html.ts's pages it allows only its own inline
 * style (by hash) and cannot be framed (OWASP Clickjacking Defense); `form-action` names the
 * origins a form post may lead to, because browsers also check the redirect that answers the post
 * (CSP Level 3, form-action) — the sign-in form's answer is a redirect to the client's callback.
 */
export function sendManagedLoginPage(
  res: Response,
  status: number,
  title: string,
  bodyHtml: string,
  formTargets: readonly string[] = [],
  language: Language = "en",
): void {
  const formAction = ["'self'", ...formTargets].join(" ");
  res
    .status(status)
    .set({
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; form-action ${formAction}; base-uri 'none'; frame-ancestors 'none'`,
      "X-Content-Type-Options": "nosniff",
      "X-Frame-Options": "DENY",
      "Referrer-Policy": "no-referrer",
      "Cache-Control": "no-store",
    })
    .send(
      `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${bodyHtml}</main></body></html>`,
    );
}

/** Cognito's error page for requests that cannot be redirected back (unknown client, unregistered redirect URI). */
export function sendManagedLoginError(res: Response, error: string, description: string, language: Language = "en"): void {
  const text = MANAGED_LOGIN_TEXT[language];
  sendManagedLoginPage(
    res,
    400,
    text.errorTitle,
    `<h1>${escapeHtml(text.errorHeading)}</h1><p><strong>${escapeHtml(error)}</strong></p><p>${escapeHtml(description)}</p>`,
    [],
    language,
  );
}

export interface SignInFormOptions {
  /** The client's name, shown so people know what they sign in to. */
  clientName: string;
  /** Where the form posts: `/login?<the validated authorization request>`. */
  action: string;
  csrfToken: string;
  /** The username typed before, kept on a failed attempt. */
  username?: string;
  /** A message after a failed attempt (generic: it never says which part was wrong). */
  error?: string;
  /** Where "Create an account" leads: `/signup?<the same authorization request>`. */
  signUpHref: string;
  /** Where "Forgot your password?" leads: `/forgotPassword?<the same authorization request>`. */
  forgotPasswordHref: string;
  text: ManagedLoginText;
  /** A fixed notice from another page (e.g. "Account confirmed — sign in"). */
  notice?: string;
}

/** An error announced at once (role=alert) and a calmer notice (role=status); empty when absent. */
export function messagesHtml(options: { error?: string | undefined; notice?: string | undefined }, errorId: string): string {
  const notice = options.notice === undefined ? "" : `<p class="notice" role="status">${escapeHtml(options.notice)}</p>`;
  const error = options.error === undefined ? "" : `<p class="error" id="${errorId}" role="alert">${escapeHtml(options.error)}</p>`;
  return notice + error;
}

/** The sign-in form: labelled fields, the error announced to screen readers and tied to the fields. */
export function signInFormHtml(options: SignInFormOptions): string {
  const { text } = options;
  const describedBy = options.error === undefined ? "" : ' aria-describedby="signin-error" aria-invalid="true"';
  return `<h1>${escapeHtml(text.signInHeading)}</h1>
<p class="muted">${escapeHtml(text.signInFor(options.clientName))}</p>
${messagesHtml(options, "signin-error")}
<form method="post" action="${escapeHtml(options.action)}">
<input type="hidden" name="_csrf" value="${escapeHtml(options.csrfToken)}">
<label for="username">${escapeHtml(text.email)}</label>
<input id="username" name="username" type="email" autocomplete="username" required value="${escapeHtml(options.username ?? "")}"${describedBy}>
<label for="password">${escapeHtml(text.password)}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${describedBy}>
<button type="submit">${escapeHtml(text.signInButton)}</button>
</form>
<p><a href="${escapeHtml(options.forgotPasswordHref)}">${escapeHtml(text.forgotPassword)}</a></p>
<p>${escapeHtml(text.needAccount)} <a href="${escapeHtml(options.signUpHref)}">${escapeHtml(text.createAccount)}</a></p>`;
}
