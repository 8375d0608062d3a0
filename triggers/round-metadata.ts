import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import type { DefineAuthChallengeTriggerEvent } from "aws-lambda";
import { ChallengeStep, asChallengeMethod } from "../common/custom-auth-protocol";

/**
 * What the triggers leave in a round's `challengeMetadata` and read back from Cognito's session
 * (common/custom-auth-protocol.ts has the protocol itself). Cognito keeps session metadata
 * server-side; neither the BFF nor the client ever sees it.
 */

export type SessionEntry = DefineAuthChallengeTriggerEvent["request"]["session"][number];

/**
 * An OTP round's metadata carries what a retry needs to keep the same code — its expiry and a
 * keyed MAC of it, never the code — so a typo does not cost the user a new email:
 * `<ChallengeStep.otp>:<expiresAt ms>:<mac>`.
 */
export type OtpRoundSeal = { expiresAt: number; codeMac: string };

export function otpRoundMetadata(seal: OtpRoundSeal, openedByResend = false): string {
  // A round opened by a resend says so (`:resent`), so the triggers can tell resends from wrong codes.
  return `${ChallengeStep.otp}:${seal.expiresAt}:${seal.codeMac}${openedByResend ? RESENT_SUFFIX : ""}`;
}

/** A round's metadata as text to match: none reads as the empty string, which no round pattern matches. */
function metadataText(metadata: string | null | undefined): string {
  // Stryker disable next-line StringLiteral: equivalent, any text no round pattern matches gives the same answers as "" (every pattern is anchored at both ends).
  return metadata ?? "";
}

const RESENT_SUFFIX = ":resent";
const otpRoundMetadataPattern = new RegExp(`^${ChallengeStep.otp}:(\\d{1,16}):([A-Za-z0-9_-]{43})(${RESENT_SUFFIX})?$`);

/** Whether an OTP round was opened by a resend (ChallengeAnswer.resend), not by a wrong code. */
export function isResentRound(entry: SessionEntry): boolean {
  return entry.challengeName === "CUSTOM_CHALLENGE" && otpRoundMetadataPattern.exec(metadataText(entry.challengeMetadata))?.[3] !== undefined;
}

/**
 * Resends and wrong answers of an attempt: every resend leaves one failed round (the one answered
 * with ChallengeAnswer.resend). `resendNow`: the answer being judged asked for a resend.
 */
export function countTries(session: readonly SessionEntry[], resendNow: boolean): { resends: number; wrongAnswers: number } {
  const resends = session.filter(isResentRound).length + (resendNow ? 1 : 0);
  return { resends, wrongAnswers: Math.max(0, countFailedMethodRounds(session) - resends) };
}

export function parseOtpRoundMetadata(metadata: string | null | undefined): OtpRoundSeal | undefined {
  const match = otpRoundMetadataPattern.exec(metadataText(metadata));
  if (!match) return undefined;
  return { expiresAt: Number(match[1]), codeMac: match[2]! };
}

/**
 * The PROVIDE round's metadata carries a random nonce naming this authentication attempt:
 * `<ChallengeStep.provide>:<nonce>`. Cognito repeats it in every later round's session, so a
 * retried CreateAuthChallenge can tell "the same round again" from "a new sign-in".
 */
export function provideRoundMetadata(attemptNonce: string): string {
  return `${ChallengeStep.provide}:${attemptNonce}`;
}

const provideRoundMetadataPattern = new RegExp(`^${ChallengeStep.provide}(?::([A-Za-z0-9_-]{22,64}))?$`);

/** The attempt nonce of a PROVIDE round's metadata (undefined for the bare, older form). */
export function parseProvideRoundNonce(metadata: string | null | undefined): string | undefined {
  return provideRoundMetadataPattern.exec(metadataText(metadata))?.[1];
}

/** The step a completed round was: ChallengeStep.provide, .otp (with its seal), .passkey or .signUp. */
export function roundStep(metadata: string | null | undefined): ChallengeStep | undefined {
  if (metadata === ChallengeStep.passkey || metadata === ChallengeStep.signUp) return metadata;
  if (provideRoundMetadataPattern.test(metadataText(metadata))) return ChallengeStep.provide;
  return parseOtpRoundMetadata(metadata) ? ChallengeStep.otp : undefined;
}

/**
 * The CUSTOM_CHALLENGE rounds of a session, without the SRP_A / PASSWORD_VERIFIER entries of the
 * password step Cognito runs itself (docs/architecture.md, "Password step").
 */
export function customRounds(session: readonly SessionEntry[]): SessionEntry[] {
  return session.filter((entry) => entry.challengeName === "CUSTOM_CHALLENGE");
}

/** A completed OTP or PASSKEY round (the PROVIDE round is never a try). */
export function isMethodRound(entry: SessionEntry): boolean {
  return entry.challengeName === "CUSTOM_CHALLENGE" && asChallengeMethod(roundStep(entry.challengeMetadata)) !== undefined;
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
  // Stryker disable next-line StringLiteral: equivalent, Node's Buffer.from reads an empty encoding name as utf8.
  const a = Buffer.from(presented, "utf8");
  // Stryker disable next-line StringLiteral: equivalent, Node's Buffer.from reads an empty encoding name as utf8.
  const b = Buffer.from(expected, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}
