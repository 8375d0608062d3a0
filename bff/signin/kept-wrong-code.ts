import { createHash } from "node:crypto";
import { ApiError } from "../errors";
import type { PendingSignIn } from "../session/session-records";

/**
 * The last wrong code of a sign-in, kept in its pending sign-in (written by the same update that
 * counts it): the same code sent again on the round that followed is answered wrong again without
 * reaching Cognito or spending a guess (bff/throttle/code-answer-guard.ts), at no extra store
 * round-trip since every code request reads the pending sign-in anyway. Kept as digests only.
 */

export const digest = (...parts: string[]) => createHash("sha256").update(parts.join("\n")).digest("base64url");

/** A round by its Cognito Session (single-use, so it names the round). */
export const roundIdOf = (cognitoSession: string) => digest(cognitoSession);
/** A code as answered on a round. */
export const codeDigestOf = (roundId: string, code: string) => digest(roundId, code);

interface KeptWrongCode {
  round: string;
  codeDigest: string;
  attemptsLeft: number;
}

type WithWrongCode = PendingSignIn & { lastWrongCode?: KeptWrongCode };

export function codeMismatch(attemptsLeft: number): ApiError {
  return new ApiError(400, "code_mismatch", "That code is not right. Check it and try again.", { extra: { attemptsLeft } });
}

/** The fields that keep `code` as wrong on the round waiting in `cognitoSession`. */
export function keepWrongCode(cognitoSession: string, code: string, attemptsLeft: number): { lastWrongCode: KeptWrongCode } {
  const round = roundIdOf(cognitoSession);
  return { lastWrongCode: { round, codeDigest: codeDigestOf(round, code), attemptsLeft } };
}

/** The answer the first time gave, when `code` is the wrong code kept for the round now waiting. */
export function keptWrongAnswer(pending: PendingSignIn, code: string): ApiError | undefined {
  const kept = (pending as WithWrongCode).lastWrongCode;
  const round = roundIdOf(pending.cognitoSession);
  if (kept === undefined || kept.round !== round || kept.codeDigest !== codeDigestOf(round, code)) return undefined;
  return codeMismatch(kept.attemptsLeft);
}
