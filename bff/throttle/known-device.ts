import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { parse as parseCookies } from "cookie";
import type { Request } from "express";
import type { BffConfig } from "../config";
import { normalisedEmail } from "../session/session-manager";

/**
 * The device cookie (OWASP Authentication Cheat Sheet, "Account Lockout" → device cookies; OWASP
 * Credential Stuffing Prevention Cheat Sheet): after a successful sign-in the browser gets a
 * long-lived signed cookie naming a random device id and the accounts that signed in on it (as
 * digests). A wrong password or code from a browser that holds it for the account is counted
 * against that device alone, so a stranger's failures — counted per network and per account —
 * never lock the owner out of a browser they have used before.
 *
 * The cookie holds no secret and no email: `<base64url(JSON)>.<HMAC-SHA256 with the first cookie
 * key>`, accepted with any key of COOKIE_KEYS (rotation). HttpOnly, SameSite=Strict, Path=/ (for the `__Host-` prefix over https).
 */

/** The cookie's name on plain http (over https: `__Host-tobira.device`), and its signature's context. */
export const knownDeviceCookieName = "tobira.device";
/** How long a browser stays known after its last sign-in. */
export const knownDeviceLifetimeSeconds = 180 * 24 * 60 * 60;
/** Accounts remembered per browser (a shared computer); the oldest is dropped first. */
const maxAccountsPerDevice = 5;

interface DeviceCookie {
  /** Random device id (128 bits). */
  d: string;
  /** Account digests, newest first. */
  a: string[];
}

/** The digest an account is remembered by: the cookie must not list the emails typed on a device. */
export function accountDigest(email: string): string {
  return createHash("sha256")
    .update(`known-device:${normalisedEmail(email)}`)
    .digest("base64url")
    .slice(0, 22);
}

export interface KnownDevices {
  /** This browser's device id when it signed in to `email`'s account before, else undefined. */
  deviceFor(req: Request, email: string): string | undefined;
  /** After a successful sign-in: sets or refreshes the cookie, adding the account. */
  remember(req: Request, email: string): void;
}

export function createKnownDevices(config: Pick<BffConfig, "cookie">): KnownDevices {
  const keys = config.cookie.keys;
  const sign = (payload: string, key: string) => createHmac("sha256", key).update(`${knownDeviceCookieName}.${payload}`).digest("base64url");

  function read(req: Request): DeviceCookie | undefined {
    const header = req.headers.cookie;
    if (header === undefined || header.length > 8192) return undefined;
    const raw = parseCookies(header)[config.cookie.names.knownDevice];
    if (raw === undefined || raw.length > 1024) return undefined;
    const dot = raw.lastIndexOf(".");
    if (dot <= 0) return undefined;
    const payload = raw.slice(0, dot);
    const signature = Buffer.from(raw.slice(dot + 1));
    const valid = keys.some((key) => {
      const expected = Buffer.from(sign(payload, key));
      return expected.length === signature.length && timingSafeEqual(expected, signature);
    });
    if (!valid) return undefined;
    try {
      const parsed = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Partial<DeviceCookie>;
      if (typeof parsed.d !== "string" || !Array.isArray(parsed.a) || !parsed.a.every((item) => typeof item === "string")) return undefined;
      return { d: parsed.d, a: parsed.a.slice(0, maxAccountsPerDevice) };
    } catch {
      return undefined;
    }
  }

  return {
    deviceFor(req, email) {
      const cookie = read(req);
      return cookie !== undefined && cookie.a.includes(accountDigest(email)) ? cookie.d : undefined;
    },

    remember(req, email) {
      const res = req.res;
      if (res === undefined || res.headersSent) return;
      const current = read(req);
      const account = accountDigest(email);
      const next: DeviceCookie = {
        d: current?.d ?? randomBytes(16).toString("base64url"),
        a: [account, ...(current?.a ?? []).filter((item) => item !== account)].slice(0, maxAccountsPerDevice),
      };
      const payload = Buffer.from(JSON.stringify(next)).toString("base64url");
      res.cookie(config.cookie.names.knownDevice, `${payload}.${sign(payload, keys[0]!)}`, {
        httpOnly: true,
        sameSite: "strict",
        secure: config.cookie.secure,
        path: "/",
        maxAge: knownDeviceLifetimeSeconds * 1000,
      });
    },
  };
}
