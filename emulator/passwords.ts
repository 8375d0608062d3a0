import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";
import type { PasswordPolicy } from "../common/local-config";
import { InvalidPasswordException } from "./errors";

/**
 * Password storage with scrypt (OWASP Password Storage Cheat Sheet). The parameters travel with
 * each hash ("scrypt$N$r$p$salt$key"), so they can be raised without invalidating stored users.
 * N = 2^14 keeps a local emulator and its tests quick; the cheat sheet's floor for a production
 * store is N = 2^17, which this stand-in is not.
 */
const PARAMS = { N: 2 ** 14, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFKC"), salt, length, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS, KEY_LENGTH);
  return ["scrypt", PARAMS.N, PARAMS.r, PARAMS.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split("$");
  if (scheme !== "scrypt" || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, "base64url");
  const actual = await derive(password, Buffer.from(salt, "base64url"), { N: Number(n), r: Number(r), p: Number(p) }, expected.length);
  return timingSafeEqual(actual, expected);
}

/** A hash of nothing anyone knows: verifying against it costs the same as a real check. */
let decoy: Promise<string> | undefined;

/**
 * Spends the time of a password check for a user who does not exist, so response time does not
 * tell unknown users apart (OWASP Authentication Cheat Sheet: authentication responses).
 */
export async function verifyDecoyPassword(password: string): Promise<void> {
  decoy ??= hashPassword(randomBytes(16).toString("hex"));
  await verifyPassword(password, await decoy);
}

/** Cognito's allowed symbols (AWS DG, "Adding user pool password requirements"). */
const SYMBOLS = new Set("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ");

/** Checks the pool's password policy in Cognito's order, with Cognito's messages. */
export function assertPasswordPolicy(policy: PasswordPolicy, password: string): void {
  const fail = (reason: string): never => {
    throw new InvalidPasswordException(`Password did not conform with policy: ${reason}`);
  };
  if ([...password].length < policy.minimumLength) fail("Password not long enough");
  if (policy.requireLowercase && !/[a-z]/.test(password)) fail("Password must have lowercase characters");
  if (policy.requireUppercase && !/[A-Z]/.test(password)) fail("Password must have uppercase characters");
  if (policy.requireNumbers && !/[0-9]/.test(password)) fail("Password must have numeric characters");
  if (policy.requireSymbols && ![...password].some((char) => SYMBOLS.has(char))) fail("Password must have symbol characters");
}
