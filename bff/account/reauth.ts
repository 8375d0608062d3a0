import { ApiError } from "../errors";
import { nowSeconds } from "../session/session-manager";
import type { AuthenticatedSession } from "../session/session-records";

/**
 * The re-authentication rule, in one place (OWASP Authentication Cheat Sheet, "Reauthentication
 * After Risk Events"; NIST SP 800-63B §6.1.2.1 for binding a new authenticator): a sensitive
 * action — adding or removing a passkey, changing the email address, deleting the account — needs a sign-in
 * at most `windowSeconds` old (REAUTH_WINDOW_SECONDS). Older sessions get 403
 * `reauthentication_required`; the SPA then signs the user in again and brings them back to the
 * action (README, "Your account").
 */

export type SensitiveAction = "add_passkey" | "remove_passkey" | "change_email" | "delete_account";

const messages: Record<SensitiveAction, string> = {
  add_passkey: "To add a passkey, confirm it's you by signing in again.",
  remove_passkey: "To remove a passkey, confirm it's you by signing in again.",
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
