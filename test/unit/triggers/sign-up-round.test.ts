import { describe, expect, it } from "vitest";
import { computePasskeyProof, computeSignUpProof, isValidSignUpProof } from "../../../common/custom-auth-protocol";
import { createCreateAuthChallengeHandler } from "../../../triggers/create-auth-challenge";
import { createDefineAuthChallengeHandler } from "../../../triggers/define-auth-challenge";
import { provideRoundMetadata } from "../../../triggers/round-metadata";
import { createVerifyAuthChallengeResponseHandler } from "../../../triggers/verify-auth-challenge-response";
import { PROOF_SECRET, USER_NAME, createEvent, defineEvent, round, testConfig, verifyEvent } from "./events";

/**
 * The SIGN_UP_CONFIRMED round (docs/architecture.md, "Signing in at sign-up"): right after
 * ConfirmSignUp the BFF signs the new user in with the password (SRP) and its sign-up proof in
 * place of a second emailed code. The triggers accept it only after a proven password, and only
 * a proof keyed for this purpose, for this user and this round's nonce.
 */

const define = createDefineAuthChallengeHandler({ otpMaxAttempts: 3, otpMaxResends: 3 });
const verify = createVerifyAuthChallengeResponseHandler({ config: testConfig });

type Entry = ReturnType<typeof round>;
const PASSWORD = [
  { challengeName: "SRP_A", challengeResult: true, challengeMetadata: undefined },
  { challengeName: "PASSWORD_VERIFIER", challengeResult: true, challengeMetadata: undefined },
] as unknown as Entry[];
const PROVIDE = round("PROVIDE_AUTH_PARAMETERS", true, provideRoundMetadata("attempt-nonce-0123456789ab"));
const SIGN_UP_CHOSEN = { signInMethod: "SIGN_UP_CONFIRMED" };
const NONCE = "round-nonce-0123456789abcdefghijklmnopqrstu";

describe("define-auth-challenge: the sign-up round", () => {
  it("offers it after a proven password", async () => {
    const event = await define(defineEvent({ session: [...PASSWORD, PROVIDE], clientMetadata: SIGN_UP_CHOSEN }));
    expect(event.response).toEqual({ challengeName: "CUSTOM_CHALLENGE", issueTokens: false, failAuthentication: false });
  });

  it("refuses it without the password (the proof alone is not a factor Cognito takes)", async () => {
    const event = await define(defineEvent({ session: [PROVIDE], clientMetadata: SIGN_UP_CHOSEN }));
    expect(event.response).toEqual({ issueTokens: false, failAuthentication: true });
  });

  it("issues tokens after the password and a correct sign-up round", async () => {
    const event = await define(defineEvent({ session: [...PASSWORD, PROVIDE, round("SIGN_UP_CONFIRMED", true)] }));
    expect(event.response).toEqual({ issueTokens: true, failAuthentication: false });
  });

  it("refuses tokens for a correct sign-up round without the password before it", async () => {
    const event = await define(defineEvent({ session: [PROVIDE, round("SIGN_UP_CONFIRMED", true)] }));
    expect(event.response).toEqual({ issueTokens: false, failAuthentication: true });
  });

  it("ends the attempt at the first wrong sign-up proof (no retry: the BFF never makes a wrong one)", async () => {
    const event = await define(defineEvent({ session: [...PASSWORD, PROVIDE, round("SIGN_UP_CONFIRMED", false)] }));
    expect(event.response).toEqual({ issueTokens: false, failAuthentication: true });
  });
});

describe("create-auth-challenge: the sign-up round", () => {
  it("issues a fresh nonce, public and private, and sends nothing", async () => {
    const sent: unknown[] = [];
    const create = createCreateAuthChallengeHandler({ config: testConfig, delivery: { send: async (message) => void sent.push(message) } });
    const first = await create(createEvent({ session: [...PASSWORD, PROVIDE], clientMetadata: SIGN_UP_CHOSEN }));
    const second = await create(createEvent({ session: [...PASSWORD, PROVIDE], clientMetadata: SIGN_UP_CHOSEN }));
    expect(first.response.publicChallengeParameters).toEqual({ step: "SIGN_UP_CONFIRMED", nonce: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(first.response.privateChallengeParameters).toEqual(first.response.publicChallengeParameters);
    expect(first.response.challengeMetadata).toBe("SIGN_UP_CONFIRMED");
    expect(second.response.publicChallengeParameters.nonce).not.toBe(first.response.publicChallengeParameters.nonce);
    expect(sent).toEqual([]);
  });
});

describe("verify-auth-challenge-response: the sign-up proof", () => {
  const issued = { step: "SIGN_UP_CONFIRMED", nonce: NONCE };
  const answer = (challengeAnswer: string, proof: string | undefined, userName = USER_NAME) =>
    verify(
      verifyEvent({
        userName,
        privateChallengeParameters: issued,
        challengeAnswer,
        ...(proof === undefined ? {} : { clientMetadata: { signUpProof: proof } }),
      }),
    ).then((event) => event.response.answerCorrect);

  it("accepts the proof for this user and this round's nonce", async () => {
    expect(await answer("SIGN_UP_CONFIRMED", computeSignUpProof(PROOF_SECRET, USER_NAME, NONCE))).toBe(true);
  });

  it("refuses a missing proof", async () => {
    expect(await answer("SIGN_UP_CONFIRMED", undefined)).toBe(false);
  });

  it("refuses a proof made for another round's nonce", async () => {
    expect(await answer("SIGN_UP_CONFIRMED", computeSignUpProof(PROOF_SECRET, USER_NAME, "another-nonce"))).toBe(false);
  });

  it("refuses a proof made for another user", async () => {
    expect(await answer("SIGN_UP_CONFIRMED", computeSignUpProof(PROOF_SECRET, "someone-else", NONCE))).toBe(false);
  });

  it("refuses a passkey proof for the same user and nonce (each proof has its own key)", async () => {
    expect(await answer("SIGN_UP_CONFIRMED", computePasskeyProof(PROOF_SECRET, USER_NAME, NONCE))).toBe(false);
  });

  it("refuses the right proof under another answer", async () => {
    expect(await answer("WEBAUTHN_SUCCESS", computeSignUpProof(PROOF_SECRET, USER_NAME, NONCE))).toBe(false);
  });

  it("refuses a proof keyed with another secret", async () => {
    expect(await answer("SIGN_UP_CONFIRMED", computeSignUpProof("another-secret-0123456789abcdef", USER_NAME, NONCE))).toBe(false);
  });

  it("checks presented values of any type without throwing", () => {
    expect(isValidSignUpProof(PROOF_SECRET, USER_NAME, NONCE, 42)).toBe(false);
    expect(isValidSignUpProof(PROOF_SECRET, USER_NAME, NONCE, "")).toBe(false);
  });
});
