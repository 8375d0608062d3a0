import { createHash, randomBytes, randomInt } from "node:crypto";
import type { IncomingMessage } from "node:http";
import cookieSession from "cookie-session";
import Cookies from "cookies";
import type { Request, RequestHandler } from "express";
import Keygrip from "keygrip";
import type { BffConfig } from "../config";
import { ApiError } from "../errors";
import type { Store } from "../store/store";
import type { AuthenticatedSession, EndedSession, ListedSession, PendingSignIn, SessionSummary, StoredSession } from "./session-records";
import { endedSession, openSession, sealSession, sessionStoreKey } from "./token-sealing";

/**
 * The browser session. The signed cookie (`__Host-tobira` over https, `tobira` on
 * http://localhost; HttpOnly, SameSite=Lax, Secure outside local mode) carries only a random id
 * (256 bits, OWASP Session Management Cheat Sheet, "Session ID Entropy"); the store keys records by
 * the id's SHA-256, so a leaked table holds no usable session ids, and Cognito's tokens are sealed
 * under a key derived from the id (token-sealing.ts), so it holds no usable tokens either. The id is replaced at every
 * privilege change — the password step and the completed sign-in — and the old one stops working
 * (session fixation, ibid., "Renew the Session ID After Any Privilege Level Change").
 *
 * A signed-in session ends at its absolute expiry (SESSION_TTL_SECONDS) or once unused for
 * SESSION_IDLE_TIMEOUT_SECONDS, whichever comes first (ibid., "Session Expiration"); "unused" is
 * known to within the activity resolution below.
 */

export const sessionKind = "session";
export const signInKind = "signin";
/** Pointer from a user's normalised email to their sub, written at each sign-in (endAllSessionsFor needs the sub). */
export const sessionUserKind = "session-user";
/** When a session was last used (`{at}`), keyed like the session; written at most every few minutes. */
export const sessionActivityKind = "session-activity";

/** "Last active" is kept to this many seconds at most: a write per request would cost more than it tells. */
const maxActivityResolutionSeconds = 5 * 60;
/** Sessions whose last write this process remembers (bounded; forgetting one costs one extra write). */
const maxRememberedActivity = 10_000;

/** One spelling per address, so that a reset typed in another case still finds the user. */
export function normalisedEmail(email: string): string {
  return email.trim().toLowerCase();
}

const sessionIdPattern = /^[A-Za-z0-9_-]{43}$/;

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function newSessionId(): string {
  return randomBytes(32).toString("base64url");
}

const storeKey = sessionStoreKey;

/**
 * The name the account page gives a session: a hash of the store key, so neither the cookie's id
 * nor the store key leaves the server, and one user cannot name another's session by guessing.
 */
export function publicSessionId(key: string): string {
  return createHash("sha256").update(`session-list:${key}`).digest("base64url").slice(0, 22);
}

export function sessionCookieMiddleware(config: BffConfig): RequestHandler {
  return cookieSession({
    name: config.cookie.name,
    keys: config.cookie.keys, // the first signs; all verify (rotation)
    signed: true,
    httpOnly: true,
    sameSite: "lax",
    secure: config.cookie.secure,
    path: "/",
    maxAge: config.session.ttlSeconds * 1000,
  });
}

/**
 * The session cookie for a route that only reads it (GET /api/session), without cookie-session's
 * per-request set-up (a cookie jar, a `req.session` accessor, a hook on the answer's headers): the
 * same signed-cookie check by the same library (`cookies`, which cookie-session uses: the `.sig`
 * cookie's HMAC under any of COOKIE_KEYS, compared in constant time), the same decoding
 * (cookie-session keeps the session as base64 JSON), and `req.session` as a plain object. A
 * request without a cookie of that name has no session and leaves `req.session` undefined. A
 * route that may write the session needs sessionCookieMiddleware.
 */
export function sessionCookieReader(config: BffConfig): RequestHandler {
  const name = config.cookie.name;
  const carriesCookie = carriesSessionCookie(config);
  const keys = new Keygrip(config.cookie.keys);
  return (req, res, next) => {
    // Stryker disable next-line ConditionalExpression,BlockStatement: a shortcut only; without the cookie, Cookies.get below finds nothing either
    if (!carriesCookie(req)) {
      next();
      return;
    }
    // As in cookie-session, a value signed under an older key is re-signed under the first one.
    // Stryker disable next-line ObjectLiteral: `cookies` checks the signature by default when it has keys; `signed: true` says so here
    const value = new Cookies(req, res, { keys }).get(name, { signed: true });
    // Stryker disable next-line ConditionalExpression: decoding nothing gives undefined too (Buffer.from throws, decodedSessionCookie catches)
    if (value !== undefined) (req as { session?: unknown }).session = decodedSessionCookie(value);
    next();
  };
}

