import { ApiError } from "../errors";
import { nowSeconds } from "../session/session-manager";
import type { AuthenticatedSession } from "../session/session-records";

/**
 * The re-authentication rules, in one place (OWASP Authentication Cheat Sheet, "Reauthentication
 * After Risk Events"):
 * - Changing the email address and deleting the account need a sign-in at
 *   most `windowSeconds` old (REAUTH_WINDOW_SECONDS, PASSKEY_REAUTH_SECONDS). Older sessions get
 *   403 `reauthentication_required`; the SPA then signs the user in again and brings them back to
 *   the action (README, "Your account").
 * - Adding a passkey (or confirming one a password reset paused, which lets it sign in again)
 *   binds an authenticator, which needs authentication at that level now
 *   (NIST SP 800-63B §6.1.2.1); removing one takes a way into the account away from its owner
 *   (NIST SP 800-63B §6.1.2.3 asks the same authentication to invalidate an authenticator). For
 *   these the session itself must have proved a factor — its own sign-in,
 *   or a step-up with the password or an existing passkey — at most PASSKEY_STEP_UP_SECONDS ago.
 *   A recent session is not enough. Otherwise 403 `step_up_required`, and the SPA asks for the
 *   password or a passkey in place (docs/architecture.md, "Adding a passkey: the step-up").
 */

export type SensitiveAction = "add_passkey" | "change_email" | "delete_account";

const messages: Record<SensitiveAction, string> = {
  add_passkey: "To add a passkey, confirm it's you by signing in again.",
  change_email: "To change your email address, confirm it's you by signing in again.",
  delete_account: "To delete your account, confirm it's you by signing in again.",
};

/** Epoch seconds until which this session's sign-in counts as recent. */
export function recentSignInUntil(session: Pick<AuthenticatedSession, "authTime">, windowSeconds: number): number {
  return session.authTime + windowSeconds;
}

export function requireRecentSignIn(session: Pick<AuthenticatedSession, "authTime">, windowSeconds: number, action: SensitiveAction): void {
  if (nowSeconds() > recentSignInUntil(session, windowSeconds)) {
    throw new ApiError(403, "reauthentication_required", messages[action]);
  }
}

/** Whether this session proved a factor (its sign-in, or a step-up) at most `windowSeconds` ago. */
export function hasRecentFactorProof(session: Pick<AuthenticatedSession, "factorProvedAt">, windowSeconds: number): boolean {
  return session.factorProvedAt !== undefined && nowSeconds() <= session.factorProvedAt + windowSeconds;
}

/** What needs the step-up: binding a new passkey, letting one paused by a password reset sign in again, or removing one. */
export type BindingAction = "add_passkey" | "confirm_passkey" | "remove_passkey";

const stepUpMessages: Record<BindingAction, string> = {
  add_passkey: "To add a passkey, confirm it's you with your password or a passkey you already have.",
  confirm_passkey: "To use this passkey again, confirm it's you with your password or a passkey you already have.",
  remove_passkey: "To delete a passkey, confirm it's you with your password or a passkey you already have.",
};

/**
 * 403 `step_up_required` unless the session proved a factor within the window. `passkeyAvailable`
 * tells the SPA whether "Use a passkey you already have" can work (the account has an active one).
 */
export function requireFactorProof(
  session: Pick<AuthenticatedSession, "factorProvedAt">,
  windowSeconds: number,
  passkeyAvailable: boolean,
  action: BindingAction = "add_passkey",
): void {
  if (hasRecentFactorProof(session, windowSeconds)) return;
  throw new ApiError(403, "step_up_required", stepUpMessages[action], { extra: { passkeyAvailable } });
}
