import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import type { DefineAuthChallengeTriggerEvent } from "aws-lambda";

/**
 * The custom-auth protocol the BFF speaks. Every round is a CUSTOM_CHALLENGE; Create names the
 * round's step in `challengeMetadata`, which Cognito echoes in each later session entry.
 * Round 1 (PROVIDE_AUTH_PARAMETERS) exists because Cognito hands ClientMetadata to the
 * challenge triggers only from RespondToAuthChallenge, never from InitiateAuth
 * (AWS API reference, InitiateAuth.ClientMetadata), so the method is chosen in its answer.
 */
export const Step = {
  provide: "PROVIDE_AUTH_PARAMETERS",
  otp: "OTP",
  passkey: "PASSKEY",
} as const;

export type SignInMethod = typeof Step.otp | typeof Step.passkey;

export const PROVIDE_ANSWER = "PROVIDE";
export const PASSKEY_ANSWER = "WEBAUTHN_SUCCESS";

export type SessionEntry = DefineAuthChallengeTriggerEvent["request"]["session"][number];

export function asSignInMethod(value: unknown): SignInMethod | undefined {
  return value === Step.otp || value === Step.passkey ? value : undefined;
}

/**
 * An OTP round's metadata carries what a retry needs to keep the same code — its expiry and a
 * keyed MAC of it, never the code — so a typo does not cost the user a new email:
 * `OTP:<expiresAt ms>:<mac>`. Cognito keeps session metadata server-side; the client never sees it.
 */
export type OtpRoundSeal = { expiresAt: number; codeMac: string };

export function otpRoundMetadata(seal: OtpRoundSeal): string {
  return `${Step.otp}:${seal.expiresAt}:${seal.codeMac}`;
}

export function parseOtpRoundMetadata(metadata: string | null | undefined): OtpRoundSeal | undefined {
  const match = /^OTP:(\d{1,16}):([A-Za-z0-9_-]{43})$/.exec(metadata ?? "");
  if (!match) return undefined;
  return { expiresAt: Number(match[1]), codeMac: match[2]! };
}

/** The step a completed round was: PROVIDE_AUTH_PARAMETERS, OTP (with its seal) or PASSKEY. */
export function roundStep(metadata: string | null | undefined): (typeof Step)[keyof typeof Step] | undefined {
  if (metadata === Step.provide || metadata === Step.passkey) return metadata;
  return parseOtpRoundMetadata(metadata) ? Step.otp : undefined;
}

/** A completed OTP or PASSKEY round (the PROVIDE round is never a try). */
export function isMethodRound(entry: SessionEntry): boolean {
  return entry.challengeName === "CUSTOM_CHALLENGE" && asSignInMethod(roundStep(entry.challengeMetadata)) !== undefined;
}

export function countFailedMethodRounds(session: readonly SessionEntry[]): number {
  return session.filter((entry) => isMethodRound(entry) && !entry.challengeResult).length;
}

/** A key for code MACs, derived from the shared trigger secret for this one purpose (RFC 5869 HKDF). */
export function otpMacKey(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "tobira", "tobira otp code mac v1", 32));
}

/** Binds a code to the user and its expiry, so a seal cannot be moved to another user or extended. */
export function otpCodeMac(key: Buffer, userName: string, expiresAt: number, code: string): string {
  return createHmac("sha256", key).update(`${userName}.${expiresAt}.${code}`).digest("base64url");
}

/** Constant-time comparison of two MACs or secrets (OWASP: compare secrets without timing leaks). */
export function sameSecret(presented: string, expected: string): boolean {
  const a = Buffer.from(presented, "utf8");
  const b = Buffer.from(expected, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}
