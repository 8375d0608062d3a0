import type { CounterState, IndexedRecord, PutCondition, Store } from "../../bff/store/store";
import { effectiveAdds, readWindows } from "../../bff/store/windowed-counters";

/**
 * A Map-backed Store for unit tests, with the DynamoDB store's meaning (bff/store/store.ts) in
 * one process: the same item shape, the same whole-second TTL arithmetic, conditions, single-use
 * consume, the index and a fixed-window `increment`. test/support/store-contract.ts holds it and
 * the DynamoDB store (on dynalite) to the same behaviour.
 */

interface MemoryItem {
  kind: string;
  id: string;
  value?: unknown;
  /** Epoch seconds, rounded up at write time, as the DynamoDB store's TTL attribute. */
  expiresAt?: number;
  index?: string;
  hits?: number;
  /** Epoch milliseconds at which a counter's window ends. */
  windowEndsAt?: number;
  /** Windowed counters by attribute (bff/store/windowed-counters.ts). */
  windows?: Record<string, number>;
}

/** The DynamoDB store's rule: a kind cannot contain the `#` that separates it from the id. */
const kindPattern = /^[A-Za-z][\w-]*$/;

function keyOf(kind: string, id: string): string {
  if (!kindPattern.test(kind)) throw new Error(`Invalid store kind ${JSON.stringify(kind)}`);
  return `${kind}#${id}`;
}

/** Values are plain JSON data: a stored value shares nothing with the caller's, and undefined members vanish as in DynamoDB. */
function copy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

function fieldOf(value: unknown, field: string): unknown {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[field] : undefined;
}

export function memoryStore(now: () => number = Date.now): Store {
  const items = new Map<string, MemoryItem>();
  const nowSeconds = () => Math.floor(now() / 1000);
  const isLive = (item: MemoryItem) => item.expiresAt === undefined || item.expiresAt > nowSeconds();

  function liveItem(kind: string, id: string): MemoryItem | undefined {
    const item = items.get(keyOf(kind, id));
    return item !== undefined && isLive(item) ? item : undefined;
  }

  function passes(current: MemoryItem | undefined, condition: PutCondition): boolean {
    if ("absent" in condition) return current === undefined;
    // Every other condition requires a live record.
    if (current === undefined) return false;
    if ("exists" in condition) return true;
    return fieldOf(current.value, condition.field) === condition.equals;
  }

  return {
    async get<T>(kind: string, id: string) {
      return copy(liveItem(kind, id)?.value) as T | undefined;
    },

    async put(kind, id, value, options = {}) {
      const key = keyOf(kind, id);
      if (options.condition !== undefined && !passes(liveItem(kind, id), options.condition)) return false;
      const item: MemoryItem = { kind, id, value: copy(value) };
      if (options.ttlSeconds !== undefined) item.expiresAt = Math.ceil(now() / 1000 + options.ttlSeconds);
      if (options.index !== undefined) item.index = options.index;
      items.set(key, item);
      return true;
    },

    async consume<T>(kind: string, id: string) {
      const key = keyOf(kind, id);
      const item = liveItem(kind, id);
      // Only a live record is consumed; an expired one stays until it is overwritten or deleted.
      if (item === undefined) return undefined;
      items.delete(key);
      return item.value as T | undefined;
    },

    async markOnce<T>(kind: string, id: string, field: string, mark: string | number, only: Record<string, string | undefined> = {}) {
      const item = liveItem(kind, id);
      if (item === undefined || typeof item.value !== "object" || item.value === null || fieldOf(item.value, field) !== undefined) return undefined;
      if (Object.entries(only).some(([name, equals]) => fieldOf(item.value, name) !== equals)) return undefined;
      const before = copy(item.value) as T;
      (item.value as Record<string, unknown>)[field] = mark;
      return before;
    },

    async getMany(keys) {
      if (keys.length > 100) throw new Error("getMany reads at most 100 records");
      return keys.map((key) => copy(liveItem(key.kind, key.id)?.value));
    },

    async putMany(records, deletes = []) {
      if (records.length + deletes.length > 25) throw new Error("putMany writes at most 25 records");
      if (new Set([...records, ...deletes].map(({ kind, id }) => keyOf(kind, id))).size < records.length + deletes.length) {
        throw new Error("putMany names each record at most once");
      }
      for (const { kind, id, value, options = {} } of records) await this.put(kind, id, value, options);
      for (const { kind, id } of deletes) await this.delete(kind, id);
    },

    async delete(kind, id) {
      items.delete(keyOf(kind, id));
    },

    async queryByIndex<T>(kind: string, indexValue: string) {
      keyOf(kind, indexValue);
      const records: IndexedRecord<T>[] = [];
      for (const item of items.values()) {
        if (item.kind === kind && item.index === indexValue && isLive(item)) records.push({ id: item.id, value: copy(item.value) as T });
      }
      return records;
    },

    async increment(kind, id, windowSeconds, by = 1): Promise<CounterState> {
      const key = keyOf(kind, id);
      const at = now();
      const current = items.get(key);
      if (current?.windowEndsAt !== undefined && current.windowEndsAt > at) {
        current.hits = (current.hits ?? 0) + by;
        return { count: current.hits, resetAt: current.windowEndsAt };
      }
      // No counter, or its window has ended: a new window starts with this hit.
      const windowEndsAt = at + windowSeconds * 1000;
      items.set(key, { kind, id, hits: by, windowEndsAt, expiresAt: Math.ceil(at / 1000 + windowSeconds) });
      return { count: by, resetAt: windowEndsAt };
    },

    async addToWindows(kind, id, adds, keepSeconds) {
      const key = keyOf(kind, id);
      const at = now();
      const changes = effectiveAdds(adds, at);
      const current = items.get(key);
      if (changes.size === 0) return readWindows(current?.windows, at).counts;
      // The DynamoDB store removes ended windows on a later write; here at once (the counts are the same).
      const windows: Record<string, number> = {};
      for (const [attribute, count] of Object.entries(current?.windows ?? {})) {
        if (!readWindows({ [attribute]: count }, at).ended.includes(attribute)) windows[attribute] = count;
      }
      for (const [attribute, by] of changes) windows[attribute] = (windows[attribute] ?? 0) + by;
      items.set(key, { kind, id, windows, expiresAt: Math.ceil(at / 1000 + keepSeconds) });
      return readWindows(windows, at).counts;
    },

    async ping() {
      return undefined;
    },
  };
}
