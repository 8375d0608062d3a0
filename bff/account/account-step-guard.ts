import { ApiError } from "../errors";
import type { Store } from "../store/store";

/**
 * Per-account limits on the account page's guessable steps (OWASP Authentication Cheat Sheet,
 * "Account Lockout"; NIST SP 800-63B §5.2.2): wrong current passwords, wrong email codes, and
 * email codes sent. Counted per account (its `sub`) in the store, so every BFF instance shares
 * them; only a signed-in session reaches these steps, so a stranger cannot spend the owner's budget.
 * An attempt is reserved before it is tried, so parallel guesses cannot slip past the limit, and
 * refunded when it was not a failure.
 */

export type AccountStep = "current_password" | "email_code" | "email_code_sent";

export interface StepLimit {
  limit: number;
  windowSeconds: number;
}

export const defaultAccountStepLimits: Record<AccountStep, StepLimit> = {
  current_password: { limit: 5, windowSeconds: 15 * 60 },
  email_code: { limit: 5, windowSeconds: 15 * 60 },
  email_code_sent: { limit: 5, windowSeconds: 60 * 60 },
};

export const accountStepKind = "account-step";

export interface StepReservation {
  refund(): Promise<void>;
}

export interface AccountStepGuard {
  /** Reserves one attempt; 429 rate_limited with Retry-After once the account's budget is spent. */
  reserve(step: AccountStep, sub: string): Promise<StepReservation>;
}

export function createAccountStepGuard(deps: { store: Store; limits?: Record<AccountStep, StepLimit> }): AccountStepGuard {
  const { store } = deps;
  const limits = deps.limits ?? defaultAccountStepLimits;
  return {
    async reserve(step, sub) {
      const { limit, windowSeconds } = limits[step];
      const id = `${step}:${sub}`;
      const counter = await store.increment(accountStepKind, id, windowSeconds);
      if (counter.count > limit) {
        // Hammering a closed door does not lengthen the wait.
        await store.increment(accountStepKind, id, windowSeconds, -1);
        const retryAfter = Math.max(1, Math.ceil((counter.resetAt - Date.now()) / 1000));
        throw new ApiError(429, "rate_limited", "Too many attempts. Wait a few minutes and try again.", { headers: { "Retry-After": String(retryAfter) } });
      }
      return {
        refund: async () => {
          await store.increment(accountStepKind, id, windowSeconds, -1);
        },
      };
    },
  };
}
