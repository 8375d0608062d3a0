import { createDefineAuthChallengeHandler, handler } from "../../../triggers/define-auth-challenge";
import { otpRoundMetadata, provideRoundMetadata } from "../../../triggers/round-metadata";
import { PROOF_SECRET, defineEvent, otpSeal, round } from "./events";

const define = createDefineAuthChallengeHandler({ otpMaxAttempts: 3, otpMaxResends: 0 });

function expectChallenge(event: Awaited<ReturnType<typeof define>>) {
  expect(event.response).toEqual({ challengeName: "CUSTOM_CHALLENGE", issueTokens: false, failAuthentication: false });
}
function expectFailure(event: Awaited<ReturnType<typeof define>>) {
  expect(event.response).toEqual({ issueTokens: false, failAuthentication: true });
}
function expectTokens(event: Awaited<ReturnType<typeof define>>) {
  expect(event.response).toEqual({ issueTokens: true, failAuthentication: false });
}

type Entry = ReturnType<typeof round>;
const srpA = (challengeResult = true) => ({ challengeName: "SRP_A", challengeResult, challengeMetadata: undefined }) as unknown as Entry;
const passwordVerifier = (challengeResult = true) => ({ challengeName: "PASSWORD_VERIFIER", challengeResult, challengeMetadata: undefined }) as unknown as Entry;
/** The password step Cognito ran itself by SRP, as the history's first two entries. */
const PASSWORD = [srpA(), passwordVerifier()];
const OTP_CHOSEN = { signInMethod: "OTP" };
const PASSKEY_CHOSEN = { signInMethod: "PASSKEY" };

