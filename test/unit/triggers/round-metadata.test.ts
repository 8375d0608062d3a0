import type { DefineAuthChallengeTriggerEvent } from "aws-lambda";
import {
  countFailedMethodRounds,
  countTries,
  isMethodRound,
  isResentRound,
  otpRoundMetadata,
  parseOtpRoundMetadata,
  parseProvideRoundNonce,
  provideRoundMetadata,
  roundStep,
  sameSecret,
} from "../../../triggers/round-metadata";
import { otpSeal, round } from "./events";

/**
 * How the triggers read Cognito's session back: which rounds count as tries, which were opened
 * by a resend, and what each round's metadata says. Only CUSTOM_CHALLENGE rounds written by the
 * Create trigger count; anything else in the session is never a try or a resend.
 */

type Entry = DefineAuthChallengeTriggerEvent["request"]["session"][number];
const builtIn = (challengeName: string, challengeResult: boolean, challengeMetadata?: string) =>
  ({ challengeName, challengeResult, challengeMetadata }) as unknown as Entry;

const seal = otpSeal();
const otp = (result: boolean) => round("OTP", result, otpRoundMetadata(seal));
const resent = (result: boolean) => round("OTP", result, otpRoundMetadata(seal, true));
const passkey = (result: boolean) => round("PASSKEY", result, "PASSKEY");
const provide = round("PROVIDE_AUTH_PARAMETERS", true, provideRoundMetadata("attempt-nonce-0123456789ab"));

describe("round metadata", () => {
  it("tells a round opened by a resend from one opened by a wrong code", () => {
    expect(isResentRound(resent(false))).toBe(true);
    expect(isResentRound(otp(false))).toBe(false);
    expect(isResentRound(provide)).toBe(false);
    expect(isResentRound(round("OTP", false, undefined as unknown as string))).toBe(false);
  });

  it("never takes a round that is not a custom challenge for a resend or a try, whatever its metadata", () => {
    const smuggled = builtIn("SMS_MFA", false, otpRoundMetadata(seal, true));
    expect(isResentRound(smuggled)).toBe(false);
    expect(isMethodRound(smuggled)).toBe(false);
    expect(countFailedMethodRounds([smuggled, builtIn("SRP_A", false), builtIn("PASSWORD_VERIFIER", false)])).toBe(0);
  });

  it("counts failed OTP and PASSKEY rounds as tries, not the PROVIDE round, correct answers or unknown steps", () => {
    expect(isMethodRound(otp(true))).toBe(true);
    expect(isMethodRound(passkey(false))).toBe(true);
    expect(isMethodRound(provide)).toBe(false);
    expect(isMethodRound(round("SOMETHING", false, "SOMETHING"))).toBe(false);
    expect(countFailedMethodRounds([provide, otp(false), otp(true), passkey(false), round("SOMETHING", false, "SOMETHING")])).toBe(2);
  });

  it("counts resends apart from wrong answers", () => {
    const session = [provide, otp(false), resent(false), resent(false)];
    expect(countTries(session, false)).toEqual({ resends: 2, wrongAnswers: 1 });
    expect(countTries(session, true)).toEqual({ resends: 3, wrongAnswers: 0 });
  });

  it("reads an OTP round's seal back, and nothing from anything else", () => {
    expect(parseOtpRoundMetadata(otpRoundMetadata(seal))).toEqual(seal);
    expect(parseOtpRoundMetadata(otpRoundMetadata(seal, true))).toEqual(seal);
    for (const other of [undefined, null, "", "OTP", "PASSKEY", `${otpRoundMetadata(seal)}:extra`]) expect(parseOtpRoundMetadata(other)).toBeUndefined();
  });

  it("reads the attempt nonce of a PROVIDE round, and none from the bare form or anything else", () => {
    expect(parseProvideRoundNonce(provideRoundMetadata("attempt-nonce-0123456789ab"))).toBe("attempt-nonce-0123456789ab");
    for (const other of [undefined, null, "", "PROVIDE_AUTH_PARAMETERS", "PASSKEY", "PROVIDE_AUTH_PARAMETERS:short"])
      expect(parseProvideRoundNonce(other)).toBeUndefined();
  });

  it("names each round's step from its metadata", () => {
    expect(roundStep("PASSKEY")).toBe("PASSKEY");
    expect(roundStep("PROVIDE_AUTH_PARAMETERS")).toBe("PROVIDE_AUTH_PARAMETERS");
    expect(roundStep(provideRoundMetadata("attempt-nonce-0123456789ab"))).toBe("PROVIDE_AUTH_PARAMETERS");
    expect(roundStep(otpRoundMetadata(seal))).toBe("OTP");
    for (const other of [undefined, null, "", "OTP", "SOMETHING"]) expect(roundStep(other)).toBeUndefined();
  });
});

describe("sameSecret", () => {
  it("answers false, without throwing, for secrets of different lengths", () => {
    expect(sameSecret("abc", "abcd")).toBe(false);
    expect(sameSecret("", "x")).toBe(false);
  });

  it("answers true only for the same secret", () => {
    expect(sameSecret("mac-value", "mac-value")).toBe(true);
    expect(sameSecret("mac-value", "mac-valuf")).toBe(false);
  });
});
