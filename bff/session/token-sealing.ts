import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import type { AuthenticatedSession, EndedSession, StoredCognitoTokens, StoredSession } from "./session-records";

/**
 * Cognito's tokens at rest. A session record keeps them sealed (AES-256-GCM) under a key derived
 * with HKDF-SHA256 (RFC 5869) from the raw session id — which only the browser's cookie holds; the
 * table keys the record by the id's SHA-256 — with the record's store key as associated data. A
 * copy of the table therefore yields no usable token, and a sealed value copied to another record
 * does not open there.
 *
 * Sign-outs that start elsewhere (a password reset, "sign out everywhere", the account page ending
 * another browser) and the OpenID Provider's live-user check have no cookie, so the refresh token
 * is sealed a second time under a key derived from the first COOKIE_KEYS key (any key of the list
 * opens it: rotation). That copy is useless with the table alone, and even with the cookie keys it
 * needs the app client's secret (SECRET_HASH) to be redeemed. The access and ID tokens, usable by
 * themselves, are sealed under the session id only.
 */

const format = "v1";
const salt = "tobira session";

/** The store key of a session id (the table never sees the id itself). */
export function sessionStoreKey(sessionId: string): string {
  return createHash("sha256").update(sessionId).digest("base64url");
}

function derivedKey(secret: string, info: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, salt, info, 32));
}

function seal(key: Buffer, associatedData: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  // Stryker disable next-line StringLiteral: "" is Buffer.from's default encoding, utf8
  cipher.setAAD(Buffer.from(associatedData, "utf8"));
  // Stryker disable next-line StringLiteral: "" is update's default input encoding for a string, utf8
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [format, iv.toString("base64url"), ciphertext.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".");
}

/** The plaintext, or undefined when the value was not sealed under this key for this record (or was altered). */
function open(key: Buffer, associatedData: string, sealed: unknown): string | undefined {
  if (typeof sealed !== "string") return undefined;
  const parts = sealed.split(".");
  if (parts.length !== 4 || parts[0] !== format) return undefined;
  const [, iv, ciphertext, tag] = parts as [string, string, string, string];
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    // Stryker disable next-line StringLiteral: "" is Buffer.from's default encoding, utf8
    decipher.setAAD(Buffer.from(associatedData, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    // Altered, or sealed under another key or for another record: GCM's tag does not verify.
  }
  return undefined;
}

const tokensKey = (sessionId: string) => derivedKey(sessionId, "tobira session tokens v1");
const revocationKey = (cookieKey: string) => derivedKey(cookieKey, "tobira session revocation v1");

/** The record the table keeps for a signed-in session: every field but the tokens in clear, the tokens sealed. */
export function sealSession(sessionId: string, session: AuthenticatedSession, cookieKeys: readonly string[]): StoredSession {
  const key = sessionStoreKey(sessionId);
  const { tokens, ...rest } = session;
  return {
    ...rest,
    sealedTokens: seal(tokensKey(sessionId), key, JSON.stringify(tokens)),
    sealedRefreshToken: seal(revocationKey(cookieKeys[0]!), key, tokens.refreshToken),
  };
}

/**
 * The session with its tokens, or undefined when they do not open: a record copied under another
 * id, altered, or written before tokens were sealed. Such an old record (clear `tokens`) is treated
 * as signed out rather than read: the person signs in once more, and the record expires by its TTL.
 */
export function openSession(sessionId: string, record: StoredSession | undefined): AuthenticatedSession | undefined {
  if (record === undefined) return undefined;
  const opened = open(tokensKey(sessionId), sessionStoreKey(sessionId), record.sealedTokens);
  if (opened === undefined) return undefined;
  const { sealedTokens: _sealed, sealedRefreshToken: _revocation, tokens: _legacy, ...rest } = record;
  return { ...rest, tokens: JSON.parse(opened) as StoredCognitoTokens };
}

/**
 * A session read without its browser (store key only): no access or ID token, and the refresh
 * token only for revoking it or asking Cognito whether it still stands. An old record's clear
 * refresh token is still revoked.
 */
export function endedSession(storeKey: string, record: StoredSession, cookieKeys: readonly string[]): EndedSession {
  const { sealedTokens: _sealed, sealedRefreshToken, tokens: legacy, ...rest } = record;
  let refreshToken: string | undefined;
  for (const cookieKey of cookieKeys) {
    refreshToken = open(revocationKey(cookieKey), storeKey, sealedRefreshToken);
    if (refreshToken !== undefined) break;
  }
  return { ...rest, refreshToken: refreshToken ?? legacy?.refreshToken };
}
