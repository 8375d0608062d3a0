import { createDiffieHellman, createHash, createHmac, getDiffieHellman, hkdfSync, randomBytes, type DiffieHellman } from "node:crypto";

/**
 * The client half of Cognito's SRP, for the password step inside CUSTOM_AUTH
 * (docs/architecture.md, "Password step"): InitiateAuth sends SRP_A; Cognito answers
 * PASSWORD_VERIFIER with SALT, SRP_B, SECRET_BLOCK and USER_ID_FOR_SRP; the BFF proves the
 * password with PASSWORD_CLAIM_SIGNATURE over TIMESTAMP. The password never leaves the BFF.
 *
 * No SRP package is installed in this project; `cognito-srp-helper` (npm) is the maintained one a
 * later change could swap in. This module follows Cognito's published construction (SRP-6a over
 * the RFC 3526 3072-bit group, g = 2, SHA-256, HKDF info "Caldera Derived Key") and is written
 * independently of the emulator's server half (emulator/srp.ts), so the tests check one against
 * the other.
 */

const primeBytes = getDiffieHellman("modp15").getPrime();
const N = BigInt(`0x${primeBytes.toString("hex")}`);
const G = 2n;

function hex(value: bigint): string {
  const text = value.toString(16);
  return text.length % 2 === 0 ? text : `0${text}`;
}

/** Cognito's padding: a leading 00 keeps a value whose first byte is ≥ 0x80 positive. */
function padded(value: bigint): string {
  const text = hex(value);
  return /^[89a-f]/.test(text) ? `00${text}` : text;
}

