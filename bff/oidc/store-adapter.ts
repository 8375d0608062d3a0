import { errors, type Adapter, type AdapterConstructor, type AdapterPayload } from "oidc-provider";
import type { Store } from "../store/store";
import { StoreUnavailableError } from "../store/store-errors";
import { accountKind } from "./accounts";
import { codeExchangeExpects, consumedInThisRequest, deferTokenWrite, readAhead, rememberConsumed, withRequestReads } from "./token-request-store";

/**
 * oidc-provider's storage adapter over the BFF's Store (DynamoDB; dynalite locally), so that
 * every BFF instance shares codes, sessions, grants and tokens, and a restart loses none.
 *
 * - Each model is a Store kind (`oidc-<Model>`); records expire with the library's `expiresIn`.
 * - Tokens are indexed by `grantId` (revokeByGrantId), Grants and Sessions by `accountId`
 *   (revokeAccountGrants after a password reset; back-channel logout of every session of a
 *   user); a Session's `uid` gets a pointer record holding a copy of the session, read with a
 *   consistent read, since an index may lag behind a write (DynamoDB GSIs are eventually
 *   consistent) and a fresh session must be found at once. The copy is written with the
 *   session at each save and deleted with it, so finding a session by uid is one read.
 * - `consume` is single-winner: one conditional update sets `consumed` (what oidc-provider checks
 *   on a replay) only on a live record that lacks it, so exactly one caller wins. A caller that
 *   loses the race sees a replay: the grant and everything it issued are revoked and the request
 *   fails with invalid_grant (RFC 6749 §4.1.2; RFC 9700 §4.14 for refresh tokens).
 * - In a token request, finding the code or refresh token reads its grant, provider session and
 *   account snapshot in the same round-trip, and the tokens it issues are written together
 *   (token-request-store.ts).
 */

export const oidcKindPrefix = "oidc-";

/** Models whose records carry a grantId and are revoked with their grant. */
export const grantableModels = ["AccessToken", "AuthorizationCode", "RefreshToken", "DeviceCode", "BackchannelAuthenticationRequest", "PreAuthorizedCode"] as const;

const grantable: ReadonlySet<string> = new Set(grantableModels);

function kindOf(model: string): string {
  return `${oidcKindPrefix}${model}`;
}

const sessionUidKind = kindOf("SessionUid");
const userCodeKind = kindOf("UserCode");

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Deletes a grant and every token issued under it (any model). */
export async function revokeGrantEverywhere(store: Store, grantId: string): Promise<void> {
  await Promise.all([
    store.delete(kindOf("Grant"), grantId),
    ...grantableModels.map(async (model) => {
      const records = await store.queryByIndex<AdapterPayload>(kindOf(model), grantId);
      await Promise.all(records.map((record) => store.delete(kindOf(model), record.id)));
    }),
  ]);
}

/**
 * Revokes every grant of an account and every token issued under them: relying parties' refresh
 * tokens then get invalid_grant and access tokens 401 (OWASP Forgot Password Cheat Sheet: after a
 * reset, existing sessions must end).
 */
export async function revokeAccountGrants(store: Store, accountId: string): Promise<void> {
  const grants = await store.queryByIndex<AdapterPayload>(kindOf("Grant"), accountId);
  await Promise.all(grants.map((grant) => revokeGrantEverywhere(store, grant.id)));
}

/** Revokes an account's grants to one client and every token issued under them; resolves to how many there were. */
export async function revokeClientGrants(store: Store, accountId: string, clientId: string): Promise<number> {
  const grants = (await store.queryByIndex<AdapterPayload>(kindOf("Grant"), accountId)).filter((grant) => grant.value.clientId === clientId);
  await Promise.all(grants.map((grant) => revokeGrantEverywhere(store, grant.id)));
  return grants.length;
}

/** Every stored grant of an account. */
export async function findAccountGrants(store: Store, accountId: string): Promise<AdapterPayload[]> {
  return (await store.queryByIndex<AdapterPayload>(kindOf("Grant"), accountId)).map((record) => record.value);
}

/** Every stored provider session of an account (in any browser). */
export async function findAccountSessions(store: Store, accountId: string): Promise<AdapterPayload[]> {
  return (await store.queryByIndex<AdapterPayload>(kindOf("Session"), accountId)).map((record) => record.value);
}

/**
 * The longest id the provider is asked to find: its own ids are 21–64 characters and client ids
 * are ours. Longer input (a 3 KB client_id, code, refresh token, Basic user or Bearer token) was
 * never issued, so it is answered "not found" before the store sees it — the protocol's own
 * error (invalid_client, invalid_grant, invalid_token) instead of a store fault and a 500.
 */
export const maxProviderIdLength = 1024;

const isBoundedId = (id: unknown): id is string => typeof id === "string" && id.length > 0 && id.length <= maxProviderIdLength;

/** A store outage inside the provider: 503 temporarily_unavailable (RFC 6749 §4.1.2.1), not a 500 server_error. */
function providerUnavailable(cause: StoreUnavailableError): Error {
  return Object.assign(new errors.TemporarilyUnavailable("the service is temporarily unavailable, try again shortly", { cause }), {
    status: 503,
    statusCode: 503,
    expose: true,
  });
}

