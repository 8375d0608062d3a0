/**
 * The account action a person was in the middle of when the BFF asked them to sign in again
 * (`reauthentication_required`): after the sign-in brings them back to the account page, the
 * page opens that action again (README, "Your account"). Kept in this tab's sessionStorage for
 * 15 minutes and used once; the form's contents are never kept.
 */
export type AccountAction = "change-email" | "delete-account";

const key = "tobira.account-resume";
const lifetimeMs = 15 * 60 * 1000;
const actions: readonly string[] = ["change-email", "delete-account"];

export function rememberAccountAction(action: AccountAction): void {
  try {
    sessionStorage.setItem(key, JSON.stringify({ action, at: Date.now() }));
  } catch {
    // Storage disabled: the person opens the action again themselves.
  }
}

export function takeAccountAction(): AccountAction | undefined {
  try {
    const raw = sessionStorage.getItem(key);
    if (raw === null) return undefined;
    sessionStorage.removeItem(key);
    const value = JSON.parse(raw) as { action?: unknown; at?: unknown };
    const fresh = typeof value.at === "number" && Date.now() - value.at < lifetimeMs;
    return fresh && typeof value.action === "string" && actions.includes(value.action) ? (value.action as AccountAction) : undefined;
  } catch {
    return undefined;
  }
}
