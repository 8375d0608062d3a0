import { computePasskeyProof } from "../../../common/custom-auth-protocol";
import { createVerifyAuthChallengeResponseHandler } from "../../../triggers/verify-auth-challenge-response";
import { PROOF_SECRET, USER_NAME, otpSeal, testConfig, verifyEvent } from "./events";

const NOW = 1_750_000_000_000;
let clock = NOW;
const verify = createVerifyAuthChallengeResponseHandler({ config: testConfig, now: () => clock });

beforeEach(() => {
  clock = NOW;
});

async function answer(...args: Parameters<typeof verifyEvent>): Promise<boolean> {
  return (await verify(verifyEvent(...args))).response.answerCorrect;
}

const provide = { step: "PROVIDE_AUTH_PARAMETERS" };
// Create keeps only a MAC of the code, bound to the user and the expiry.
const otpSealed = otpSeal(NOW + 300_000, "042917");
const otp = { step: "OTP", codeMac: otpSealed.codeMac, expiresAt: String(otpSealed.expiresAt) };
const nonce = "q2r0jv4Xk8c3m9Qe1zT6yLwP5nB7aH0dUu2sFgIiJkM";
const passkey = { step: "PASSKEY", nonce };
const proof = computePasskeyProof(PROOF_SECRET, USER_NAME, nonce);

describe("verify-auth-challenge-response: PROVIDE round", () => {
  it.each(["OTP", "PASSKEY"])("accepts PROVIDE with signInMethod %s", async (signInMethod) => {
    expect(await answer({ privateChallengeParameters: provide, challengeAnswer: "PROVIDE", clientMetadata: { signInMethod } })).toBe(true);
  });

  it("returns the event it was given", async () => {
    const event = verifyEvent({ privateChallengeParameters: provide, challengeAnswer: "PROVIDE", clientMetadata: { signInMethod: "OTP" } });
    expect(await verify(event)).toBe(event);
  });

  it("rejects another answer than PROVIDE", async () => {
    expect(await answer({ privateChallengeParameters: provide, challengeAnswer: "OTP", clientMetadata: { signInMethod: "OTP" } })).toBe(false);
  });

  it("rejects PROVIDE without ClientMetadata", async () => {
    expect(await answer({ privateChallengeParameters: provide, challengeAnswer: "PROVIDE" })).toBe(false);
  });

  it("rejects PROVIDE with an unknown signInMethod", async () => {
    expect(await answer({ privateChallengeParameters: provide, challengeAnswer: "PROVIDE", clientMetadata: { signInMethod: "SMS" } })).toBe(false);
  });
});

describe("verify-auth-challenge-response: OTP round", () => {
  it("accepts the right code before it expires", async () => {
    clock = NOW + 299_999;
    expect(await answer({ privateChallengeParameters: otp, challengeAnswer: "042917" })).toBe(true);
  });

  it("rejects an answer that asks for a resend, even when it carries the right code", async () => {
    clock = NOW + 1000;
    expect(await answer({ privateChallengeParameters: otp, challengeAnswer: "042917", clientMetadata: { codeResend: "true" } })).toBe(false);
  });

  it("rejects the right code when the round was sealed for another user", async () => {
    const sealedForOther = otpSeal(NOW + 300_000, "042917", "another-user");
    const issued = { step: "OTP", codeMac: sealedForOther.codeMac, expiresAt: String(sealedForOther.expiresAt) };
    expect(await answer({ privateChallengeParameters: issued, challengeAnswer: "042917" })).toBe(false);
  });

  it("rejects a wrong code of the right length", async () => {
    expect(await answer({ privateChallengeParameters: otp, challengeAnswer: "042918" })).toBe(false);
  });

  it("rejects an answer of another length (a prefix, or the code with extra characters)", async () => {
    expect(await answer({ privateChallengeParameters: otp, challengeAnswer: "04291" })).toBe(false);
    expect(await answer({ privateChallengeParameters: otp, challengeAnswer: "042917 " })).toBe(false);
    expect(await answer({ privateChallengeParameters: otp, challengeAnswer: "" })).toBe(false);
  });

  it("rejects the right code at and after its expiry", async () => {
    clock = NOW + 300_000;
    expect(await answer({ privateChallengeParameters: otp, challengeAnswer: "042917" })).toBe(false);
    clock = NOW + 3_600_000;
    expect(await answer({ privateChallengeParameters: otp, challengeAnswer: "042917" })).toBe(false);
  });

  it("rejects when the round's expiry is missing or not a number", async () => {
    expect(await answer({ privateChallengeParameters: { step: "OTP", code: "042917" }, challengeAnswer: "042917" })).toBe(false);
    expect(await answer({ privateChallengeParameters: { ...otp, expiresAt: "soon" }, challengeAnswer: "042917" })).toBe(false);
  });

  it("rejects when the round has no code", async () => {
    expect(await answer({ privateChallengeParameters: { step: "OTP", expiresAt: otp.expiresAt }, challengeAnswer: "" })).toBe(false);
  });

  it("rejects an answer that is not a string, even a number that reads as the right code", async () => {
    const sealed = otpSeal(NOW + 300_000, "314159");
    const issued = { step: "OTP", codeMac: sealed.codeMac, expiresAt: String(sealed.expiresAt) };
    expect(await answer({ privateChallengeParameters: issued, challengeAnswer: 314159 as unknown as string })).toBe(false);
  });

  it("judges the expiry by the system clock when no clock is given", async () => {
    const withSystemClock = createVerifyAuthChallengeResponseHandler({ config: testConfig });
    const judge = async (expiresAt: number) => {
      const sealed = otpSeal(expiresAt, "042917");
      const event = verifyEvent({ privateChallengeParameters: { step: "OTP", codeMac: sealed.codeMac, expiresAt: String(expiresAt) }, challengeAnswer: "042917" });
      return (await withSystemClock(event)).response.answerCorrect;
    };
    expect(await judge(Date.now() + 60_000)).toBe(true);
    expect(await judge(Date.now() - 1000)).toBe(false);
  });

  it("rejects WEBAUTHN_SUCCESS with a valid-looking proof in an OTP round", async () => {
    expect(await answer({ privateChallengeParameters: otp, challengeAnswer: "WEBAUTHN_SUCCESS", clientMetadata: { passkeyProof: proof } })).toBe(false);
  });
});

