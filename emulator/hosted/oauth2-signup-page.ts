import type { PasswordPolicy } from "../../common/local-config";
import { escapeHtml } from "./html";
import { messagesHtml } from "./oauth2-page";

/** The HTML of the managed login's sign-up and confirmation pages (emulator/hosted/oauth2-signup.ts). */

interface PageCommon {
  clientName: string;
  /** `?<the validated authorization request>`, appended to every link and form action. */
  query: string;
  csrfToken: string;
  username?: string;
  error?: string;
  notice?: string;
}

/** The pool's password policy in words, shown before anyone gets it wrong (WCAG 3.3.2, labels or instructions). */
export function passwordRulesText(policy: PasswordPolicy): string {
  const needs = [
    policy.requireLowercase && "a lowercase letter",
    policy.requireUppercase && "an uppercase letter",
    policy.requireNumbers && "a number",
    policy.requireSymbols && "a symbol",
  ].filter((need): need is string => typeof need === "string");
  const list = needs.length <= 1 ? needs.join("") : `${needs.slice(0, -1).join(", ")} and ${needs.at(-1)!}`;
  return `At least ${policy.minimumLength} characters${list === "" ? "" : `, with ${list}`}.`;
}

/** Ties a field to the page's error, when there is one, so screen readers read it with the field. */
function invalid(options: PageCommon, errorId: string, extraIds = ""): string {
  const ids = [extraIds, options.error === undefined ? "" : errorId].filter((id) => id !== "").join(" ");
  return `${ids === "" ? "" : ` aria-describedby="${ids}"`}${options.error === undefined ? "" : ' aria-invalid="true"'}`;
}

export function signUpFormHtml(options: PageCommon & { passwordRules: string }): string {
  return `<h1>Create an account</h1>
<p class="muted">for ${escapeHtml(options.clientName)} — local Cognito managed login</p>
${messagesHtml(options, "signup-error")}
<form method="post" action="/signup${escapeHtml(options.query)}">
<input type="hidden" name="_csrf" value="${escapeHtml(options.csrfToken)}">
<label for="username">Email</label>
<input id="username" name="username" type="email" autocomplete="username" required value="${escapeHtml(options.username ?? "")}"${invalid(options, "signup-error")}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="new-password" required${invalid(options, "signup-error", "password-rules")}>
<p class="muted" id="password-rules">${escapeHtml(options.passwordRules)}</p>
<button type="submit">Create account</button>
</form>
<p>Already have an account? <a href="/login${escapeHtml(options.query)}">Sign in</a></p>`;
}

/** One form, two buttons: "Resend code" posts the same email elsewhere and skips the code's `required`. */
export function confirmFormHtml(options: PageCommon): string {
  return `<h1>Confirm your account</h1>
<p class="muted">Enter the confirmation code we sent by email. The local mailbox is at <a href="/_local/mailbox">/_local/mailbox</a>.</p>
${messagesHtml(options, "confirm-error")}
<form method="post" action="/confirmUser${escapeHtml(options.query)}">
<input type="hidden" name="_csrf" value="${escapeHtml(options.csrfToken)}">
<label for="username">Email</label>
<input id="username" name="username" type="email" autocomplete="username" required value="${escapeHtml(options.username ?? "")}">
<label for="code">Confirmation code</label>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required${invalid(options, "confirm-error")}>
<button type="submit">Confirm account</button>
<button type="submit" class="secondary" formaction="/resendcode${escapeHtml(options.query)}" formnovalidate>Resend code</button>
</form>
<p><a href="/login${escapeHtml(options.query)}">Back to sign in</a></p>`;
}
