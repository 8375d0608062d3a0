/**
 * The BFF's server-side state behind one interface (docs/architecture.md, "State and its record
 * kinds"): sessions, pending sign-ins, rate counters, WebAuthn challenges, passkey credentials and
 * the OpenID Provider's records.
 * Records are addressed by a `kind` (a namespace such as "session") and an `id` within it.
 * Values are plain JSON data (no Dates, no class instances).
 */

import type { WindowedAdd, WindowedCounts } from "./windowed-counters";

export interface PutOptions {
  /** Lifetime in seconds; the record reads as absent afterwards. Omit for records that do not expire. */
  ttlSeconds?: number;
  /** A secondary key within the kind, for queryByIndex (e.g. a grant id, a user's sub). */
  index?: string;
  /**
   * Writes only when the stored record passes the check (an optimistic-concurrency write, so
   * that a read-modify-write loses no concurrent update and a late update cannot recreate a
   * record deleted meanwhile). Every condition requires a live (present, unexpired) record:
   *  - `{ exists: true }` replaces the record only while it is live;
   *  - `{ field, equals }` also compares a top-level field of the stored value (compare-and-set);
   *    `equals: undefined` means the field is absent from the stored value;
   *  - `{ absent: true }` is the one exception: it creates the record only while none is live
   *    (a create that cannot overwrite a concurrent one).
   */
  condition?: PutCondition;
}

export type PutCondition = { exists: true } | { absent: true } | { field: string; equals: string | number | undefined };

export interface IndexedRecord<T> {
  id: string;
  value: T;
}

export interface CounterState {
  count: number;
  /** Epoch milliseconds at which the window ends. */
  resetAt: number;
}

export interface Store {
  /** The record, or undefined when absent or expired. */
  get<T>(kind: string, id: string): Promise<T | undefined>;
  /**
   * Creates or replaces a record. Resolves true when written, false when `options.condition`
   * failed (nothing written); without a condition it always writes and resolves true.
   */
  put<T>(kind: string, id: string, value: T, options?: PutOptions): Promise<boolean>;
  /**
   * Deletes the record and returns it, to exactly one caller: a conditional delete, so that of
   * concurrent consumers one gets the value and the others undefined (single-use items).
   */
  consume<T>(kind: string, id: string): Promise<T | undefined>;
  /**
   * Sets the top-level field `field` of a live record's value to `mark` when the value does not
   * have it yet, and returns the value as it was before: a conditional update, so that of
   * concurrent callers exactly one gets the value and the others undefined (single use without
   * deleting: the record keeps its TTL and index, and later readers see the mark). Undefined too
   * when the record is absent or expired, or when a field named in `only` differs from the value
   * given there (undefined: the field must be absent).
   */
  markOnce<T>(kind: string, id: string, field: string, mark: string | number, only?: Record<string, string | undefined>): Promise<T | undefined>;
  /**
   * Reads several records in one round-trip (consistent reads), in the order of `keys`:
   * undefined where a record is absent or expired. At most 100 keys.
   */
  getMany(keys: readonly { kind: string; id: string }[]): Promise<unknown[]>;
  /**
   * Creates or replaces several records, and deletes the records named in `deletes`, in one
   * round-trip, without conditions (e.g. freshly issued tokens under random ids). Neither atomic
   * nor ordered: on failure some may have been written or deleted, and a concurrent reader may
   * see any of them done before the others — keep writes whose order matters in calls of their
   * own. At most 25 puts and deletes together, each key at most once.
   */
  putMany(
    records: readonly { kind: string; id: string; value: unknown; options?: Omit<PutOptions, "condition"> }[],
    deletes?: readonly { kind: string; id: string }[],
  ): Promise<void>;
  delete(kind: string, id: string): Promise<void>;
  /** Every live record of `kind` whose index equals `indexValue`. */
  queryByIndex<T>(kind: string, indexValue: string): Promise<IndexedRecord<T>[]>;
  /**
   * Atomically adds `by` to a counter whose window lasts `windowSeconds` from its first hit
   * (a fixed window: rate limits shared by every BFF instance).
   */
  increment(kind: string, id: string, windowSeconds: number, by?: number): Promise<CounterState>;
  /**
   * Adds to several fixed-window counters of one record in one atomic write (windows aligned to
   * the epoch: windowed-counters.ts) and answers every counter of the record as it is after the
   * write. The record is kept at least `keepSeconds` from now: give the longest window of any
   * counter it holds. With nothing to add it only reads.
   */
  addToWindows(kind: string, id: string, adds: readonly WindowedAdd[], keepSeconds: number): Promise<WindowedCounts>;
  /** Resolves when the backing service answers (readiness). */
  ping(): Promise<void>;
}
