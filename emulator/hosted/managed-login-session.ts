import { createHash, randomBytes } from "node:crypto";
import { parse as parseCookieHeader } from "cookie";
import type { Request, Response } from "express";

/**
 * The managed login's own session (docs/cognito-behaviour.md, "Managed login"): after a sign-in on
 * the sign-in page, the browser holds the `cognito` cookie for an hour, and `/oauth2/authorize`
 * issues codes without asking again — for any app client of the pool — until it expires or the
 * browser visits `/logout`. GlobalSignOut and RevokeToken do not end it.
 *
 * The cookie holds a random id; the sessions (digests of the ids) live in memory, so a restart
 * ends them all.
 */

export const MANAGED_LOGIN_COOKIE = "cognito";
export const MANAGED_LOGIN_SESSION_MS = 60 * 60_000;
/** HttpOnly, Lax; not Secure, because the emulator serves plain HTTP on localhost. */
const COOKIE_ATTRIBUTES = "Path=/; HttpOnly; SameSite=Lax";
const SESSION_ID = /^[\w-]{43}$/;

export interface ManagedLoginSession {
  /** The internal username. */
  username: string;
  /** When the person typed the password, epoch seconds: auth_time of every token issued silently. */
  authTime: number;
  /** Epoch milliseconds. */
  expiresAt: number;
}

const digest = (id: string) => createHash("sha256").update(id).digest("base64url");

export class ManagedLoginSessions {
  private readonly sessions = new Map<string, ManagedLoginSession>();

  constructor(
    private readonly now: () => number,
    private readonly lifetimeMs: number = MANAGED_LOGIN_SESSION_MS,
  ) {}

  /** Starts a session for `username` and sets its cookie; any session the browser had is replaced. */
  start(req: Request, res: Response, username: string): void {
    this.end(req, res, { keepCookie: true });
    this.sweep();
    const id = randomBytes(32).toString("base64url");
    const now = this.now();
    this.sessions.set(digest(id), { username, authTime: Math.floor(now / 1000), expiresAt: now + this.lifetimeMs });
    res.append("Set-Cookie", `${MANAGED_LOGIN_COOKIE}=${id}; ${COOKIE_ATTRIBUTES}; Max-Age=${Math.floor(this.lifetimeMs / 1000)}`);
  }

  /** The browser's live session, if any. */
  current(req: Request): ManagedLoginSession | undefined {
    const id = sessionId(req);
    if (id === undefined) return undefined;
    const session = this.sessions.get(digest(id));
    if (session === undefined || session.expiresAt <= this.now()) return undefined;
    return session;
  }

  /** `/logout`: the session ends on the server and the cookie is cleared. */
  end(req: Request, res: Response, options: { keepCookie?: boolean } = {}): void {
    const id = sessionId(req);
    if (id !== undefined) this.sessions.delete(digest(id));
    if (!options.keepCookie) res.append("Set-Cookie", `${MANAGED_LOGIN_COOKIE}=; ${COOKIE_ATTRIBUTES}; Max-Age=0`);
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, session] of this.sessions) if (session.expiresAt <= now) this.sessions.delete(key);
  }
}

function sessionId(req: Request): string | undefined {
  const id = parseCookieHeader(req.get("cookie") ?? "")[MANAGED_LOGIN_COOKIE];
  return id !== undefined && SESSION_ID.test(id) ? id : undefined;
}
