/**
 * Several rate counters in one record, updated in one atomic write (Store.addToWindows): how the
 * per-account throttle keeps every tier of one subject in one item, so that judging an attempt
 * costs one round-trip whatever the number of tiers.
 *
 * Windows are fixed and aligned to the epoch: a window of `w` seconds runs from a multiple of `w`
 * seconds to the next, the same on every instance. Each counter's current window is an attribute
 * of its own, named after the window's index (`c.<counter>.<w>.<index>`), so a new window starts
 * at zero without a read, and attributes of windows that have ended are removed by later writes.
 * A fixed window lets through at most twice its limit across a window boundary (a burst at the
 * end of one window and the start of the next), as any fixed-window counter does.
 */

/** One counter's change in a windowed-counter record. */
export interface WindowedAdd {
  /** The counter's name within the record: a letter, then letters, digits or `-`. */
  counter: string;
  /** Length of the counter's windows in whole seconds. */
  windowSeconds: number;
  /** Added to the counter's window: 0 reads only, a negative number takes hits back (a refund). */
  by: number;
  /**
   * Epoch milliseconds in the window meant (a refund names the window of its reservation); an
   * add whose window has ended by the time of the write is dropped. Default: now.
   */
  at?: number;
}

/** The record's counters after the write. */
export interface WindowedCounts {
  /** The counter's hits in its current window: 0 when none. */
  count(counter: string, windowSeconds: number): number;
}

const counterPattern = /^[A-Za-z][A-Za-z0-9-]*$/;

export function windowIndexOf(windowSeconds: number, atMs: number): number {
  return Math.floor(atMs / (windowSeconds * 1000));
}

/** Epoch milliseconds at which the window holding `atMs` ends. */
export function windowEndsAt(windowSeconds: number, atMs: number): number {
  return (windowIndexOf(windowSeconds, atMs) + 1) * windowSeconds * 1000;
}

export function windowAttribute(counter: string, windowSeconds: number, index: number): string {
  if (!counterPattern.test(counter)) throw new Error(`Invalid counter name ${JSON.stringify(counter)}`);
  if (!Number.isInteger(windowSeconds) || windowSeconds < 1) throw new Error(`Invalid window ${windowSeconds}`);
  return `c.${counter}.${windowSeconds}.${index}`;
}

/** The attribute's counter and window, or undefined for an attribute that is not a counter's. */
function parseWindowAttribute(name: string): { counter: string; windowSeconds: number; index: number } | undefined {
  const parts = name.split(".");
  if (parts.length !== 4 || parts[0] !== "c") return undefined;
  const windowSeconds = Number(parts[2]);
  const index = Number(parts[3]);
  if (!Number.isInteger(windowSeconds) || windowSeconds < 1 || !Number.isInteger(index)) return undefined;
  return { counter: parts[1]!, windowSeconds, index };
}

/** What one write does to a record at `nowMs`: the attributes to add to (adds of ended windows dropped, zeros skipped). */
export function effectiveAdds(adds: readonly WindowedAdd[], nowMs: number): Map<string, number> {
  const changes = new Map<string, number>();
  for (const add of adds) {
    const current = windowIndexOf(add.windowSeconds, nowMs);
    const index = windowIndexOf(add.windowSeconds, add.at ?? nowMs);
    const attribute = windowAttribute(add.counter, add.windowSeconds, current);
    if (index !== current || add.by === 0) continue;
    changes.set(attribute, (changes.get(attribute) ?? 0) + add.by);
  }
  return changes;
}

/** The counts of a record's attributes at `nowMs`, and the attributes of windows that have ended. */
export function readWindows(attributes: Record<string, unknown> | undefined, nowMs: number): { counts: WindowedCounts; ended: string[] } {
  const current = new Map<string, number>();
  const ended: string[] = [];
  for (const [name, value] of Object.entries(attributes ?? {})) {
    const parsed = parseWindowAttribute(name);
    if (parsed === undefined) continue;
    if (parsed.index === windowIndexOf(parsed.windowSeconds, nowMs)) current.set(`${parsed.counter}.${parsed.windowSeconds}`, Number(value) || 0);
    else ended.push(name);
  }
  return { counts: { count: (counter, windowSeconds) => current.get(`${counter}.${windowSeconds}`) ?? 0 }, ended };
}
