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

/** A completed OTP or PASSKEY round (the PROVIDE round is never a try). */
export function isMethodRound(entry: SessionEntry): boolean {
  return entry.challengeName === "CUSTOM_CHALLENGE" && asSignInMethod(entry.challengeMetadata) !== undefined;
}

export function countFailedMethodRounds(session: readonly SessionEntry[]): number {
  return session.filter((entry) => isMethodRound(entry) && !entry.challengeResult).length;
}
