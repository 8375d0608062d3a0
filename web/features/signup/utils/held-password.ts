/**
 * The password just chosen at sign-up, held in this tab's memory (a module variable: never in
 * storage, history state or a server-side record) until the email is confirmed, so that the
 * confirmation can sign the new user in at once and offer a passkey
 * (`POST /api/signup/confirm` with `password`). It is dropped after use, after 30 minutes, and
 * with the tab; a reload loses it, and the person then signs in as usual.
 */
const lifetimeMs = 30 * 60 * 1000;
let held: { email: string; password: string; until: number } | undefined;

export function holdSignUpPassword(email: string, password: string): void {
  held = { email, password, until: Date.now() + lifetimeMs };
}

/** The password held for this email, if any and still fresh. */
export function heldSignUpPassword(email: string): string | undefined {
  if (held === undefined || held.until < Date.now() || held.email !== email) return undefined;
  return held.password;
}

export function forgetSignUpPassword(): void {
  held = undefined;
}
