import { createHash, createHmac, getDiffieHellman, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * The server half of Cognito's SRP (SRP-6a, RFC 5054 style) as the PASSWORD_VERIFIER step of
 * USER_SRP_AUTH and of CUSTOM_AUTH with SRP_A uses it (docs/cognito-behaviour.md, "Password inside
 * the custom flow (SRP)"):
 *
 * - group: the 3072-bit MODP prime of RFC 3526 (group 15), g = 2; k = H(pad(N) | pad(g));
 * - x = H(pad(salt) | H(poolName | userIdForSrp | ":" | password)), verifier v = g^x;
 * - B = k·v + g^b, u = H(pad(A) | pad(B)), S = (A·v^u)^b;
 * - the key is HKDF-SHA256(ikm = pad(S), salt = pad(u), info = "Caldera Derived Key", 16 bytes);
 * - the client's claim is base64(HMAC-SHA256(key, poolName | userIdForSrp | secretBlock | timestamp)).
 *
 * H is SHA-256 over bytes; pad() is Cognito's hex padding (even length, and a leading 00 when the
 * first nibble is ≥ 8, so the value reads as positive). This file is independent of the BFF's
 * client half (bff/cognito/srp-client.ts) on purpose: each checks the other in the tests.
 */

export const SRP_PRIME = BigInt(`0x${getDiffieHellman("modp15").getPrime("hex")}`);
export const SRP_GENERATOR = 2n;
const HKDF_INFO = Buffer.from("Caldera Derived Key", "utf8");

function toHex(value: bigint): string {
  const hex = value.toString(16);
  return hex.length % 2 === 1 ? `0${hex}` : hex;
}

/** Cognito's padHex for a non-negative value. */
export function padHex(value: bigint): string {
  const hex = toHex(value);
  return "89abcdef".includes(hex[0]!) ? `00${hex}` : hex;
}

function hashHex(hex: string): string {
  return createHash("sha256").update(Buffer.from(hex, "hex")).digest("hex");
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

const K = BigInt(`0x${hashHex(padHex(SRP_PRIME) + padHex(SRP_GENERATOR))}`);

/** The random exponent of one handshake: 256 bits, twice the group's 128-bit strength (NIST SP 800-56A). */
function randomExponent(): bigint {
  return BigInt(`0x${randomBytes(32).toString("hex")}`);
}

/** The pool-name part of a user pool id (`us-east-1_AbC` → `AbC`), which Cognito mixes into x and the claim. */
export function srpPoolName(userPoolId: string): string {
  return userPoolId.slice(userPoolId.indexOf("_") + 1);
}

/** What the pool keeps per user for SRP: a random salt and the verifier, never the password. */
export interface SrpVerifier {
  /** Hex. */
  salt: string;
  /** Hex. */
  verifier: string;
}

export function createSrpVerifier(poolName: string, userIdForSrp: string, password: string): SrpVerifier {
  const salt = BigInt(`0x${randomBytes(16).toString("hex")}`);
  const identity = createHash("sha256").update(`${poolName}${userIdForSrp}:${password}`, "utf8").digest("hex");
  const x = BigInt(`0x${hashHex(padHex(salt) + identity)}`);
  return { salt: toHex(salt), verifier: toHex(modPow(SRP_GENERATOR, x, SRP_PRIME)) };
}

/** A valid client public value: hex, and A mod N ≠ 0 (RFC 5054 §2.5.4). */
export function parseSrpA(hex: string): bigint | undefined {
  if (!/^[0-9a-fA-F]{1,1600}$/.test(hex)) return undefined;
  const a = BigInt(`0x${hex}`);
  return a % SRP_PRIME === 0n ? undefined : a;
}

/** The server's half of one handshake: b stays in the pool's session, B goes to the client. */
export interface SrpServerHandshake {
  /** Hex. */
  b: string;
  /** Hex. */
  B: string;
}

export function startSrpHandshake(verifier: SrpVerifier): SrpServerHandshake {
  const v = BigInt(`0x${verifier.verifier}`);
  for (;;) {
    const b = randomExponent();
    const B = (K * v + modPow(SRP_GENERATOR, b, SRP_PRIME)) % SRP_PRIME;
    if (B !== 0n) return { b: toHex(b), B: toHex(B) };
  }
}

/** The 16-byte key both sides derive; undefined when u = 0 (the handshake must be refused). */
function serverKey(A: bigint, handshake: SrpServerHandshake, verifier: SrpVerifier): Buffer | undefined {
  const B = BigInt(`0x${handshake.B}`);
  const u = BigInt(`0x${hashHex(padHex(A) + padHex(B))}`);
  if (u === 0n) return undefined;
  const v = BigInt(`0x${verifier.verifier}`);
  const S = modPow((A * modPow(v, u, SRP_PRIME)) % SRP_PRIME, BigInt(`0x${handshake.b}`), SRP_PRIME);
  return Buffer.from(hkdfSync("sha256", Buffer.from(padHex(S), "hex"), Buffer.from(padHex(u), "hex"), HKDF_INFO, 16));
}

export interface PasswordClaim {
  poolName: string;
  userIdForSrp: string;
  /** Base64, as sent in SECRET_BLOCK. */
  secretBlock: string;
  timestamp: string;
  /** Base64 PASSWORD_CLAIM_SIGNATURE. */
  signature: string;
}

/** Whether the claim proves the password behind `verifier` in this handshake (constant-time compare). */
export function verifyPasswordClaim(A: bigint, handshake: SrpServerHandshake, verifier: SrpVerifier, claim: PasswordClaim): boolean {
  const key = serverKey(A, handshake, verifier);
  if (key === undefined) return false;
  const expected = createHmac("sha256", key)
    .update(
      Buffer.concat([
        Buffer.from(claim.poolName, "utf8"),
        Buffer.from(claim.userIdForSrp, "utf8"),
        Buffer.from(claim.secretBlock, "base64"),
        Buffer.from(claim.timestamp, "utf8"),
      ]),
    )
    .digest();
  const presented = Buffer.from(claim.signature, "base64");
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const TIMESTAMP_PATTERN = /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([1-9]|[12]\d|3[01]) (\d{2}):(\d{2}):(\d{2}) UTC (\d{4})$/;

/** Cognito's TIMESTAMP format, "ddd MMM D HH:mm:ss UTC YYYY" (day of month unpadded). */
export function formatSrpTimestamp(epochMs: number): string {
  const d = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** Epoch ms of a TIMESTAMP in Cognito's format, or undefined when it is not one (weekday included). */
export function parseSrpTimestamp(timestamp: string): number | undefined {
  const match = TIMESTAMP_PATTERN.exec(timestamp);
  if (!match) return undefined;
  const [, day, month, date, hh, mm, ss, year] = match;
  const epochMs = Date.UTC(Number(year), MONTHS.indexOf(month!), Number(date), Number(hh), Number(mm), Number(ss));
  const parsed = new Date(epochMs);
  if (parsed.getUTCDate() !== Number(date) || DAYS[parsed.getUTCDay()] !== day) return undefined;
  return epochMs;
}