describe("define-auth-challenge", () => {
  it("asks for a custom challenge when the session is empty", async () => {
    expectChallenge(await define(defineEvent()));
  });

  it("reads a PROVIDE round that names its attempt like the bare one: the method round follows, then tokens", async () => {
    const named = round("PROVIDE_AUTH_PARAMETERS", true, provideRoundMetadata("attempt-nonce-0123456789ab"));
    expectChallenge(await define(defineEvent({ session: [...PASSWORD, named], clientMetadata: OTP_CHOSEN })));
    expectTokens(await define(defineEvent({ session: [...PASSWORD, named, round("OTP", true)] })));
  });

  it("returns the event it was given, with the request untouched", async () => {
    const event = defineEvent({ session: [round("PROVIDE_AUTH_PARAMETERS", true)] });
    const request = structuredClone(event.request);
    const result = await define(event);
    expect(result).toBe(event);
    expect(result.request).toEqual(request);
  });

  it("asks Cognito for the password (PASSWORD_VERIFIER) when the attempt begins with SRP_A", async () => {
    const event = await define(defineEvent({ session: [srpA()] }));
    expect(event.response).toEqual({ challengeName: "PASSWORD_VERIFIER", issueTokens: false, failAuthentication: false });
  });

  it("fails when the SRP_A entry did not succeed", async () => {
    expectFailure(await define(defineEvent({ session: [srpA(false)] })));
  });

  it("asks for the PROVIDE round once the password is proven", async () => {
    expectChallenge(await define(defineEvent({ session: PASSWORD })));
  });

  it("fails after a failed PASSWORD_VERIFIER", async () => {
    expectFailure(await define(defineEvent({ session: [srpA(), passwordVerifier(false)] })));
  });

  it("fails when SRP_A is not followed by PASSWORD_VERIFIER", async () => {
    expectFailure(await define(defineEvent({ session: [srpA(), round("PROVIDE_AUTH_PARAMETERS", true)] })));
  });

  it("fails when an SRP or password entry appears anywhere but the start", async () => {
    expectFailure(await define(defineEvent({ session: [round("PROVIDE_AUTH_PARAMETERS", true), srpA()] })));
    expectFailure(await define(defineEvent({ session: [passwordVerifier()] })));
    expectFailure(await define(defineEvent({ session: [...PASSWORD, round("PROVIDE_AUTH_PARAMETERS", true), passwordVerifier()] })));
  });

  it("never issues tokens for the password alone", async () => {
    for (const session of [PASSWORD, [...PASSWORD, round("PROVIDE_AUTH_PARAMETERS", true)]]) {
      const event = await define(defineEvent({ session, clientMetadata: OTP_CHOSEN }));
      expect(event.response.issueTokens).toBe(false);
    }
  });

  it("without the password, refuses to send a code: a PROVIDE round choosing OTP fails", async () => {
    expectFailure(await define(defineEvent({ session: [round("PROVIDE_AUTH_PARAMETERS", true)], clientMetadata: OTP_CHOSEN })));
  });

  it("without the password, fails a PROVIDE round that names no method", async () => {
    expectFailure(await define(defineEvent({ session: [round("PROVIDE_AUTH_PARAMETERS", true)] })));
  });

  it("without the password, never issues tokens for a correct code", async () => {
    expectFailure(await define(defineEvent({ session: [round("PROVIDE_AUTH_PARAMETERS", true), round("OTP", true)] })));
  });

  it("passkey first: asks for the passkey round, then issues tokens for a correct passkey alone", async () => {
    expectChallenge(await define(defineEvent({ session: [round("PROVIDE_AUTH_PARAMETERS", true)], clientMetadata: PASSKEY_CHOSEN })));
    expectTokens(await define(defineEvent({ session: [round("PROVIDE_AUTH_PARAMETERS", true), round("PASSKEY", true)] })));
  });

  it("passkey first: fails when a code round was slipped in before the passkey", async () => {
    expectFailure(await define(defineEvent({ session: [round("PROVIDE_AUTH_PARAMETERS", true), round("OTP", false), round("PASSKEY", true)] })));
  });

  it("password then passkey: issues tokens for a correct passkey", async () => {
    expectTokens(await define(defineEvent({ session: [...PASSWORD, round("PROVIDE_AUTH_PARAMETERS", true), round("PASSKEY", true)] })));
  });

  it("fails for a user Cognito did not find (PreventUserExistenceErrors)", async () => {
    expectFailure(await define(defineEvent({ userNotFound: true })));
  });

  it("asks for the method round after a successful PROVIDE round", async () => {
    expectChallenge(await define(defineEvent({ session: [...PASSWORD, round("PROVIDE_AUTH_PARAMETERS", true)], clientMetadata: OTP_CHOSEN })));
  });

  it("fails after a failed PROVIDE round", async () => {
    expectFailure(await define(defineEvent({ session: [round("PROVIDE_AUTH_PARAMETERS", false)] })));
  });

  it("fails when a PROVIDE round appears after the first round", async () => {
    expectFailure(await define(defineEvent({ session: [round("PROVIDE_AUTH_PARAMETERS", true), round("PROVIDE_AUTH_PARAMETERS", true)] })));
  });

  it("fails when a method round was not preceded by a PROVIDE round", async () => {
    expectFailure(await define(defineEvent({ session: [round("OTP", true)] })));
  });

  it("fails when the last round has unknown or missing metadata", async () => {
    expectFailure(await define(defineEvent({ session: [round("PROVIDE_AUTH_PARAMETERS", true), round("TOTP", true)] })));
    expectFailure(await define(defineEvent({ session: [round("PROVIDE_AUTH_PARAMETERS", true), round(null, true)] })));
  });

  it("issues tokens after the password and a correct OTP answer", async () => {
    expectTokens(await define(defineEvent({ session: [...PASSWORD, round("PROVIDE_AUTH_PARAMETERS", true), round("OTP", true)] })));
  });

  it("issues tokens after a correct passkey answer, also after earlier wrong ones", async () => {
    const event = await define(defineEvent({ session: [round("PROVIDE_AUTH_PARAMETERS", true), round("PASSKEY", false), round("PASSKEY", true)] }));
    expect(event.response).toEqual({ issueTokens: true, failAuthentication: false });
  });

  it("asks for another round after a wrong answer while tries remain", async () => {
    expectChallenge(await define(defineEvent({ session: [...PASSWORD, round("PROVIDE_AUTH_PARAMETERS", true), round("OTP", false)] })));
    expectChallenge(await define(defineEvent({ session: [...PASSWORD, round("PROVIDE_AUTH_PARAMETERS", true), round("OTP", false), round("OTP", false)] })));
  });

  it("fails after otpMaxAttempts wrong answers", async () => {
    expectFailure(
      await define(
        defineEvent({
          session: [...PASSWORD, round("PROVIDE_AUTH_PARAMETERS", true), round("OTP", false), round("OTP", false), round("OTP", false)],
        }),
      ),
    );
  });

  it("honours a configured otpMaxAttempts", async () => {
    const strict = createDefineAuthChallengeHandler({ otpMaxAttempts: 1, otpMaxResends: 0 });
    expectFailure(await strict(defineEvent({ session: [round("PROVIDE_AUTH_PARAMETERS", true), round("PASSKEY", false)] })));
  });

  it("fails when the session has more rounds than the flow allows, even ending in success", async () => {
    const session = [...PASSWORD, round("PROVIDE_AUTH_PARAMETERS", true), round("OTP", false), round("OTP", false), round("OTP", false), round("OTP", true)];
    expectFailure(await define(defineEvent({ session })));
  });

  it("the Lambda handler reads its configuration from the environment on first use", async () => {
    vi.stubEnv("PASSKEY_PROOF_SECRET", PROOF_SECRET);
    vi.stubEnv("CODE_DELIVERY", "emulator");
    try {
      const event = await handler(defineEvent(), {} as never, () => undefined);
      expect(event?.response.challengeName).toBe("CUSTOM_CHALLENGE");
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe("define-auth-challenge: resends", () => {
  const lenient = createDefineAuthChallengeHandler({ otpMaxAttempts: 1, otpMaxResends: 1 });
  const PASSWORD_STEP = [
    { challengeName: "SRP_A", challengeResult: true, challengeMetadata: undefined },
    { challengeName: "PASSWORD_VERIFIER", challengeResult: true, challengeMetadata: undefined },
  ] as unknown as ReturnType<typeof round>[];
  const resentRound = (result: boolean) => round("OTP", result, otpRoundMetadata(otpSeal(), true));
  const base = [...PASSWORD_STEP, round("PROVIDE_AUTH_PARAMETERS", true), round("OTP", false)];

  it("answers a resend with another round, without counting it as a wrong code", async () => {
    expectChallenge(await lenient(defineEvent({ session: base, clientMetadata: { codeResend: "true" } })));
  });

  it("counts a wrong code after a resend", async () => {
    expectFailure(await lenient(defineEvent({ session: [...base, resentRound(false)] })));
  });

  it("issues tokens for the right code after a resend", async () => {
    expectTokens(await lenient(defineEvent({ session: [...base, resentRound(true)] })));
  });

  it("fails a resend beyond otpMaxResends", async () => {
    expectFailure(await lenient(defineEvent({ session: [...base, resentRound(false)], clientMetadata: { codeResend: "true" } })));
  });
});