describe("verify-auth-challenge-response: PASSKEY round", () => {
  it("accepts WEBAUTHN_SUCCESS with the proof for this user and nonce", async () => {
    expect(await answer({ privateChallengeParameters: passkey, challengeAnswer: "WEBAUTHN_SUCCESS", clientMetadata: { passkeyProof: proof } })).toBe(true);
  });

  it("rejects a bare WEBAUTHN_SUCCESS", async () => {
    expect(await answer({ privateChallengeParameters: passkey, challengeAnswer: "WEBAUTHN_SUCCESS" })).toBe(false);
    expect(await answer({ privateChallengeParameters: passkey, challengeAnswer: "WEBAUTHN_SUCCESS", clientMetadata: {} })).toBe(false);
  });

  it("rejects another user's proof", async () => {
    const otherUsers = computePasskeyProof(PROOF_SECRET, "another-user", nonce);
    expect(await answer({ privateChallengeParameters: passkey, challengeAnswer: "WEBAUTHN_SUCCESS", clientMetadata: { passkeyProof: otherUsers } })).toBe(false);
  });

  it("rejects a valid proof presented under another user name", async () => {
    expect(
      await answer({
        userName: "another-user",
        privateChallengeParameters: passkey,
        challengeAnswer: "WEBAUTHN_SUCCESS",
        clientMetadata: { passkeyProof: proof },
      }),
    ).toBe(false);
  });

  it("rejects a proof for another round's nonce", async () => {
    const otherRound = computePasskeyProof(PROOF_SECRET, USER_NAME, "an-earlier-nonce");
    expect(await answer({ privateChallengeParameters: passkey, challengeAnswer: "WEBAUTHN_SUCCESS", clientMetadata: { passkeyProof: otherRound } })).toBe(false);
  });

  it("rejects a proof made with another secret", async () => {
    const forged = computePasskeyProof("some-other-secret-of-enough-length-000000", USER_NAME, nonce);
    expect(await answer({ privateChallengeParameters: passkey, challengeAnswer: "WEBAUTHN_SUCCESS", clientMetadata: { passkeyProof: forged } })).toBe(false);
  });

  it("rejects any other answer, even with a valid proof", async () => {
    expect(await answer({ privateChallengeParameters: passkey, challengeAnswer: "PROVIDE", clientMetadata: { passkeyProof: proof } })).toBe(false);
    expect(await answer({ privateChallengeParameters: passkey, challengeAnswer: proof, clientMetadata: { passkeyProof: proof } })).toBe(false);
  });

  it("rejects when the round has no nonce", async () => {
    const emptyNonceProof = computePasskeyProof(PROOF_SECRET, USER_NAME, "");
    expect(
      await answer({ privateChallengeParameters: { step: "PASSKEY" }, challengeAnswer: "WEBAUTHN_SUCCESS", clientMetadata: { passkeyProof: emptyNonceProof } }),
    ).toBe(false);
  });
});

describe("verify-auth-challenge-response: other cases", () => {
  it("rejects an unknown step", async () => {
    expect(await answer({ privateChallengeParameters: { step: "TOTP", code: "042917" }, challengeAnswer: "042917" })).toBe(false);
  });

  it("rejects when no step was recorded", async () => {
    expect(await answer({ privateChallengeParameters: {}, challengeAnswer: "PROVIDE", clientMetadata: { signInMethod: "OTP" } })).toBe(false);
  });

  it("rejects any answer for a user Cognito did not find", async () => {
    expect(await answer({ userNotFound: true, privateChallengeParameters: provide, challengeAnswer: "PROVIDE", clientMetadata: { signInMethod: "OTP" } })).toBe(false);
  });
});
