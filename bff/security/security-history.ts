import { randomBytes } from "node:crypto";
import type { SecurityEventView } from "../../common/api-contract";
import type { Store } from "../store/store";
import { summariseUserAgent } from "./device-summary";
import type { SecurityEvent } from "./security-event-types";

/**
 * The sign-in history and the other security events of an account: store records of kind
 * `security-event`, indexed by the account's `sub`, each expiring after the retention period
 * (SECURITY_HISTORY_DAYS, 30 days) through the table's TTL (docs/architecture.md, "State and its
 * record kinds"). The newest first, at most `maxListed`.
 */

export const securityEventKind = "security-event";
const maxListed = 200;

/** A record written in the same round-trip as a history entry (Store.putMany: not atomic, no order). */
export type WrittenAlongside = Parameters<Store["putMany"]>[0][number];

export interface HistoryWriteOptions {
  /** Records written in the same round-trip as the entry. */
  alongside?: readonly WrittenAlongside[];
  /** Takes the entry's records (answers true) into a batch the request writes later; false: written now. */
  writeWith?: (records: readonly WrittenAlongside[]) => boolean;
}

export interface SecurityHistory {
  /** Stores the event (and `alongside` with it, in one round-trip, or in `writeWith`'s batch). */
  add(event: Omit<SecurityEvent, "id">, options?: HistoryWriteOptions): Promise<SecurityEvent>;
  list(sub: string): Promise<SecurityEvent[]>;
  /** Erases every event of the account (account deletion). */
  eraseAll(sub: string): Promise<void>;
}

export function createSecurityHistory(deps: { store: Store; ttlSeconds: number }): SecurityHistory {
  const { store, ttlSeconds } = deps;
  return {
    async add(event, { alongside = [], writeWith } = {}) {
      // Milliseconds first: ids sort in the order events happened, also within one second.
      const stored: SecurityEvent = { ...event, id: `${Date.now().toString(36).padStart(9, "0")}${randomBytes(9).toString("base64url")}` };
      const records = [{ kind: securityEventKind, id: stored.id, value: stored, options: { ttlSeconds, index: stored.sub } }, ...alongside];
      if (writeWith?.(records) !== true) await store.putMany(records);
      return stored;
    },

    async list(sub) {
      const records = await store.queryByIndex<SecurityEvent>(securityEventKind, sub);
      return records
        .map((record) => record.value)
        .filter((event) => event.sub === sub)
        .sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
        .slice(0, maxListed);
    },

    async eraseAll(sub) {
      const records = await store.queryByIndex<SecurityEvent>(securityEventKind, sub);
      await Promise.all(records.map((record) => store.delete(securityEventKind, record.id)));
    },
  };
}

/** What the account page shows of an event: no user agent string, no email address. */
export function toSecurityEventView(event: SecurityEvent): SecurityEventView {
  return {
    id: event.id,
    type: event.type,
    at: event.at,
    device: summariseUserAgent(event.client.userAgent).label,
    ip: event.client.ip,
    method: event.method ?? null,
    app: event.app ?? null,
    knownDevice: event.knownDevice ?? null,
    detail: event.type === "passkey_added" || event.type === "passkey_removed" ? (event.detail ?? null) : null,
  };
}
