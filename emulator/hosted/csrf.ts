import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { parse as parseCookieHeader } from "cookie";
import type { Request, Response } from "express";

/**
 * Cognito's managed login keeps its form token in this cookie and the `_csrf` field. One cookie
 * for all its pages (Path=/), so a person can move between sign-in, sign-up and confirmation —
 * or keep two of them open — without a form going stale.
 */
const CSRF_COOKIE = "XSRF-TOKEN";
const COOKIE_ATTRIBUTES = "Path=/; HttpOnly; SameSite=Lax";
const NONCE = /^[\w-]{24}$/;

function cookieValue(req: Request, name: string): string | undefined {
  return parseCookieHeader(req.get("cookie") ?? "")[name];
}

export interface Csrf {
  /** The `_csrf` value for a form; sets the cookie when the browser has none yet. */
  issue(req: Request, res: Response): string;
  /** Whether the posted `_csrf` field belongs to the browser's cookie. */
  check(req: Request, field: unknown): boolean;
  /** Ends the token once the flow it protected is over (after a sign-in). */
  clear(res: Response): void;
}

/**
 * Signed double-submit tokens (OWASP CSRF Prevention Cheat Sheet, "Signed Double-Submit Cookie"):
 * the cookie holds a random nonce, the form field its HMAC under a key that never leaves this
 * process; a cross-site page can neither read the cookie nor compute the field.
 */
export function createCsrf(): Csrf {
  const key = randomBytes(32);
  const sign = (nonce: string) => createHmac("sha256", key).update(nonce).digest("base64url");
  return {
    issue(req, res) {
      let nonce = cookieValue(req, CSRF_COOKIE);
      if (nonce === undefined || !NONCE.test(nonce)) {
        nonce = randomBytes(18).toString("base64url");
        res.append("Set-Cookie", `${CSRF_COOKIE}=${nonce}; ${COOKIE_ATTRIBUTES}`);
      }
      return sign(nonce);
    },
    check(req, field) {
      const nonce = cookieValue(req, CSRF_COOKIE);
      if (nonce === undefined || typeof field !== "string") return false;
      const expected = Buffer.from(sign(nonce));
      const given = Buffer.from(field);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
    clear(res) {
      res.append("Set-Cookie", `${CSRF_COOKIE}=; ${COOKIE_ATTRIBUTES}; Max-Age=0`);
    },
  };
}
