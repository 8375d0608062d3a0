import { createHash, randomBytes } from "node:crypto";
import { parse as parseCookies } from "cookie";
import type { Request } from "express";
import type { TrustedDevice } from "../../common/api-contract";
import type { BffConfig } from "../config";
import { summariseUserAgent } from "../security/device-summary";
import { clientOf } from "../security/security-events";
import { nowSeconds } from "../session/session-manager";
import type { Store } from "../store/store";

/**
 * Trusted devices ("don't ask for a code on this device for 30 days"; README, "Your account").
 * Opted into at the code step, a browser gets a long-lived random token (256 bits) in an
 * HttpOnly, SameSite=Strict cookie at Path=/ (`__Host-tobira.trusted` over https); the store keeps only its SHA-256 (record kind
 * `trusted-device`, indexed by the account's `sub`, expiring with the token). At the next
 * sign-in the token stands in for the emailed code only — the password is still checked by
 * Cognito first, and the token counts only for the account it was issued to (OWASP Multifactor
 * Authentication Cheat Sheet, "Remembering devices"). A token is bound to one browser profile,
 * not to hardware. Password change, sign-out everywhere and a reset forget every device
 * (bff/session/sign-out.ts); each can be forgotten from the account page. TRUSTED_DEVICES=false
 * turns the feature off; TRUSTED_DEVICE_DAYS sets the lifetime.
 */

export const trustedDeviceKind = "trusted-device";

interface StoredTrustedDevice {
  sub: string;
  /** Cognito's internal username: the sign-in's password step names the user by it. */
  username: string;
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number;
  client: { userAgent: string; ip: string };
}

const hash = (token: string) => createHash("sha256").update(token).digest("base64url");
/** The account page's name for a device: never the token or its stored hash. */
const publicIdOf = (key: string) => createHash("sha256").update(`trusted-device-list:${key}`).digest("base64url").slice(0, 22);

export interface TrustedDevices {
  enabled: boolean;
  /** After a code sign-in with the box ticked: a new token for this browser. */
  remember(req: Request, account: { sub: string; username: string }): Promise<void>;
  /** Whether this browser holds a live token of this user; marks it used. */
  vouchesFor(req: Request, username: string): Promise<boolean>;
  listFor(req: Request, sub: string): Promise<TrustedDevice[]>;
  /** Forgets one device of the user by its public id; false when it names none of theirs. */
  forget(sub: string, publicId: string): Promise<boolean>;
  /** Forgets every device of the user (bff/session/sign-out.ts). */
  forgetAll(sub: string): Promise<void>;
}

export function createTrustedDevices(deps: { config: BffConfig; store: Store }): TrustedDevices {
  const { config, store } = deps;
  const { enabled, lifetimeSeconds } = config.account.trustedDevices;

  function presentedKey(req: Request): string | undefined {
    const header = req.headers.cookie;
    if (header === undefined || header.length > 8192) return undefined;
    const token = parseCookies(header)[config.cookie.names.trustedDevice];
    return token !== undefined && /^[A-Za-z0-9_-]{43}$/.test(token) ? hash(token) : undefined;
  }

  async function liveRecordsOf(sub: string) {
    const now = nowSeconds();
    return (await store.queryByIndex<StoredTrustedDevice>(trustedDeviceKind, sub)).filter((record) => record.value.sub === sub && record.value.expiresAt > now);
  }

  return {
    enabled,

    async remember(req, { sub, username }) {
      const res = req.res;
      if (!enabled || res === undefined || res.headersSent) return;
      const token = randomBytes(32).toString("base64url");
      const now = nowSeconds();
      const record: StoredTrustedDevice = { sub, username, createdAt: now, lastUsedAt: null, expiresAt: now + lifetimeSeconds, client: clientOf(req) };
      await store.put(trustedDeviceKind, hash(token), record, { ttlSeconds: lifetimeSeconds, index: sub });
      res.cookie(config.cookie.names.trustedDevice, token, {
        httpOnly: true,
        sameSite: "strict",
        secure: config.cookie.secure,
        path: "/",
        maxAge: lifetimeSeconds * 1000,
      });
    },

    async vouchesFor(req, username) {
      if (!enabled) return false;
      const key = presentedKey(req);
      if (key === undefined) return false;
      const record = await store.get<StoredTrustedDevice>(trustedDeviceKind, key);
      if (record === undefined || record.username !== username || record.expiresAt <= nowSeconds()) return false;
      await store.put(
        trustedDeviceKind,
        key,
        { ...record, lastUsedAt: nowSeconds() },
        { ttlSeconds: Math.max(1, record.expiresAt - nowSeconds()), index: record.sub, condition: { exists: true } },
      );
      return true;
    },

    async listFor(req, sub) {
      const current = presentedKey(req);
      return (await liveRecordsOf(sub)).map(({ id, value }) => ({
        id: publicIdOf(id),
        current: id === current,
        createdAt: value.createdAt,
        lastUsedAt: value.lastUsedAt,
        expiresAt: value.expiresAt,
        device: summariseUserAgent(value.client.userAgent),
        ip: value.client.ip,
      }));
    },

    async forget(sub, publicId) {
      const record = (await liveRecordsOf(sub)).find((candidate) => publicIdOf(candidate.id) === publicId);
      if (record === undefined) return false;
      await store.delete(trustedDeviceKind, record.id);
      return true;
    },

    async forgetAll(sub) {
      const records = await store.queryByIndex<StoredTrustedDevice>(trustedDeviceKind, sub);
      await Promise.all(records.map((record) => store.delete(trustedDeviceKind, record.id)));
    },
  };
}
