import type { PasswordPolicy } from "../../common/local-config";
import { escapeHtml } from "./html";
import { MANAGED_LOGIN_TEXT, type ManagedLoginText } from "./managed-login-text";
import { messagesHtml } from "./oauth2-page";

/**
 * The HTML of the managed login's sign-up, confirmation and password-reset pages
 * (emulator/hosted/oauth2-signup.ts, emulator/hosted/oauth2-forgot-password.ts), in the page's language.
 */

interface PageCommon {
  clientName: string;
  /** `?<the validated authorization request>`, appended to every link and form action. */
  query: string;
  csrfToken: string;
  text: ManagedLoginText;
  username?: string;
  error?: string;
  notice?: string;
}

/** The pool's password policy in words, shown before anyone gets it wrong (WCAG 3.3.2, labels or instructions). */
export function passwordRulesText(policy: PasswordPolicy, text: ManagedLoginText = MANAGED_LOGIN_TEXT.en): string {
  return text.passwordRules(policy);
}

/** Ties a field to the page's error, when there is one, so screen readers read it with the field. */
function invalid(options: PageCommon, errorId: string, extraIds = ""): string {
  const ids = [extraIds, options.error === undefined ? "" : errorId].filter((id) => id !== "").join(" ");
  return `${ids === "" ? "" : ` aria-describedby="${ids}"`}${options.error === undefined ? "" : ' aria-invalid="true"'}`;
}

export function signUpFormHtml(options: PageCommon & { passwordRules: string }): string {
  const { text } = options;
  return `<h1>${escapeHtml(text.signUpHeading)}</h1>
<p class="muted">${escapeHtml(text.signUpFor(options.clientName))}</p>
${messagesHtml(options, "signup-error")}
<form method="post" action="/signup${escapeHtml(options.query)}">
<input type="hidden" name="_csrf" value="${escapeHtml(options.csrfToken)}">
<label for="username">${escapeHtml(text.email)}</label>
<input id="username" name="username" type="email" autocomplete="username" required value="${escapeHtml(options.username ?? "")}"${invalid(options, "signup-error")}>
<label for="password">${escapeHtml(text.password)}</label>
<input id="password" name="password" type="password" autocomplete="new-password" required${invalid(options, "signup-error", "password-rules")}>
<p class="muted" id="password-rules">${escapeHtml(options.passwordRules)}</p>
<button type="submit">${escapeHtml(text.createAccountButton)}</button>
</form>
<p>${escapeHtml(text.haveAccount)} <a href="/login${escapeHtml(options.query)}">${escapeHtml(text.signInLink)}</a></p>`;
}

/** One form, two buttons: "Resend code" posts the same email elsewhere and skips the code's `required`. */
export function confirmFormHtml(options: PageCommon): string {
  const { text } = options;
  return `<h1>${escapeHtml(text.confirmHeading)}</h1>
<p class="muted">${escapeHtml(text.confirmLead)} ${escapeHtml(text.mailboxLead)} <a href="/_local/mailbox">/_local/mailbox</a>.</p>
${messagesHtml(options, "confirm-error")}
<form method="post" action="/confirmUser${escapeHtml(options.query)}">
<input type="hidden" name="_csrf" value="${escapeHtml(options.csrfToken)}">
<label for="username">${escapeHtml(text.email)}</label>
<input id="username" name="username" type="email" autocomplete="username" required value="${escapeHtml(options.username ?? "")}">
<label for="code">${escapeHtml(text.confirmationCode)}</label>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required${invalid(options, "confirm-error")}>
<button type="submit">${escapeHtml(text.confirmButton)}</button>
<button type="submit" class="secondary" formaction="/resendcode${escapeHtml(options.query)}" formnovalidate>${escapeHtml(text.resendCode)}</button>
</form>
<p><a href="/login${escapeHtml(options.query)}">${escapeHtml(text.backToSignIn)}</a></p>`;
}

/** "Forgot your password?": the email a reset code goes to. */
export function forgotPasswordFormHtml(options: PageCommon): string {
  const { text } = options;
  return `<h1>${escapeHtml(text.forgotHeading)}</h1>
<p class="muted">${escapeHtml(text.forgotLead)}</p>
${messagesHtml(options, "forgot-error")}
<form method="post" action="/forgotPassword${escapeHtml(options.query)}">
<input type="hidden" name="_csrf" value="${escapeHtml(options.csrfToken)}">
<label for="username">${escapeHtml(text.email)}</label>
<input id="username" name="username" type="email" autocomplete="username" required value="${escapeHtml(options.username ?? "")}"${invalid(options, "forgot-error")}>
<button type="submit">${escapeHtml(text.sendCodeButton)}</button>
</form>
<p><a href="/login${escapeHtml(options.query)}">${escapeHtml(text.backToSignIn)}</a></p>`;
}

/** The reset code and the new password; "Resend code" asks for another code for the same email. */
export function confirmForgotPasswordFormHtml(options: PageCommon & { passwordRules: string }): string {
  const { text } = options;
  return `<h1>${escapeHtml(text.resetHeading)}</h1>
<p class="muted">${escapeHtml(text.resetLead)} ${escapeHtml(text.mailboxLead)} <a href="/_local/mailbox">/_local/mailbox</a>.</p>
${messagesHtml(options, "reset-error")}
<form method="post" action="/confirmForgotPassword${escapeHtml(options.query)}">
<input type="hidden" name="_csrf" value="${escapeHtml(options.csrfToken)}">
<label for="username">${escapeHtml(text.email)}</label>
<input id="username" name="username" type="email" autocomplete="username" required value="${escapeHtml(options.username ?? "")}">
<label for="code">${escapeHtml(text.resetCode)}</label>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required${invalid(options, "reset-error")}>
<label for="password">${escapeHtml(text.newPassword)}</label>
<input id="password" name="password" type="password" autocomplete="new-password" required${invalid(options, "reset-error", "password-rules")}>
<p class="muted" id="password-rules">${escapeHtml(options.passwordRules)}</p>
<button type="submit">${escapeHtml(text.resetButton)}</button>
<button type="submit" class="secondary" formaction="/forgotPassword${escapeHtml(options.query)}" formnovalidate>${escapeHtml(text.resendCode)}</button>
</form>
<p><a href="/login${escapeHtml(options.query)}">${escapeHtml(text.backToSignIn)}</a></p>`;
}
