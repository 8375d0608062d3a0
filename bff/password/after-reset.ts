import { createAccountStore } from "../oidc/accounts";
import type { SessionManager } from "../session/session-manager";
import type { SignOut } from "../session/sign-out";
import type { Store } from "../store/store";

/**
 * After a password reset, whoever held the account loses it (OWASP Forgot Password and Session
 * Management Cheat Sheets): every session of the user ends, everywhere (sign-out.ts says what that
 * ends). The reset names the user by email only; the sub comes from the last sign-in (session
 * pointer) and the provider's account snapshot. A user who never signed in has neither.
 */
export async function endAccessAfterReset(deps: { store: Store; sessions: SessionManager; signOut: Pick<SignOut, "everySessionOf"> }, email: string): Promise<void> {
  const [sessionSub, snapshotSubs] = await Promise.all([deps.sessions.subForEmail(email), createAccountStore(deps.store).subsForEmail(email)]);
  const subs = new Set(sessionSub === undefined ? snapshotSubs : [sessionSub, ...snapshotSubs]);
  await Promise.all([...subs].map((sub) => deps.signOut.everySessionOf(sub)));
}
