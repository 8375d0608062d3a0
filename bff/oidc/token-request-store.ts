import { createHash } from "node:crypto";
import Provider, { type KoaContextWithOIDC } from "oidc-provider";
import type { PutOptions, Store } from "../store/store";

/**
 * Fewer store round-trips per token request (oidc-provider's request context, token endpoint only;
 * nothing is kept between requests):
 *
 * - Reads: once the provider has found the authorization code or refresh token, the keys of
 *   everything else it will read are known (its grant, its provider session's pointer, its
 *   account snapshot): store-adapter.ts reads them together (Store.getMany, consistent reads) and
 *   the later reads of the same request are answered from that batch. Only records read after the
 *   request started, and a write of a record through the store forgets its read: a request never
 *   sees a value older than its own start, nor misses its own writes.
 * - Writes: the tokens a request issues (new records under random ids) are written together
 *   (Store.putMany) when the provider has built its answer, before the answer leaves
 *   (flushTokenWrites, provider-hooks.ts); an answer that is not a success writes none. A single-use
 *   consume is never deferred: it is decided before any token is issued.
 * - The code exchange reads and consumes the code in one conditional write, made only when the
 *   request would pass the provider's own checks of the code (its client, redirect_uri and PKCE
 *   challenge, RFC 6749 §4.1.3, RFC 7636 §4.6): a request that fails them neither uses up the
 *   code nor sees it consumed, and reads it plainly so that the provider answers with its error.
 *   The provider's later consume of the same code in the same request is then already done.
 */

const reads = new WeakMap<object, Map<string, unknown>>();

interface PendingWrite {
  kind: string;
  id: string;
  value: unknown;
  options?: Omit<PutOptions, "condition">;
}

const pendingWrites = new WeakMap<object, { store: Store; records: PendingWrite[] }>();

function tokenRequest(): object | undefined {
  const ctx = Provider.ctx as KoaContextWithOIDC | undefined;
  return ctx?.oidc?.route === "token" ? ctx : undefined;
}

const keyOf = (kind: string, id: string) => `${kind}#${id}`;

const consumedHere = new WeakMap<object, Set<string>>();

/** RFC 7636 §4.1: a verifier is 43–128 characters of [A-Za-z0-9-._~]. */
const verifierPattern = /^[A-Za-z0-9\-._~]{43,128}$/;

/**
 * What the stored code must hold for this code exchange to pass the provider's checks of it
 * (clientId, redirectUri, codeChallenge: S256 of the verifier, or none without one); undefined
 * outside an authorization_code request for this code by an authenticated client.
 */
export function codeExchangeExpects(code: string): Record<string, string | undefined> | undefined {
  const ctx = tokenRequest() as KoaContextWithOIDC | undefined;
  const params = ctx?.oidc.params;
  const clientId = ctx?.oidc.client?.clientId;
  if (params?.grant_type !== "authorization_code" || params.code !== code || clientId === undefined || typeof params.redirect_uri !== "string") return undefined;
  const verifier = params.code_verifier;
  if (verifier !== undefined && (typeof verifier !== "string" || !verifierPattern.test(verifier))) return undefined;
  return {
    clientId,
    redirectUri: params.redirect_uri,
    codeChallenge: verifier === undefined ? undefined : createHash("sha256").update(verifier).digest("base64url"),
  };
}

/** Remembers that this request consumed the record (its later consume is already done). */
export function rememberConsumed(kind: string, id: string): void {
  const ctx = tokenRequest();
  if (ctx === undefined) return;
  const consumed = consumedHere.get(ctx);
  if (consumed === undefined) consumedHere.set(ctx, new Set([keyOf(kind, id)]));
  else consumed.add(keyOf(kind, id));
}

export function consumedInThisRequest(kind: string, id: string): boolean {
  const ctx = tokenRequest();
  return ctx !== undefined && consumedHere.get(ctx)?.has(keyOf(kind, id)) === true;
}

/** Reads these records together for the rest of this token request (nothing outside one). */
export async function readAhead(store: Store, keys: readonly { kind: string; id: string }[]): Promise<void> {
  const ctx = tokenRequest();
  if (ctx === undefined) return;
  let known = reads.get(ctx);
  if (known === undefined) {
    known = new Map();
    reads.set(ctx, known);
  }
  const missing = keys.filter(
    (key, index) => !known.has(keyOf(key.kind, key.id)) && keys.findIndex((other) => keyOf(other.kind, other.id) === keyOf(key.kind, key.id)) === index,
  );
  if (missing.length === 0) return;
  const values = await store.getMany(missing);
  missing.forEach((key, index) => known.set(keyOf(key.kind, key.id), values[index]));
}

/**
 * Within a token request, keeps a new record to be written with the request's other new records
 * (true); outside one, does nothing (false: the caller writes it now).
 */
export function deferTokenWrite(store: Store, record: PendingWrite): boolean {
  const ctx = tokenRequest();
  if (ctx === undefined) return false;
  const pending = pendingWrites.get(ctx);
  if (pending === undefined) pendingWrites.set(ctx, { store, records: [record] });
  else pending.records.push(record);
  return true;
}

/**
 * Writes the tokens this request issued, in as few round-trips as the store allows, when its
 * answer is a success; drops them otherwise (nothing was handed out). Throws the store's error:
 * the caller must then not send the tokens.
 */
export async function flushTokenWrites(ctx: object, succeeded: boolean): Promise<void> {
  const pending = pendingWrites.get(ctx);
  pendingWrites.delete(ctx);
  if (pending === undefined || !succeeded) return;
  for (let start = 0; start < pending.records.length; start += 25) await pending.store.putMany(pending.records.slice(start, start + 25));
}

function pendingWrite(kind: string, id: string): PendingWrite | undefined {
  const ctx = tokenRequest();
  return ctx === undefined ? undefined : pendingWrites.get(ctx)?.records.find((record) => record.kind === kind && record.id === id);
}

/** The store whose `get` answers from this token request's read-ahead and its unwritten tokens, and whose writes forget the read-ahead. */
export function withRequestReads(store: Store): Store {
  const forget = (kind: string, id: string) => {
    const ctx = tokenRequest();
    if (ctx !== undefined) reads.get(ctx)?.delete(keyOf(kind, id));
  };
  return {
    async get<T>(kind: string, id: string) {
      const ctx = tokenRequest();
      const known = ctx === undefined ? undefined : reads.get(ctx);
      const key = keyOf(kind, id);
      const unwritten = pendingWrite(kind, id);
      if (unwritten !== undefined) return structuredClone(unwritten.value) as T;
      if (known?.has(key)) return structuredClone(known.get(key)) as T | undefined;
      return store.get<T>(kind, id);
    },
    put(kind, id, value, options) {
      forget(kind, id);
      return store.put(kind, id, value, options);
    },
    consume(kind, id) {
      forget(kind, id);
      return store.consume(kind, id);
    },
    markOnce(kind, id, field, mark, only) {
      forget(kind, id);
      return store.markOnce(kind, id, field, mark, only);
    },
    getMany: (keys) => store.getMany(keys),
    putMany(records) {
      for (const record of records) forget(record.kind, record.id);
      return store.putMany(records);
    },
    delete(kind, id) {
      forget(kind, id);
      return store.delete(kind, id);
    },
    queryByIndex: (kind, indexValue) => store.queryByIndex(kind, indexValue),
    increment: (kind, id, windowSeconds, by) => store.increment(kind, id, windowSeconds, by),
    addToWindows: (kind, id, adds, keepSeconds) => store.addToWindows(kind, id, adds, keepSeconds),
    ping: () => store.ping(),
  };
}