function sha256Hex(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Square-and-multiply in BigInt: for the few bases OpenSSL refuses (below). */
function bigIntPower(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let square = base;
  for (let rest = exponent; rest > 0n; rest >>= 1n) {
    if ((rest & 1n) === 1n) result = (result * square) % N;
    square = (square * square) % N;
  }
  return result;
}

let openSsl: DiffieHellman | undefined;

/**
 * base^exponent mod N. OpenSSL's Diffie-Hellman does it natively, several times faster than BigInt
 * (three 3072-bit exponentiations per sign-in): with the exponent as the private key,
 * computeSecret(base) is base^exponent mod N. With generator 2 the group is RFC 3526's 3072-bit
 * one, which OpenSSL knows by name, so creating it skips the primality checks a custom prime gets
 * (seconds). OpenSSL refuses 0, 1 and N − 1 as a peer's key; those take the BigInt path.
 */
export function modPowN(base: bigint, exponent: bigint): bigint {
  const reduced = base % N;
  if (reduced <= 1n || reduced >= N - 1n) return bigIntPower(reduced, exponent);
  openSsl ??= createDiffieHellman(primeBytes, Number(G));
  openSsl.setPrivateKey(Buffer.from(hex(exponent), "hex"));
  return BigInt(`0x${openSsl.computeSecret(Buffer.from(hex(reduced), "hex")).toString("hex")}`);
}

const MULTIPLIER = BigInt(`0x${sha256Hex(Buffer.from(padded(N) + padded(G), "hex"))}`);

/** One handshake's secret `a` and public SRP_A (hex). */
export interface SrpClientHandshake {
  readonly srpA: string;
  readonly secret: bigint;
}

export function startSrpHandshake(): SrpClientHandshake {
  for (;;) {
    // 256 random bits: twice the group's 128-bit security strength (NIST SP 800-56A).
    const secret = BigInt(`0x${randomBytes(32).toString("hex")}`);
    const A = modPowN(G, secret);
    // Stryker disable next-line ConditionalExpression,ArithmeticOperator: 2^a mod N is never 0 for a prime N, so the loop always returns at once
    if (A % N !== 0n) return { srpA: hex(A), secret };
  }
}

/** ChallengeParameters of Cognito's PASSWORD_VERIFIER challenge. */
export interface PasswordVerifierParameters {
  SALT: string;
  SRP_B: string;
  SECRET_BLOCK: string;
  USER_ID_FOR_SRP: string;
}

/** The ChallengeResponses that prove the password (besides USERNAME and SECRET_HASH). */
export interface PasswordClaimResponses {
  PASSWORD_CLAIM_SIGNATURE: string;
  PASSWORD_CLAIM_SECRET_BLOCK: string;
  TIMESTAMP: string;
}

const DAY_NAMES = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

/** "ddd MMM D HH:mm:ss UTC YYYY", the TIMESTAMP Cognito expects (day of month without padding). */
export function srpTimestamp(at: Date): string {
  const time = [at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds()].map((n) => String(n).padStart(2, "0")).join(":");
  return `${DAY_NAMES[at.getUTCDay()]} ${MONTH_NAMES[at.getUTCMonth()]} ${at.getUTCDate()} ${time} UTC ${at.getUTCFullYear()}`;
}

/** Thrown when Cognito's SRP_B or the derived u is unusable; the caller treats it as a failed step. */
export class SrpProtocolError extends Error {}

export function passwordClaim(input: {
  handshake: SrpClientHandshake;
  userPoolId: string;
  password: string;
  parameters: PasswordVerifierParameters;
  at: Date;
}): PasswordClaimResponses {
  const { handshake, password, parameters } = input;
  const poolName = input.userPoolId.split("_")[1] ?? "";
  // Stryker disable next-line StringLiteral: the gateway answers every SrpProtocolError alike and never reads its message
  if (!/^[0-9a-fA-F]+$/.test(parameters.SRP_B) || !/^[0-9a-fA-F]+$/.test(parameters.SALT)) throw new SrpProtocolError("malformed SRP parameters");
  const B = BigInt(`0x${parameters.SRP_B}`);
  // Stryker disable next-line StringLiteral: the gateway answers every SrpProtocolError alike and never reads its message
  if (B % N === 0n) throw new SrpProtocolError("SRP_B is zero modulo N");
  const A = BigInt(`0x${handshake.srpA}`);
  const u = BigInt(`0x${sha256Hex(Buffer.from(padded(A) + padded(B), "hex"))}`);
  // Stryker disable next-line ConditionalExpression,StringLiteral: u is a SHA-256 digest (zero with probability 2^-256), and the message is never read
  if (u === 0n) throw new SrpProtocolError("u is zero");

  const identityHash = sha256Hex(`${poolName}${parameters.USER_ID_FOR_SRP}:${password}`);
  const x = BigInt(`0x${sha256Hex(Buffer.from(padded(BigInt(`0x${parameters.SALT}`)) + identityHash, "hex"))}`);
  const base = (((B - ((MULTIPLIER * modPowN(G, x)) % N)) % N) + N) % N;
  const S = modPowN(base, handshake.secret + u * x);
  const key = Buffer.from(hkdfSync("sha256", Buffer.from(padded(S), "hex"), Buffer.from(padded(u), "hex"), "Caldera Derived Key", 16));

  const timestamp = srpTimestamp(input.at);
  const message = Buffer.concat([
    // Stryker disable next-line StringLiteral: Buffer.from with an empty encoding name reads the string as UTF-8 too
    Buffer.from(poolName, "utf8"),
    // Stryker disable next-line StringLiteral: Buffer.from with an empty encoding name reads the string as UTF-8 too
    Buffer.from(parameters.USER_ID_FOR_SRP, "utf8"),
    Buffer.from(parameters.SECRET_BLOCK, "base64"),
    // Stryker disable next-line StringLiteral: Buffer.from with an empty encoding name reads the string as UTF-8 too
    Buffer.from(timestamp, "utf8"),
  ]);
  return {
    PASSWORD_CLAIM_SIGNATURE: createHmac("sha256", key).update(message).digest("base64"),
    PASSWORD_CLAIM_SECRET_BLOCK: parameters.SECRET_BLOCK,
    TIMESTAMP: timestamp,
  };
}
