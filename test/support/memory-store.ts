import type { IndexedRecord, PutOptions, Store } from "../../bff/store/store";

/**
 * A Map-backed Store for unit tests: TTL, index and conditional puts with the DynamoDB store's
 * meaning (bff/store/store.ts), in one process. The DynamoDB store itself is tested against
 * dynalite (test/unit/bff/dynamo-store.test.ts).
 */
export function memoryStore(now: () => number = Date.now): Store {
  const records = new Map<string, { value: unknown; index?: string | undefined; expiresAt?: number | undefined }>();
  const key = (kind: string, id: string) => `${kind}#${id}`;
  const live = (kind: string, id: string) => {
    const record = records.get(key(kind, id));
    return record !== undefined && (record.expiresAt === undefined || record.expiresAt > now()) ? record : undefined;
  };

  function passes(current: unknown, condition: PutOptions["condition"]): boolean {
    if (condition === undefined) return true;
    if (current === undefined) return false;
    if ("exists" in condition) return true;
    return (current as Record<string, unknown>)[condition.field] === condition.equals;
  }

  return {
    get: async <T>(kind: string, id: string) => structuredClone(live(kind, id)?.value) as T | undefined,
    put: async (kind, id, value, options = {}) => {
      const current = live(kind, id);
      if (!passes(current?.value, options.condition)) return false;
      const expiresAt = options.ttlSeconds === undefined ? undefined : now() + options.ttlSeconds * 1000;
      records.set(key(kind, id), { value: structuredClone(value), index: options.index, expiresAt });
      return true;
    },
    consume: async <T>(kind: string, id: string) => {
      const record = live(kind, id);
      records.delete(key(kind, id));
      return record?.value as T | undefined;
    },
    delete: async (kind, id) => void records.delete(key(kind, id)),
    queryByIndex: async <T>(kind: string, indexValue: string) =>
      [...records.entries()]
        .filter(([k, record]) => k.startsWith(`${kind}#`) && record.index === indexValue && live(kind, k.slice(kind.length + 1)) !== undefined)
        .map(([k, record]) => ({ id: k.slice(kind.length + 1), value: record.value as T })) as IndexedRecord<T>[],
    increment: async () => ({ count: 1, resetAt: now() + 60_000 }),
    ping: async () => undefined,
  };
}
