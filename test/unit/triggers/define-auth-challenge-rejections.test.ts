import type { DefineAuthChallengeTriggerEvent } from "aws-lambda";
import { ClientMetadataKey } from "../../../common/custom-auth-protocol";
import { createDefineAuthChallengeHandler, DEFAULT_OTP_MAX_RESENDS } from "../../../triggers/define-auth-challenge";
import { otpRoundMetadata } from "../../../triggers/round-metadata";
import { defineEvent, otpSeal, round } from "./events";

/**
 * The define trigger refuses every session shape its own Create trigger never produces
 * (docs/architecture.md, "Sign-in, step by step"): each case below is one rejection branch, and
 * a correct answer inside a malformed session must not turn into tokens.
 */

type Entry = DefineAuthChallengeTriggerEvent["request"]["session"][number];
const PASSWORD: Entry[] = [
  { challengeName: "SRP_A", challengeResult: true, challengeMetadata: undefined } as unknown as Entry,
  { challengeName: "PASSWORD_VERIFIER", challengeResult: true, challengeMetadata: undefined } as unknown as Entry,
];
const PROVIDE = round("PROVIDE_AUTH_PARAMETERS", true);
const OTP_CHOSEN = { [ClientMetadataKey.challengeMethod]: "OTP" };

const define = createDefineAuthChallengeHandler({ otpMaxAttempts: 3, otpMaxResends: 3 });

async function decision(handler: typeof define, session: Entry[], clientMetadata?: Record<string, string>) {
  const { response } = await handler(defineEvent({ session, ...(clientMetadata === undefined ? {} : { clientMetadata }) }));
  if (response.issueTokens) return "tokens";
  return response.failAuthentication ? "fail" : response.challengeName;
}

describe("define-auth-challenge refuses malformed sessions", () => {
  it("fails a correct answer in a round that is not a custom challenge, whatever metadata that round carries", async () => {
    const smuggled = { challengeName: "SMS_MFA", challengeResult: true, challengeMetadata: otpRoundMetadata(otpSeal()) } as unknown as Entry;
    expect(await decision(define, [...PASSWORD, PROVIDE, smuggled])).toBe("fail");
  });

  it("fails a PROVIDE round that was answered wrongly", async () => {
    expect(await decision(define, [...PASSWORD, round("PROVIDE_AUTH_PARAMETERS", false)], OTP_CHOSEN)).toBe("fail");
  });

  it("fails a PROVIDE round after the first round", async () => {
    expect(await decision(define, [...PASSWORD, PROVIDE, PROVIDE], OTP_CHOSEN)).toBe("fail");
  });

  it("fails a correct answer to a round whose step it does not know", async () => {
    expect(await decision(define, [...PASSWORD, PROVIDE, round("SOMETHING_ELSE", true, "SOMETHING_ELSE")])).toBe("fail");
  });

  it("fails a correct code when the first round was not PROVIDE", async () => {
    expect(await decision(define, [...PASSWORD, round("OTP", false), round("OTP", true)])).toBe("fail");
  });
});

describe("define-auth-challenge without a configured resend limit", () => {
  // Built inside each test: the default is read when the handler is created.
  const byDefault = () => createDefineAuthChallengeHandler({ otpMaxAttempts: 3 });
  const resent = round("OTP", false, otpRoundMetadata(otpSeal(), true));
  const afterResends = (count: number) => [...PASSWORD, PROVIDE, round("OTP", false), ...Array.from({ length: count - 1 }, () => resent)];
  const resendNow = { [ClientMetadataKey.codeResend]: "true" };

  it(`allows ${DEFAULT_OTP_MAX_RESENDS} resends`, async () => {
    expect(await decision(byDefault(), afterResends(DEFAULT_OTP_MAX_RESENDS), resendNow)).toBe("CUSTOM_CHALLENGE");
  });

  it("fails the resend after those", async () => {
    expect(await decision(byDefault(), afterResends(DEFAULT_OTP_MAX_RESENDS + 1), resendNow)).toBe("fail");
  });
});
