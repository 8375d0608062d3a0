import { createHash } from "node:crypto";
import type { AccountThrottleLimits, ThrottledAction, ThrottleTier } from "../config/account-throttle-limits";
import { ApiError } from "../errors";
import { normalisedEmail } from "../session/session-manager";
import type { Store } from "../store/store";
import { windowEndsAt, type WindowedAdd, type WindowedCounts } from "../store/windowed-counters";

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
 *
 * Every tier of one subject is a counter in the same record (Store.addToWindows), so a
 * reservation is one write per record — the network's and the account's, or the known device's —
 * and so is its refund. The windows are fixed and aligned to the clock (a 15-minute tier counts
 * from :00, :15, :30, :45; bff/store/windowed-counters.ts), the same on every instance.
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
  /**
   * Settles the attempt in one write per counter record: takes it back when `refund`, and counts
   * the `record` events that came with it (a code was sent). Nothing to write, no write.
   */
  settle(outcome: { refund: boolean; record?: readonly ThrottledAction[] }): Promise<void>;
}

export interface AccountThrottle {
  /**
   * Reserves one attempt of `action`; throws 429 rate_limited with Retry-After when a limit is
   * reached, or when a budget of an `alsoOpen` action is used up (those count nothing). One
   * write per counter record, whatever the number of tiers and actions.
   */
  reserve(action: ThrottledAction, subject: ThrottleSubject, options?: { alsoOpen?: readonly ThrottledAction[] }): Promise<Reservation>;
  /** Throws the same 429 when a budget of `action` is used up, counting nothing. */
  ensureOpen(action: ThrottledAction, subject: ThrottleSubject): Promise<void>;
  /** Counts one event of `action` that already happened (a code was sent). */
  record(action: ThrottledAction, subject: ThrottleSubject): Promise<void>;
  /**
   * Forgets the account's counters for clients without a device cookie (after a password reset:
   * whoever guessed no longer holds the password, and the owner may sign in from anywhere): every
   * counter of the families the actions belong to (see `familyOf`).
   */
  clearAccount(email: string, actions: readonly ThrottledAction[], network?: string): Promise<void>;
}

/**
 * The counters of one subject live in one record per family of actions, so that one write counts
 * an attempt in every tier and reads the other actions' budgets: the sign-in's actions together,
 * the password reset's apart (a reset clears the sign-in's counters and keeps its own).
 */
export const familyOf: Record<ThrottledAction, "signin" | "reset"> = {
  password: "signin",
  signInCode: "signin",
  codeSent: "signin",
  resetCode: "reset",
  resetSent: "reset",
};

type Scope = "knownDevice" | "network" | "account";

interface Counter {
  /** The record (kind `throttle`) holding it: `<family>:<scope>:<digest>`. */
  record: string;
  action: ThrottledAction;
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
  const actions = Object.keys(limits) as ThrottledAction[];

  /** How long a record outlives its last write: the longest window of any counter it holds. */
  function keepSecondsOf(record: string): number {
    const [family, scope] = record.split(":") as ["signin" | "reset", Scope];
    const windows = actions.filter((action) => familyOf[action] === family).flatMap((action) => limits[action][scope].map((tier) => tier.windowSeconds));
    return Math.max(1, ...windows);
  }

  const countersIn = (action: ThrottledAction, scope: Scope, subjectDigest: string): Counter[] =>
    limits[action][scope].map((tier) => ({ record: `${familyOf[action]}:${scope}:${subjectDigest}`, action, tier }));

  function accountCounters(action: ThrottledAction, email: string): Counter[] {
    return countersIn(action, "account", digest(normalisedEmail(email)));
  }

  /** The counters an attempt meets: a known device's own, or the network's and the account's. */
  function countersFor(action: ThrottledAction, subject: ThrottleSubject): Counter[] {
    const account = normalisedEmail(subject.email);
    if (subject.knownDevice !== undefined && limits[action].knownDevice.length > 0) return countersIn(action, "knownDevice", digest(account, subject.knownDevice));
    return [...countersIn(action, "network", digest(account, subject.network)), ...accountCounters(action, subject.email)];
  }

  /** One addToWindows per record: every counter's change in it at once; the records side by side. */
  async function write(changes: { counter: Counter; by: number; at?: number }[]): Promise<Map<string, WindowedCounts>> {
    const byRecord = new Map<string, WindowedAdd[]>();
    for (const { counter, by, at } of changes) {
      const adds = byRecord.get(counter.record) ?? [];
      adds.push({ counter: counter.action, windowSeconds: counter.tier.windowSeconds, by, ...(at === undefined ? {} : { at }) });
      byRecord.set(counter.record, adds);
    }
    const records = [...byRecord];
    const answers = await Promise.all(records.map(([record, adds]) => store.addToWindows(throttleKind, record, adds, keepSecondsOf(record))));
    return new Map(records.map(([record], index) => [record, answers[index]!]));
  }

  /** Seconds until every over-limit counter's window has ended; 0 when none is over. */
  function waitFor(counters: Counter[], counts: Map<string, WindowedCounts>, over: (count: number, limit: number) => boolean): number {
    const at = now();
    let waitMs = 0;
    for (const counter of counters) {
      const count = counts.get(counter.record)?.count(counter.action, counter.tier.windowSeconds) ?? 0;
      if (over(count, counter.tier.limit)) waitMs = Math.max(waitMs, windowEndsAt(counter.tier.windowSeconds, at) - at);
    }
    return waitMs > 0 ? Math.ceil(waitMs / 1000) : 0;
  }

  return {
    async reserve(action, subject, options = {}) {
      const counters = countersFor(action, subject);
      const openChecks = (options.alsoOpen ?? []).flatMap((other) => countersFor(other, subject));
      const reservedAt = now();
      const settle: Reservation["settle"] = async ({ refund, record = [] }) => {
        const changes = [
          ...(refund ? counters.map((counter) => ({ counter, by: -1, at: reservedAt })) : []),
          ...record.flatMap((recorded) => countersFor(recorded, subject).map((counter) => ({ counter, by: 1 }))),
        ];
        if (changes.length > 0) await write(changes);
      };
      const reservation: Reservation = { refund: () => settle({ refund: true }), settle };
      if (counters.length === 0 && openChecks.length === 0) return reservation;
      const counts = await write([...counters.map((counter) => ({ counter, by: 1 })), ...openChecks.map((counter) => ({ counter, by: 0 }))]);
      const wait = Math.max(
        waitFor(counters, counts, (count, limit) => count > limit),
        waitFor(openChecks, counts, (count, limit) => count >= limit),
      );
      if (wait > 0) {
        await reservation.refund();
        throw throttled(wait);
      }
      return reservation;
    },

    async ensureOpen(action, subject) {
      const counters = countersFor(action, subject);
      if (counters.length === 0) return;
      const wait = waitFor(counters, await write(counters.map((counter) => ({ counter, by: 0 }))), (count, limit) => count >= limit);
      if (wait > 0) throw throttled(wait);
    },

    async record(action, subject) {
      await write(countersFor(action, subject).map((counter) => ({ counter, by: 1 })));
    },

    async clearAccount(email, cleared, network) {
      const counters = cleared.flatMap((action) =>
        network === undefined ? accountCounters(action, email) : countersFor(action, { email, network, knownDevice: undefined }),
      );
      await Promise.all([...new Set(counters.map((counter) => counter.record))].map((record) => store.delete(throttleKind, record)));
    },
  };
}
