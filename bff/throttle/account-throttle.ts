import { createHash } from "node:crypto";
import type { AccountThrottleLimits, ThrottledAction, ThrottleTier } from "../config/account-throttle-limits";
import { ApiError } from "../errors";
import { normalisedEmail } from "../session/session-manager";
import type { Store } from "../store/store";

/**
 * Per-account throttling (docs/architecture.md, "Per-account throttling"; the limits and why
 * they are what they are: bff/config/account-throttle-limits.ts). Counters live in the store
 * (record kind `throttle`), so every BFF instance counts against the same budgets, and are keyed
 * by the account (the normalised email, existing or not: the answers must not tell them apart)
 * and by the account together with the client network, or with a known device.
 *
 * An attempt is reserved before it is judged: every counter that applies is incremented
 * atomically first, and the attempt goes ahead only if each stays within its limit. Parallel
 * guesses therefore cannot slip past a limit between a check and a count. A reservation that
 * turns out not to be a failure (the right password, a code that was not a guess) is refunded,
 * and so is one that was refused, so that hammering a closed door does not lengthen the wait.
 */

export const throttleKind = "throttle";

/** Who is trying: the account, and the client network or the known device they try from. */
export interface ThrottleSubject {
  /** The email as typed; normalised here. */
  email: string;
  /** clientNetworkOf(req.ip). */
  network: string;
  /** The device id, when this browser signed in to this account before (known-device.ts). */
  knownDevice: string | undefined;
}

export interface Reservation {
  /** Takes the attempt back: it was not a failure. */
  refund(): Promise<void>;
}

export interface AccountThrottle {
  /** Reserves one attempt of `action`; throws 429 rate_limited with Retry-After when a limit is reached. */
  reserve(action: ThrottledAction, subject: ThrottleSubject): Promise<Reservation>;
  /** Throws the same 429 when a budget of `action` is used up, counting nothing. */
  ensureOpen(action: ThrottledAction, subject: ThrottleSubject): Promise<void>;
  /** Counts one event of `action` that already happened (a code was sent). */
  record(action: ThrottledAction, subject: ThrottleSubject): Promise<void>;
  /**
   * Forgets the account's counters for clients without a device cookie (after a password reset:
   * whoever guessed no longer holds the password, and the owner may sign in from anywhere).
   */
  clearAccount(email: string, actions: readonly ThrottledAction[], network?: string): Promise<void>;
}

interface Counter {
  id: string;
  tier: ThrottleTier;
}

const digest = (...parts: string[]) => createHash("sha256").update(parts.join("\n")).digest("base64url");

/** The same answer as the per-IP limit's: which budget ran out is nobody's business. */
export function throttled(retryAfterSeconds: number): ApiError {
  return new ApiError(429, "rate_limited", "Too many attempts. Wait a few minutes and try again.", {
    headers: { "Retry-After": String(Math.max(1, retryAfterSeconds)) },
  });
}

export function createAccountThrottle(deps: { store: Store; limits: AccountThrottleLimits; now?: () => number }): AccountThrottle {
  const { store, limits } = deps;
  const now = deps.now ?? Date.now;

  function accountCounters(action: ThrottledAction, email: string): Counter[] {
    const account = digest(normalisedEmail(email));
    return limits[action].account.map((tier) => ({ id: `${action}:account:${tier.windowSeconds}:${account}`, tier }));
  }

  /** The counters an attempt meets: a known device's own, or the network's and the account's. */
  function countersFor(action: ThrottledAction, subject: ThrottleSubject): Counter[] {
    const rule = limits[action];
    const account = normalisedEmail(subject.email);
    if (subject.knownDevice !== undefined && rule.knownDevice.length > 0) {
      const device = digest(account, subject.knownDevice);
      return rule.knownDevice.map((tier) => ({ id: `${action}:device:${tier.windowSeconds}:${device}`, tier }));
    }
    const network = digest(account, subject.network);
    return [...rule.network.map((tier) => ({ id: `${action}:network:${tier.windowSeconds}:${network}`, tier })), ...accountCounters(action, subject.email)];
  }

  const bump = (counters: Counter[], by: number) => Promise.all(counters.map((counter) => store.increment(throttleKind, counter.id, counter.tier.windowSeconds, by)));

  /** Seconds until every over-limit counter's window has ended; 0 when none is over. */
  function waitFor(counters: Counter[], states: { count: number; resetAt: number }[], over: (count: number, limit: number) => boolean): number {
    let waitMs = 0;
    states.forEach((state, index) => {
      if (over(state.count, counters[index]!.tier.limit)) waitMs = Math.max(waitMs, state.resetAt - now());
    });
    return waitMs > 0 ? Math.ceil(waitMs / 1000) : 0;
  }

  return {
    async reserve(action, subject) {
      const counters = countersFor(action, subject);
      if (counters.length === 0) return { refund: async () => {} };
      const states = await bump(counters, 1);
      const refund = async () => {
        await bump(counters, -1);
      };
      const wait = waitFor(counters, states, (count, limit) => count > limit);
      if (wait > 0) {
        await refund();
        throw throttled(wait);
      }
      return { refund };
    },

    async ensureOpen(action, subject) {
      const counters = countersFor(action, subject);
      if (counters.length === 0) return;
      const wait = waitFor(counters, await bump(counters, 0), (count, limit) => count >= limit);
      if (wait > 0) throw throttled(wait);
    },

    async record(action, subject) {
      await bump(countersFor(action, subject), 1);
    },

    async clearAccount(email, actions, network) {
      const counters = actions.flatMap((action) =>
        network === undefined ? accountCounters(action, email) : countersFor(action, { email, network, knownDevice: undefined }),
      );
      await Promise.all(counters.map((counter) => store.delete(throttleKind, counter.id)));
    },
  };
}