/**
 * Whether the request's Cookie header has a cookie of the session cookie's name: without one there
 * is no session to read. Another cookie whose name ends with it only costs the full parse.
 */
export function carriesSessionCookie(config: Pick<BffConfig, "cookie">): (req: IncomingMessage) => boolean {
  const nameAndEquals = `${config.cookie.name}=`;
  return (req) => req.headers.cookie?.includes(nameAndEquals) === true;
}

/** cookie-session's encoding of its session: JSON in base64. Undefined when the value is not that. */
function decodedSessionCookie(value: string): unknown {
  let session: unknown;
  try {
    session = JSON.parse(Buffer.from(value, "base64").toString("utf8"));
  } catch {
    // Not base64 JSON: no session.
  }
  return session;
}

/** Conflicting writers retried by updatePending before it gives up. */
const maxPendingUpdateAttempts = 5;

export interface SessionManager {
  readPending(req: Request): Promise<PendingSignIn | undefined>;
  /**
   * Starts a new pending sign-in (after the password step), replacing any other of this browser,
   * under a NEW session id (the old one stops working); it gets a fresh version.
   */
  savePending(req: Request, pending: Omit<PendingSignIn, "version" | "signedInUnderId">): Promise<void>;
  /**
   * Read-modify-write of the pending sign-in without lost updates: `mutate` gets the stored record
   * and returns the new one, written only if no other request changed it meanwhile (a conditional
   * put on `version`); on a conflict it runs again on the newer record. Resolves to what was
   * written, or undefined when no sign-in is pending (it is never recreated). `known`, the record
   * as this request read it already, saves the first read: a stale one fails the version check, or
   * is read again when `mutate` refuses it.
   */
  updatePending(req: Request, mutate: (current: PendingSignIn) => PendingSignIn, known?: PendingSignIn): Promise<PendingSignIn | undefined>;
  /** Clears the pending sign-in; with `ifCognitoSession`, only while it still holds that Cognito session. */
  clearPending(req: Request, ifCognitoSession?: string): Promise<void>;
  readAuthenticated(req: Request): Promise<AuthenticatedSession | undefined>;
  /**
   * Saves changes to the signed-in session (e.g. refreshed tokens), keeping its absolute expiry;
   * does nothing once the session has ended (logout, expiry).
   */
  updateAuthenticated(req: Request, session: AuthenticatedSession): Promise<void>;
  /**
   * Saves the signed-in session under a NEW id and ends the old one (a privilege change within
   * the session: a step-up). Whoever copied the old id does not get what this session just proved.
   */
  renewAuthenticated(req: Request, session: AuthenticatedSession): Promise<void>;
  /**
   * Starts a signed-in session under a NEW id; returns the session it replaced, if any. With
   * `signedInUnderId: false` (from the pending sign-in being completed) there is none to look for.
   */
  establish(req: Request, session: AuthenticatedSession, options?: { signedInUnderId?: boolean }): Promise<AuthenticatedSession | undefined>;
  /** Deletes this browser's records and clears the cookie; returns the signed-in session, if any. */
  end(req: Request): Promise<AuthenticatedSession | undefined>;
  /** The sub of whoever last signed in with this email, while that session may still be live. */
  subForEmail(email: string): Promise<string | undefined>;
  /**
   * Ends every signed-in session of a user in every browser (after a password reset); returns
   * the ended sessions so that the caller revokes their Cognito refresh tokens. Pending sign-ins
   * hold no tokens and are left alone.
   */
  endAllSessionsFor(sub: string): Promise<EndedSession[]>;
  /** Every signed-in session of the user (account page), with its public id and last activity. */
  listFor(sub: string): Promise<ListedSession[]>;
  /** The public id of this browser's session, if signed in. */
  currentPublicId(req: Request): string | undefined;
  /** Ends one session of the user named by its public id; returns it, or undefined when it is not theirs or gone. */
  endOneOf(sub: string, publicId: string): Promise<EndedSession | undefined>;
  /** Ends every session of the user except this browser's (after a password change); returns the ended ones. */
  endOtherSessionsOf(req: Request, sub: string): Promise<EndedSession[]>;
  /** The user's live sessions as seen without their browsers (the provider's live-user check), newest sign-in first. */
  liveSessionsOf(sub: string): Promise<EndedSession[]>;
}

