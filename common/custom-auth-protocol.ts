import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

/**
 * The custom-auth protocol between the BFF and the Cognito triggers, spelled once: both sides
 * import it. Every round is a CUSTOM_CHALLENGE whose public and private challenge parameters
 * carry `step`; Create also records the step in the round's `challengeMetadata`, which Cognito
 * echoes in every later session entry.
 *
 *  1. InitiateAuth CUSTOM_AUTH → the `ChallengeStep.provide` round. It exists because Cognito hands
 *     ClientMetadata to the challenge triggers only from RespondToAuthChallenge, never from
 *     InitiateAuth (AWS API reference, InitiateAuth.ClientMetadata), so the method is chosen in
 *     its answer: `ChallengeAnswer.provide` with `ClientMetadataKey.challengeMethod` set to a
 *     `ChallengeMethod`.
 *  2. A `ChallengeStep.otp` round (a code was sent; the answer is the code) or a
 *     `ChallengeStep.passkey` round (a fresh nonce; the answer is `ChallengeAnswer.passkey` with
 *     the passkey proof under `ClientMetadataKey.passkeyProof`). A wrong answer brings another
 *     round of the same method, until the triggers' attempt limit ends the flow.
 *  3. Right after sign-up only: a `ChallengeStep.signUp` round (a fresh nonce; the answer is
 *     `ChallengeAnswer.signUp` with the sign-up proof under `ClientMetadataKey.signUpProof`),
 *     offered only after Cognito has checked the password (PASSWORD_VERIFIER). It stands in for the
 *     emailed code, which ConfirmSignUp has just checked (docs/architecture.md, "Signing in at sign-up").
 */

/** The `step` of a round: in its challenge parameters and in its challengeMetadata. */
export const ChallengeStep = {
  provide: "PROVIDE_AUTH_PARAMETERS",
  otp: "OTP",
  passkey: "PASSKEY",
  signUp: "SIGN_UP_CONFIRMED",
} as const;
export type ChallengeStep = (typeof ChallengeStep)[keyof typeof ChallengeStep];

/**
 * The method the answer to the PROVIDE round chooses, and so the step of every later round.
 * Not the same as the JSON API's `SignInMethod` (the second steps offered to the user).
 */
export type ChallengeMethod = typeof ChallengeStep.otp | typeof ChallengeStep.passkey | typeof ChallengeStep.signUp;

export function asChallengeMethod(value: unknown): ChallengeMethod | undefined {
  return value === ChallengeStep.otp || value === ChallengeStep.passkey || value === ChallengeStep.signUp ? value : undefined;
}

/** The fixed answers (ChallengeResponses.ANSWER); an OTP round is answered with the code itself. */
export const ChallengeAnswer = {
  /** Answers the PROVIDE round; the method travels in ClientMetadata. */
  provide: "PROVIDE",
  /** Answers a PASSKEY round: only a claim, believed when the passkey proof matches. */
  passkey: "WEBAUTHN_SUCCESS",
  /**
   * Answers an OTP round to ask for a fresh code (with `ClientMetadataKey.codeResend`). The
   * password step cannot be repeated without the password, so a new code comes from a new
   * round of the same attempt; the answer is never correct, and counts as a try.
   */
  resend: "RESEND",
  /** Answers a SIGN_UP_CONFIRMED round: only a claim, believed when the sign-up proof matches. */
  signUp: "SIGN_UP_CONFIRMED",
} as const;

/** The ClientMetadata keys of RespondToAuthChallenge the triggers read. */
export const ClientMetadataKey = {
  /** With the PROVIDE answer: a `ChallengeMethod`. */
  challengeMethod: "signInMethod",
  /** With the PASSKEY answer: the passkey proof (below). */
  passkeyProof: "passkeyProof",
  /** With `ChallengeAnswer.resend`: "true" asks Create for a fresh code in the next round. */
  codeResend: "codeResend",
  /** With the SIGN_UP_CONFIRMED answer: the sign-up proof (below). */
  signUpProof: "signUpProof",
} as const;

/** The public challenge parameters (what the BFF reads) each step's round carries besides USERNAME. */
export type ProvideRoundParameters = { step: typeof ChallengeStep.provide };
/** `destination` is masked like Cognito's CodeDeliveryDetails; `attemptsLeft` counts wrong answers still allowed. */
export type OtpRoundParameters = { step: typeof ChallengeStep.otp; destination: string; attemptsLeft: string };
/** `nonce`: fresh per round, so a proof for one round is useless in any other. */
export type PasskeyRoundParameters = { step: typeof ChallengeStep.passkey; nonce: string };
/** `nonce`: fresh per round, as for a passkey round. */
export type SignUpRoundParameters = { step: typeof ChallengeStep.signUp; nonce: string };

/**
 * The passkey proof: the BFF's word to the verify trigger that it verified a passkey assertion
 * for this user in this round: base64url(HMAC-SHA256(secret, `${userName}.${nonce}`)).
 * `userName` is Cognito's internal username (ChallengeParameters.USERNAME), `nonce` the round's,
 * so a proof cannot be replayed for another user or another round.
 */
export function computePasskeyProof(secret: string, userName: string, nonce: string): string {
  return createHmac("sha256", secret).update(`${userName}.${nonce}`).digest("base64url");
}

/** Constant-time check of a presented proof (OWASP: compare secrets without timing leaks). */
export function isValidPasskeyProof(secret: string, userName: string, nonce: string, presented: unknown): boolean {
  if (typeof presented !== "string" || presented.length === 0) return false;
  const expected = Buffer.from(computePasskeyProof(secret, userName, nonce));
  const actual = Buffer.from(presented);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * The sign-up proof: the BFF's word to the verify trigger that Cognito has just accepted this
 * user's sign-up code (ConfirmSignUp) in the request that now signs them in. Keyed by its own
 * HKDF-derived key (RFC 5869), so a passkey proof is never a sign-up proof nor the other way
 * round, and bound to the user and the round's nonce like the passkey proof. The define trigger
 * offers the round only after PASSWORD_VERIFIER, so it never replaces the password.
 */
export function computeSignUpProof(secret: string, userName: string, nonce: string): string {
  const key = Buffer.from(hkdfSync("sha256", secret, "tobira", "tobira sign-up proof v1", 32));
  return createHmac("sha256", key).update(`${userName}.${nonce}`).digest("base64url");
}

/** Constant-time check of a presented sign-up proof. */
export function isValidSignUpProof(secret: string, userName: string, nonce: string, presented: unknown): boolean {
  if (typeof presented !== "string" || presented.length === 0) return false;
  const expected = Buffer.from(computeSignUpProof(secret, userName, nonce));
  const actual = Buffer.from(presented);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
