import { createHash, randomBytes } from "node:crypto";
import type { Request, RequestHandler } from "express";
import cookieSession from "cookie-session";
import type { BffConfig } from "../config";
import type { Store } from "../store/store";
import type { AuthenticatedSession, PendingSignIn } from "./session-records";

/**
 * The browser session. The signed cookie (`tobira`, HttpOnly, SameSite=Lax, Secure outside
 * local mode) carries only a random id (256 bits, OWASP Session Management Cheat Sheet,
 * "Session ID Entropy"); the store keys records by the id's SHA-256, so a leaked table holds no
 * usable session ids. The id is replaced when a sign-in completes (session fixation, ibid.,
 * "Renew the Session ID After Any Privilege Level Change").
 */

export const sessionKind = "session";
export const signInKind = "signin";

const sessionIdPattern = /^[A-Za-z0-9_-]{43}$/;

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function newSessionId(): string {
  return randomBytes(32).toString("base64url");
}

function storeKey(sessionId: string): string {
  return createHash("sha256").update(sessionId).digest("base64url");
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

export interface SessionManager {
  readPending(req: Request): Promise<PendingSignIn | undefined>;
  savePending(req: Request, pending: PendingSignIn): Promise<void>;
  /** Clears the pending sign-in; with `ifCognitoSession`, only while it still holds that Cognito session. */
  clearPending(req: Request, ifCognitoSession?: string): Promise<void>;
  readAuthenticated(req: Request): Promise<AuthenticatedSession | undefined>;
  /** Saves changes to the signed-in session (e.g. refreshed tokens), keeping its absolute expiry. */
  updateAuthenticated(req: Request, session: AuthenticatedSession): Promise<void>;
  /** Starts a signed-in session under a NEW id; returns the session it replaced, if any. */
  establish(req: Request, session: AuthenticatedSession): Promise<AuthenticatedSession | undefined>;
  /** Deletes this browser's records and clears the cookie; returns the signed-in session, if any. */
  end(req: Request): Promise<AuthenticatedSession | undefined>;
}

export function createSessionManager(deps: { store: Store; config: BffConfig }): SessionManager {
  const { store, config } = deps;

  function currentId(req: Request): string | undefined {
    const id: unknown = req.session?.sid;
    return typeof id === "string" && sessionIdPattern.test(id) ? id : undefined;
  }

  function ensureId(req: Request): string {
    const existing = currentId(req);
    if (existing !== undefined) return existing;
    const id = newSessionId();
    req.session = { sid: id };
    return id;
  }

  async function readAuthenticated(req: Request): Promise<AuthenticatedSession | undefined> {
    const id = currentId(req);
    if (id === undefined) return undefined;
    const session = await store.get<AuthenticatedSession>(sessionKind, storeKey(id));
    return session !== undefined && session.expiresAt > nowSeconds() ? session : undefined;
  }

  async function readPending(req: Request): Promise<PendingSignIn | undefined> {
    const id = currentId(req);
    return id === undefined ? undefined : store.get<PendingSignIn>(signInKind, storeKey(id));
  }

  return {
    readPending,
    readAuthenticated,

    async savePending(req, pending) {
      const id = ensureId(req);
      // Absolute lifetime from the password step: the whole attempt must finish in time.
      const ttlSeconds = Math.max(1, pending.startedAt + config.session.signInTtlSeconds - nowSeconds());
      await store.put(signInKind, storeKey(id), pending, { ttlSeconds });
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
      await store.put(sessionKind, storeKey(id), session, { ttlSeconds: Math.max(1, session.expiresAt - nowSeconds()), index: session.sub });
    },

    async establish(req, session) {
      const oldId = currentId(req);
      const replaced = oldId === undefined ? undefined : await store.get<AuthenticatedSession>(sessionKind, storeKey(oldId));
      const id = newSessionId();
      await store.put(sessionKind, storeKey(id), session, { ttlSeconds: Math.max(1, session.expiresAt - nowSeconds()), index: session.sub });
      if (oldId !== undefined) {
        await Promise.all([store.delete(sessionKind, storeKey(oldId)), store.delete(signInKind, storeKey(oldId))]);
      }
      req.session = { sid: id };
      return replaced;
    },

    async end(req) {
      const id = currentId(req);
      req.session = null;
      if (id === undefined) return undefined;
      const key = storeKey(id);
      const ended = await store.get<AuthenticatedSession>(sessionKind, key);
      await Promise.all([store.delete(sessionKind, key), store.delete(signInKind, key)]);
      return ended;
    },
  };
}