export function createSessionManager(deps: { store: Store; config: BffConfig }): SessionManager {
  const { store, config } = deps;

  function currentId(req: Request): string | undefined {
    const id: unknown = req.session?.sid;
    return typeof id === "string" && sessionIdPattern.test(id) ? id : undefined;
  }

  const activityWritten = new Map<string, number>();
  const idleTimeoutSeconds = config.session.idleTimeoutSeconds;
  // Fine enough that a session is never ended more than a quarter of the idle timeout early.
  const activityResolutionSeconds = Math.max(1, Math.min(maxActivityResolutionSeconds, Math.floor(idleTimeoutSeconds / 4)));

  /** Records that the session was used, at most once per activityResolutionSeconds from this process. */
  async function touch(key: string, session: SessionSummary): Promise<void> {
    const now = nowSeconds();
    if (now - (activityWritten.get(key) ?? 0) < activityResolutionSeconds) return;
    if (activityWritten.size >= maxRememberedActivity) activityWritten.clear();
    activityWritten.set(key, now);
    await store.put(sessionActivityKind, key, { at: now }, { ttlSeconds: Math.max(1, session.expiresAt - now) });
  }

  async function readAuthenticated(req: Request): Promise<AuthenticatedSession | undefined> {
    const id = currentId(req);
    if (id === undefined) return undefined;
    const key = storeKey(id);
    const remembered = activityWritten.get(key);
    const now = nowSeconds();
    // This process wrote the activity recently enough: no second read to know the session is not idle.
    const needActivity = remembered === undefined || remembered + idleTimeoutSeconds <= now;
    const [record, activity] = await Promise.all([
      store.get<StoredSession>(sessionKind, key),
      needActivity ? store.get<{ at: number }>(sessionActivityKind, key) : undefined,
    ]);
    const session = openSession(id, record);
    if (session === undefined || session.expiresAt <= now) return undefined;
    if (isIdle(session, Math.max(remembered ?? 0, activity?.at ?? 0), now)) {
      await endByKey(key);
      return undefined;
    }
    await touch(key, session);
    return session;
  }

  /** Unused for the idle timeout: the last activity seen (or the sign-in) is that long ago. */
  function isIdle(session: SessionSummary, lastActivityAt: number, now: number): boolean {
    return Math.max(lastActivityAt, session.createdAt) + idleTimeoutSeconds <= now;
  }

  /** The user's sessions that are neither expired nor idle, each with its last activity. */
  async function liveRecordsOf(sub: string) {
    const now = nowSeconds();
    const records = (await store.queryByIndex<StoredSession>(sessionKind, sub)).filter((record) => record.value.sub === sub && record.value.expiresAt > now);
    // The sessions' activity records in one round-trip per 100 (BatchGetItem's limit), not one each.
    const activities: unknown[] = [];
    for (let start = 0; start < records.length; start += 100) {
      activities.push(...(await store.getMany(records.slice(start, start + 100).map((record) => ({ kind: sessionActivityKind, id: record.id })))));
    }
    const withActivity = records.map((record, index) => {
      const activity = activities[index] as { at: number } | undefined;
      return { ...record, lastActiveAt: Math.max(activity?.at ?? 0, activityWritten.get(record.id) ?? 0, record.value.createdAt) };
    });
    return withActivity.filter((record) => !isIdle(record.value, record.lastActiveAt, now));
  }

  /** A signed-in session's record under `id`, its tokens sealed (token-sealing.ts). */
  function sessionRecord(id: string, session: AuthenticatedSession) {
    return {
      kind: sessionKind,
      id: storeKey(id),
      value: sealSession(id, session, config.cookie.keys),
      options: { ttlSeconds: Math.max(1, session.expiresAt - nowSeconds()), index: session.sub },
    };
  }

  /** Writes a signed-in session under `id`. */
  async function writeSession(id: string, session: AuthenticatedSession, condition?: { exists: true }): Promise<void> {
    const record = sessionRecord(id, session);
    await store.put(record.kind, record.id, record.value, { ...record.options, ...(condition === undefined ? {} : { condition }) });
  }

  const ended = (record: { id: string; value: StoredSession }) => endedSession(record.id, record.value, config.cookie.keys);

  async function endByKey(key: string): Promise<void> {
    activityWritten.delete(key);
    await Promise.all([store.delete(sessionKind, key), store.delete(sessionActivityKind, key)]);
  }

  async function readPending(req: Request): Promise<PendingSignIn | undefined> {
    const id = currentId(req);
    return id === undefined ? undefined : store.get<PendingSignIn>(signInKind, storeKey(id));
  }

  /**
   * A new id for this browser at the password step (a privilege change): whoever knew the old id
   * — a cookie planted before the sign-in — cannot follow the attempt. A signed-in session under
   * the old id moves to the new one (it ends when this sign-in completes); every record under the
   * old id is deleted, so the old id stops working.
   */
  async function rotateId(req: Request): Promise<{ id: string; movedSignedIn: boolean }> {
    const oldId = currentId(req);
    const id = newSessionId();
    let movedSignedIn = false;
    if (oldId !== undefined) {
      const oldKey = storeKey(oldId);
      const signedIn = await readAuthenticated(req);
      if (signedIn !== undefined) {
        movedSignedIn = true;
        const now = nowSeconds();
        const ttlSeconds = Math.max(1, signedIn.expiresAt - now);
        await writeSession(id, signedIn);
        await store.put(sessionActivityKind, storeKey(id), { at: now }, { ttlSeconds });
      }
      await Promise.all([endByKey(oldKey), store.delete(signInKind, oldKey)]);
    }
    // The cookie's other handles (pending WebAuthn challenges, single-use server-side) stay.
    req.session = { ...req.session, sid: id };
    return { id, movedSignedIn };
  }

  /** Absolute lifetime from the password step: the whole attempt must finish in time. */
  function pendingTtlSeconds(pending: PendingSignIn): number {
    return Math.max(1, pending.startedAt + config.session.signInTtlSeconds - nowSeconds());
  }

  return {
    readPending,
    readAuthenticated,

    async savePending(req, pending) {
      const { id, movedSignedIn } = await rotateId(req);
      // A random first version: an update read from the attempt this one replaces cannot match it.
      const record: PendingSignIn = { ...pending, version: randomInt(2 ** 40), signedInUnderId: movedSignedIn };
      await store.put(signInKind, storeKey(id), record, { ttlSeconds: pendingTtlSeconds(record) });
    },

    async updatePending(req, mutate, known) {
      const id = currentId(req);
      if (id === undefined) return undefined;
      const key = storeKey(id);
      for (let attempt = 0; attempt < maxPendingUpdateAttempts; attempt += 1) {
        const guess = attempt === 0 ? known : undefined;
        const current = guess ?? (await store.get<PendingSignIn>(signInKind, key));
        if (current === undefined) return undefined;
        let changed: PendingSignIn;
        try {
          changed = mutate(current);
        } catch (error) {
          if (guess === undefined) throw error;
          continue;
        }
        // `version` is absent only from records written before it existed.
        const next: PendingSignIn = { ...changed, version: (current.version ?? 0) + 1 };
        const written = await store.put(signInKind, key, next, {
          ttlSeconds: pendingTtlSeconds(next),
          condition: { field: "version", equals: current.version },
        });
        if (written) return next;
      }
      // Only a flood of simultaneous requests from one browser gets here.
      throw new ApiError(429, "rate_limited", "Too many requests at once. Wait a moment and try again.");
    },

    async clearPending(req, ifCognitoSession) {
      const id = currentId(req);
      if (id === undefined) return;
      if (ifCognitoSession !== undefined) {
        const current = await store.get<PendingSignIn>(signInKind, storeKey(id));
        // A concurrent request already moved the attempt on: leave its state alone.
        if (current !== undefined && current.cognitoSession !== ifCognitoSession) return;
      }
      await store.delete(signInKind, storeKey(id));
    },

    async updateAuthenticated(req, session) {
      const id = currentId(req);
      if (id === undefined) return;
      // Only while the session is live: a refresh finishing after a logout must not bring it back.
      // Stryker disable next-line ObjectLiteral,BooleanLiteral: both stores read any condition but `absent` or `field` as "a live record"
      await writeSession(id, session, { exists: true });
    },

    async renewAuthenticated(req, session) {
      const oldId = currentId(req);
      if (oldId === undefined) return;
      const oldKey = storeKey(oldId);
      // Only while the session is live: a step-up finishing after a sign-out must not bring it back.
      if ((await store.get<StoredSession>(sessionKind, oldKey)) === undefined) return;
      const id = newSessionId();
      const now = nowSeconds();
      await writeSession(id, session);
      await store.put(sessionActivityKind, storeKey(id), { at: now }, { ttlSeconds: Math.max(1, session.expiresAt - now) });
      await Promise.all([endByKey(oldKey), store.delete(signInKind, oldKey)]);
      // The cookie's other handles (pending WebAuthn challenges, single-use server-side) stay.
      req.session = { ...req.session, sid: id };
    },

    async establish(req, incoming, options = {}) {
      const session: AuthenticatedSession =
        incoming.client === undefined ? { ...incoming, client: { userAgent: (req.headers?.["user-agent"] ?? "").slice(0, 512), ip: req.ip ?? "" } } : incoming;
      const oldId = currentId(req);
      // Read and ended in one round-trip (a delete that returns the record): the old id stops working.
      // Sessions are written only under fresh ids, so none appears under a pending sign-in's id
      // after its password step: when that step moved none there, there is nothing to end.
      const lookFor = oldId !== undefined && options.signedInUnderId !== false;
      const replaced = lookFor ? openSession(oldId, await store.consume<StoredSession>(sessionKind, storeKey(oldId))) : undefined;
      const id = newSessionId();
      const ttlSeconds = Math.max(1, session.expiresAt - nowSeconds());
      // One round-trip, in no set order (Store.putMany): the new id is known to no one until this
      // answer sets it, so no request can find the session before the pending sign-in is gone.
      await store.putMany(
        [
          sessionRecord(id, session),
          // Sessions have one absolute lifetime, so the newest pointer outlives every older session.
          { kind: sessionUserKind, id: normalisedEmail(session.email), value: { sub: session.sub }, options: { ttlSeconds } },
        ],
        oldId === undefined ? [] : [{ kind: signInKind, id: storeKey(oldId) }],
      );
      // The sign-in is the session's first activity (isIdle counts from createdAt): the next read
      // on this instance needs no activity record, only the session's.
      activityWritten.set(storeKey(id), nowSeconds());
      req.session = { sid: id };
      return replaced;
    },

    async end(req) {
      const id = currentId(req);
      req.session = null;
      if (id === undefined) return undefined;
      const key = storeKey(id);
      const session = openSession(id, await store.get<StoredSession>(sessionKind, key));
      await Promise.all([endByKey(key), store.delete(signInKind, key)]);
      return session;
    },

    async subForEmail(email) {
      return (await store.get<{ sub: string }>(sessionUserKind, normalisedEmail(email)))?.sub;
    },

    async endAllSessionsFor(sub) {
      const records = await store.queryByIndex<StoredSession>(sessionKind, sub);
      await Promise.all(records.map((record) => endByKey(record.id)));
      return records.map(ended);
    },

    async listFor(sub) {
      return (await liveRecordsOf(sub)).map((record) => {
        const { sealedTokens: _sealed, sealedRefreshToken: _revocation, tokens: _legacy, ...session } = record.value;
        return { id: publicSessionId(record.id), session, lastActiveAt: record.lastActiveAt };
      });
    },

    currentPublicId(req) {
      const id = currentId(req);
      return id === undefined ? undefined : publicSessionId(storeKey(id));
    },

    async endOneOf(sub, publicId) {
      const record = (await liveRecordsOf(sub)).find((candidate) => publicSessionId(candidate.id) === publicId);
      if (record === undefined) return undefined;
      await endByKey(record.id);
      return ended(record);
    },

    async endOtherSessionsOf(req, sub) {
      const id = currentId(req);
      const keep = id === undefined ? undefined : storeKey(id);
      const others = (await store.queryByIndex<StoredSession>(sessionKind, sub)).filter((record) => record.id !== keep);
      await Promise.all(others.map((record) => endByKey(record.id)));
      return others.map(ended);
    },

    async liveSessionsOf(sub) {
      return (await liveRecordsOf(sub)).map(ended).sort((a, b) => b.authTime - a.authTime);
    },
  };
}
