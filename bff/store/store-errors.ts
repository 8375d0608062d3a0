/**
 * Why a store call failed, in the store's own words, so that the BFF maps it once
 * (bff/errors.ts): the table could not be reached, did not answer within its deadline or
 * throttled us → 503 `service_unavailable` with Retry-After (docs/architecture.md, "The JSON
 * API"), never a 500 and never a hang.
 */
export class StoreUnavailableError extends Error {
  constructor(
    /** The store operation, e.g. "get" (no kinds or ids: they may carry user data). */
    readonly operation: string,
    options?: { cause?: unknown },
  ) {
    super(`The store did not answer (${operation})`, options);
    this.name = "StoreUnavailableError";
  }
}

/**
 * The largest partition or index key DynamoDB accepts, in bytes (Amazon DynamoDB Developer
 * Guide, "Service, account, and table quotas": partition key values up to 2048 bytes). An id
 * longer than this was never stored, so a read of it answers "absent", not a 500.
 */
export const maxStoreKeyBytes = 2048;

/** Whether `<kind>#<id>` fits a DynamoDB key. */
export function fitsStoreKey(kind: string, id: string): boolean {
  return Buffer.byteLength(kind, "utf8") + 1 + Buffer.byteLength(id, "utf8") <= maxStoreKeyBytes;
}

/** A write under a key too long for the table: the caller did not bound its input. */
export class StoreKeyTooLongError extends Error {
  constructor(readonly kind: string) {
    super(`A ${kind} id is longer than the store's key limit`);
    this.name = "StoreKeyTooLongError";
  }
}
