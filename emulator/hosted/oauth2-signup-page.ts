import type { PasswordPolicy } from "../../common/local-config";
import { escapeHtml } from "./html";
import type { FormPageFields } from "./managed-login-form-page";
import { MANAGED_LOGIN_TEXT, type ManagedLoginText } from "./managed-login-text";
import { messagesHtml } from "./oauth2-page";

/**
 * The HTML of the managed login's sign-up, confirmation and password-reset pages
 * (emulator/hosted/oauth2-signup.ts, emulator/hosted/oauth2-forgot-password.ts), in the page's language.
 */

/** The pool's password policy in words, shown before anyone gets it wrong (WCAG 3.3.2, labels or instructions). */
export function passwordRulesText(policy: PasswordPolicy, text: ManagedLoginText = MANAGED_LOGIN_TEXT.en): string {
  return text.passwordRules(policy);
}

/** Ties a field to the page's error, when there is one, so screen readers read it with the field. */
function invalid(options: FormPageFields, errorId: string, extraIds = ""): string {
  const ids = [extraIds, options.error === undefined ? "" : errorId].filter((id) => id !== "").join(" ");
  return `${ids === "" ? "" : ` aria-describedby="${ids}"`}${options.error === undefined ? "" : ' aria-invalid="true"'}`;
}

/**
 * A form posting to `path` (with the pending request), its CSRF token and the email field; the
 * field is marked invalid with the page's error when `emailErrorId` names the error's element.
 */
function formWithEmailHtml(path: string, options: FormPageFields, emailErrorId?: string): string {
  const emailState = emailErrorId === undefined ? "" : invalid(options, emailErrorId);
  return `<form method="post" action="${path}${escapeHtml(options.query)}">
<input type="hidden" name="_csrf" value="${escapeHtml(options.csrfToken)}">
<label for="username">${escapeHtml(options.text.email)}</label>
<input id="username" name="username" type="email" autocomplete="username" required value="${escapeHtml(options.username ?? "")}"${emailState}>`;
}

function backToSignInHtml(options: FormPageFields): string {
  return `<p><a href="/login${escapeHtml(options.query)}">${escapeHtml(options.text.backToSignIn)}</a></p>`;
}

export function signUpFormHtml(options: FormPageFields & { passwordRules: string }): string {
  const { text } = options;
  return `<h1>${escapeHtml(text.signUpHeading)}</h1>
<p class="muted">${escapeHtml(text.signUpFor(options.clientName))}</p>
${messagesHtml(options, "signup-error")}
${formWithEmailHtml("/signup", options, "signup-error")}
<label for="password">${escapeHtml(text.password)}</label>
<input id="password" name="password" type="password" autocomplete="new-password" required${invalid(options, "signup-error", "password-rules")}>
<p class="muted" id="password-rules">${escapeHtml(options.passwordRules)}</p>
<button type="submit">${escapeHtml(text.createAccountButton)}</button>
</form>
<p>${escapeHtml(text.haveAccount)} <a href="/login${escapeHtml(options.query)}">${escapeHtml(text.signInLink)}</a></p>`;
}

/** One form, two buttons: "Resend code" posts the same email elsewhere and skips the code's `required`. */
export function confirmFormHtml(options: FormPageFields): string {
  const { text } = options;
  return `<h1>${escapeHtml(text.confirmHeading)}</h1>
<p class="muted">${escapeHtml(text.confirmLead)} ${escapeHtml(text.mailboxLead)} <a href="/_local/mailbox">/_local/mailbox</a>.</p>
${messagesHtml(options, "confirm-error")}
${formWithEmailHtml("/confirmUser", options)}
<label for="code">${escapeHtml(text.confirmationCode)}</label>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required${invalid(options, "confirm-error")}>
<button type="submit">${escapeHtml(text.confirmButton)}</button>
<button type="submit" class="secondary" formaction="/resendcode${escapeHtml(options.query)}" formnovalidate>${escapeHtml(text.resendCode)}</button>
</form>
${backToSignInHtml(options)}`;
}

/** "Forgot your password?": the email a reset code goes to. */
export function forgotPasswordFormHtml(options: FormPageFields): string {
  const { text } = options;
  return `<h1>${escapeHtml(text.forgotHeading)}</h1>
<p class="muted">${escapeHtml(text.forgotLead)}</p>
${messagesHtml(options, "forgot-error")}
${formWithEmailHtml("/forgotPassword", options, "forgot-error")}
<button type="submit">${escapeHtml(text.sendCodeButton)}</button>
</form>
${backToSignInHtml(options)}`;
}

/** The reset code and the new password; "Resend code" asks for another code for the same email. */
export function confirmForgotPasswordFormHtml(options: FormPageFields & { passwordRules: string }): string {
  const { text } = options;
  return `<h1>${escapeHtml(text.resetHeading)}</h1>
<p class="muted">${escapeHtml(text.resetLead)} ${escapeHtml(text.mailboxLead)} <a href="/_local/mailbox">/_local/mailbox</a>.</p>
${messagesHtml(options, "reset-error")}
${formWithEmailHtml("/confirmForgotPassword", options)}
<label for="code">${escapeHtml(text.resetCode)}</label>
<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required${invalid(options, "reset-error")}>
<label for="password">${escapeHtml(text.newPassword)}</label>
<input id="password" name="password" type="password" autocomplete="new-password" required${invalid(options, "reset-error", "password-rules")}>
<p class="muted" id="password-rules">${escapeHtml(options.passwordRules)}</p>
<button type="submit">${escapeHtml(text.resetButton)}</button>
<button type="submit" class="secondary" formaction="/forgotPassword${escapeHtml(options.query)}" formnovalidate>${escapeHtml(text.resendCode)}</button>
</form>
${backToSignInHtml(options)}`;
}
