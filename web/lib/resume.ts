/**
 * What to finish after a sign-in the person was asked for in the middle of something (adding a
 * passkey needs a recent sign-in). Kept in sessionStorage: it survives the sign-in's pages and a
 * relying party's redirects in this tab, and no other tab sees it. It lasts 15 minutes and is
 * used once.
 */
export type ResumeAction = "add-passkey";

const key = "tobira.resume";
const lifetimeMs = 15 * 60 * 1000;

export function rememberResume(action: ResumeAction): void {
  try {
    sessionStorage.setItem(key, JSON.stringify({ action, at: Date.now() }));
  } catch {
    // Storage disabled: the person adds the passkey from the account page instead.
  }
}

/** The action to resume, once; undefined when none is waiting or it is too old. */
export function takeResume(): ResumeAction | undefined {
  try {
    const raw = sessionStorage.getItem(key);
    sessionStorage.removeItem(key);
    if (raw === null) return undefined;
    const value = JSON.parse(raw) as { action?: unknown; at?: unknown };
    const fresh = typeof value.at === "number" && Date.now() - value.at < lifetimeMs;
    return fresh && value.action === "add-passkey" ? "add-passkey" : undefined;
  } catch {
    return undefined;
  }
}
