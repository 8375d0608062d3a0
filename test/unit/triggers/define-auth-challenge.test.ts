import { createDefineAuthChallengeHandler, handler } from "../../../triggers/define-auth-challenge";
import { provideRoundMetadata } from "../../../triggers/round-metadata";
import { PROOF_SECRET, defineEvent, round } from "./events";

const define = createDefineAuthChallengeHandler({ otpMaxAttempts: 3 });

function expectChallenge(event: Awaited<ReturnType<typeof define>>) {
  expect(event.response).toEqual({ challengeName: "CUSTOM_CHALLENGE", issueTokens: false, failAuthentication: false });
}
function expectFailure(event: Awaited<ReturnType<typeof define>>) {
  expect(event.response).toEqual({ issueTokens: false, failAuthentication: true });
}

describe("define-auth-challenge", () => {
  it("asks for a custom challenge when the session is empty", async () => {
    expectChallenge(await define(defineEvent()));
  });

  it("reads a PROVIDE round that names its attempt like the bare one: the method round follows, then tokens", async () => {
    const named = round("PROVIDE_AUTH_PARAMETERS", true, provideRoundMetadata("attempt-nonce-0123456789ab"));
    expectChallenge(await define(defineEvent({ session: [named] })));
    const issued = await define(defineEvent({ session: [named, round("OTP", true)] }));
    expect(issued.response).toEqual({ issueTokens: true, failAuthentication: false });
  });

  it("returns the event it was given, with the request untouched", async () => {
    const event = defineEvent({ session: [round("PROVIDE_AUTH_PARAMETERS", true)] });
    const request = structuredClone(event.request);
    const result = await define(event);
    expect(result).toBe(event);
    expect(result.request).toEqual(request);
  });

  it("fails when the session holds an SRP or password round", async () => {
    expectFailure(
      await define(defineEvent({ session: [{ challengeName: "SRP_A", challengeResult: true }] })),
    );
    expectFailure(
      await define(
        defineEvent({
          session: [
            { challengeName: "SRP_A", challengeResult: true },
            { challengeName: "PASSWORD_VERIFIER", challengeResult: true },
          ],
        }),
      ),
    );
  });

  it("fails for a user Cognito did not find (PreventUserExistenceErrors)", async () => {
    expectFailure(await define(defineEvent({ userNotFound: true })));
  });

  it("asks for the method round after a successful PROVIDE round", async () => {
    expectChallenge(await define(defineEvent({ session: [round("PROVIDE_AUTH_PARAMETERS", true)], clientMetadata: { signInMethod: "OTP" } })));
  });

  it("fails after a failed PROVIDE round", async () => {
    expectFailure(await define(defineEvent({ session: [round("PROVIDE_AUTH_PARAMETERS", false)] })));
  });

  it("fails when a PROVIDE round appears after the first round", async () => {
    expectFailure(
      await define(defineEvent({ session: [round("PROVIDE_AUTH_PARAMETERS", true), round("PROVIDE_AUTH_PARAMETERS", true)] })),
    );
  });

  it("fails when a method round was not preceded by a PROVIDE round", async () => {
    expectFailure(await define(defineEvent({ session: [round("OTP", true)] })));
  });

  it("fails when the last round has unknown or missing metadata", async () => {
    expectFailure(await define(defineEvent({ session: [round("PROVIDE_AUTH_PARAMETERS", true), round("TOTP", true)] })));
    expectFailure(await define(defineEvent({ session: [round("PROVIDE_AUTH_PARAMETERS", true), round(null, true)] })));
  });

  it("issues tokens after a correct OTP answer", async () => {
    const event = await define(defineEvent({ session: [round("PROVIDE_AUTH_PARAMETERS", true), round("OTP", true)] }));
    expect(event.response).toEqual({ issueTokens: true, failAuthentication: false });
  });

  it("issues tokens after a correct passkey answer, also after earlier wrong ones", async () => {
    const event = await define(
      defineEvent({ session: [round("PROVIDE_AUTH_PARAMETERS", true), round("PASSKEY", false), round("PASSKEY", true)] }),
    );
    expect(event.response).toEqual({ issueTokens: true, failAuthentication: false });
  });

  it("asks for another round after a wrong answer while tries remain", async () => {
    expectChallenge(await define(defineEvent({ session: [round("PROVIDE_AUTH_PARAMETERS", true), round("OTP", false)] })));
    expectChallenge(
      await define(defineEvent({ session: [round("PROVIDE_AUTH_PARAMETERS", true), round("OTP", false), round("OTP", false)] })),
    );
  });

  it("fails after otpMaxAttempts wrong answers", async () => {
    expectFailure(
      await define(
        defineEvent({
          session: [round("PROVIDE_AUTH_PARAMETERS", true), round("OTP", false), round("OTP", false), round("OTP", false)],
        }),
      ),
    );
  });

  it("honours a configured otpMaxAttempts", async () => {
    const strict = createDefineAuthChallengeHandler({ otpMaxAttempts: 1 });
    expectFailure(await strict(defineEvent({ session: [round("PROVIDE_AUTH_PARAMETERS", true), round("PASSKEY", false)] })));
  });

  it("fails when the session has more rounds than the flow allows, even ending in success", async () => {
    const session = [round("PROVIDE_AUTH_PARAMETERS", true), round("OTP", false), round("OTP", false), round("OTP", false), round("OTP", true)];
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
