import type { FailedSignIns } from "./state/user-store";

/**
 * Cognito's failed-password lockout (AWS DG, "User pool authentication flow"): after five failed
 * attempts the user is locked out for 1 second, doubling with each further failure to about
 * 15 minutes (2^(n−5) s after n failures); 15 quiet minutes reset the count.
 */
const FREE_FAILURES = 5;
const MAX_LOCKOUT_MS = 15 * 60_000;
const QUIET_RESET_MS = 15 * 60_000;

export function isLockedOut(state: FailedSignIns | undefined, now: number): boolean {
  return state !== undefined && now < state.lockedUntil;
}

export function recordFailure(state: FailedSignIns | undefined, now: number): FailedSignIns {
  const count = state === undefined || now - state.lastFailureAt >= QUIET_RESET_MS ? 1 : state.count + 1;
  const lockedUntil = count >= FREE_FAILURES ? now + Math.min(2 ** (count - FREE_FAILURES) * 1000, MAX_LOCKOUT_MS) : 0;
  return { count, lastFailureAt: now, lockedUntil };
}