/** The store as the provider sees it: an unavailable store fails the request with a protocol error. */
function asProviderStore(store: Store): Store {
  return new Proxy(store, {
    get(target, property, receiver) {
      const member: unknown = Reflect.get(target, property, receiver);
      if (typeof member !== "function") return member;
      return (...args: unknown[]) =>
        (member as (...values: unknown[]) => Promise<unknown>).apply(target, args).catch((error: unknown) => {
          throw error instanceof StoreUnavailableError ? providerUnavailable(error) : error;
        });
    },
  });
}

/** What a token request reads after the code or refresh token: its grant, its provider session (pointer with copy), its account. */
function keysReadWith(payload: AdapterPayload): { kind: string; id: string }[] {
  const keys: { kind: string; id: string }[] = [];
  if (isBoundedId(payload.grantId)) keys.push({ kind: kindOf("Grant"), id: payload.grantId });
  if (payload.expiresWithSession === true && isBoundedId(payload.sessionUid)) keys.push({ kind: sessionUidKind, id: payload.sessionUid });
  if (isBoundedId(payload.accountId)) keys.push({ kind: accountKind, id: payload.accountId });
  return keys;
}

/** The models whose new records a token request issues (written together: token-request-store.ts). */
const issuedAtTokenEndpoint: ReadonlySet<string> = new Set(["AccessToken", "RefreshToken"]);

/** A session's uid pointer: the session's id, and a copy of the session (absent from pointers written before the copy was kept). */
interface SessionPointer {
  id: string;
  session?: AdapterPayload;
}

export function createStoreAdapter(backing: Store): AdapterConstructor {
  const store = withRequestReads(asProviderStore(backing));
  return class StoreAdapter implements Adapter {
    private readonly kind: string;

    constructor(private readonly model: string) {
      this.kind = kindOf(model);
    }

    private putOptions(payload: AdapterPayload, ttlSeconds: number | undefined) {
      const index =
        grantable.has(this.model) && typeof payload.grantId === "string"
          ? payload.grantId
          : (this.model === "Grant" || this.model === "Session") && typeof payload.accountId === "string"
            ? payload.accountId
            : undefined;
      return { ...(ttlSeconds === undefined ? {} : { ttlSeconds }), ...(index === undefined ? {} : { index }) };
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number | undefined): Promise<void> {
      const ttlSeconds = typeof expiresIn === "number" && expiresIn > 0 ? expiresIn : undefined;
      // A token request's new tokens are written together before its answer leaves (token-request-store.ts).
      if (issuedAtTokenEndpoint.has(this.model) && deferTokenWrite(store, { kind: this.kind, id, value: payload, options: this.putOptions(payload, ttlSeconds) })) return;
      await store.put(this.kind, id, payload, this.putOptions(payload, ttlSeconds));
      if (this.model === "Session" && typeof payload.uid === "string") {
        const pointer: SessionPointer = { id, session: payload };
        await store.put(sessionUidKind, payload.uid, pointer, ttlSeconds === undefined ? {} : { ttlSeconds });
      }
      if (typeof payload.userCode === "string") {
        await store.put(userCodeKind, payload.userCode, { id }, ttlSeconds === undefined ? {} : { ttlSeconds });
      }
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (!isBoundedId(id)) return undefined;
      const expects = this.model === "AuthorizationCode" ? codeExchangeExpects(id) : undefined;
      if (expects !== undefined) {
        // The code exchange reads and consumes the code at once (token-request-store.ts).
        const redeemed = await store.markOnce<AdapterPayload>(this.kind, id, "consumed", nowSeconds(), expects);
        if (redeemed !== undefined) {
          rememberConsumed(this.kind, id);
          await readAhead(store, keysReadWith(redeemed));
          return redeemed;
        }
      }
      const payload = await store.get<AdapterPayload>(this.kind, id);
      if (payload !== undefined && (this.model === "AuthorizationCode" || this.model === "RefreshToken")) await readAhead(store, keysReadWith(payload));
      return payload;
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      if (!isBoundedId(uid)) return undefined;
      const pointer = await store.get<SessionPointer>(sessionUidKind, uid);
      if (pointer === undefined) return undefined;
      return pointer.session ?? this.find(pointer.id);
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      if (!isBoundedId(userCode)) return undefined;
      const pointer = await store.get<{ id: string }>(userCodeKind, userCode);
      return pointer === undefined ? undefined : this.find(pointer.id);
    }

    async consume(id: string): Promise<void> {
      if (!isBoundedId(id)) throw new errors.InvalidGrant("grant request is invalid or already used");
      if (consumedInThisRequest(this.kind, id)) return;
      const taken = await store.markOnce<AdapterPayload>(this.kind, id, "consumed", nowSeconds());
      if (taken === undefined) {
        // Another request redeemed it first (or it was already redeemed, or it is gone): a replay.
        const grantId = (await store.get<AdapterPayload>(this.kind, id))?.grantId;
        if (typeof grantId === "string") await revokeGrantEverywhere(store, grantId);
        throw new errors.InvalidGrant("grant request is invalid or already used");
      }
    }

    async destroy(id: string): Promise<void> {
      if (!isBoundedId(id)) return;
      if (this.model === "Session") {
        const payload = await this.find(id);
        if (typeof payload?.uid === "string") await store.delete(sessionUidKind, payload.uid);
      }
      await store.delete(this.kind, id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      if (!isBoundedId(grantId)) return;
      const records = await store.queryByIndex<AdapterPayload>(this.kind, grantId);
      await Promise.all(records.map((record) => store.delete(this.kind, record.id)));
    }
  };
}
