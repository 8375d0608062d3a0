import { describe, expect, it, vi } from "vitest";
import type { ChallengeOutcome, CognitoGateway, CustomChallenge } from "../../../bff/cognito/cognito-gateway";
import { ApiError } from "../../../bff/errors";
import { createLogger } from "../../../bff/logger";
import { createCustomAuthRounds } from "../../../bff/signin/custom-auth-rounds";
import { computePasskeyProof } from "../../../common/custom-auth-protocol";

// The wire strings are spelled out here on purpose: these tests pin what the triggers receive.
const secret = "a-passkey-proof-secret-for-unit-tests-000";
const tokens = { idToken: "id", accessToken: "access", refreshToken: "refresh", expiresIn: 3600 };
const challenge = (session: string, parameters: Record<string, string>): CustomChallenge => ({ session, username: "internal-uuid", parameters });
const provideRound = (session: string) => challenge(session, { step: "PROVIDE_AUTH_PARAMETERS" });
const otpRound = (session: string, extra: Record<string, string> = {}) => challenge(session, { step: "OTP", destination: "a***@e***.com", attemptsLeft: "3", ...extra });
const passkeyRound = (session: string) => challenge(session, { step: "PASSKEY", nonce: "round-nonce" });
const next = (round: CustomChallenge): ChallengeOutcome => ({ type: "challenge", challenge: round });

type Answer = { username: string; session: string; answer: string; clientMetadata?: Record<string, string> };

function setUp(answers: (input: Answer) => Promise<ChallengeOutcome>) {
  let started = 0;
  const cognito = {
    startCustomAuth: vi.fn(async () => provideRound(`provide-fresh-${(started += 1)}`)),
    respondToCustomChallenge: vi.fn(answers),
  };
  const lines: string[] = [];
  const logger = createLogger("warn", { write: (line: string) => void lines.push(line) });
  const rounds = createCustomAuthRounds({ cognito: cognito as unknown as CognitoGateway, logger });
  return { rounds, cognito, lines };
}

const answeredBy = (round: CustomChallenge) => setUp(async () => next(round));
const challengeFailed = { status: 502, code: "challenge_failed" };

describe("custom-auth rounds: starting CUSTOM_AUTH", () => {
  it("starts CUSTOM_AUTH and hands back the PROVIDE round's session and internal username", async () => {
    const { rounds, cognito } = answeredBy(otpRound("unused"));
    await expect(rounds.start("a@example.com")).resolves.toEqual({ username: "internal-uuid", session: "provide-fresh-1" });
    expect(cognito.startCustomAuth).toHaveBeenCalledWith({ username: "a@example.com" });
  });

  it("fails the sign-in (502 challenge_failed) when the first round is not the PROVIDE round", async () => {
    const { rounds, cognito } = answeredBy(otpRound("unused"));
    cognito.startCustomAuth.mockResolvedValueOnce(otpRound("skipped-provide"));
    await expect(rounds.start("a@example.com")).rejects.toMatchObject(challengeFailed);
  });
});

describe("custom-auth rounds: choosing the method in the PROVIDE round", () => {
  it("answers PROVIDE with signInMethod OTP and returns the OTP round's masked destination", async () => {
    const { rounds, cognito } = answeredBy(otpRound("otp-round"));
    const round = await rounds.choose("OTP", { username: "internal-uuid", session: "provide-waiting" });
    expect(round).toEqual({ username: "internal-uuid", session: "otp-round", destination: "a***@e***.com" });
    expect(cognito.respondToCustomChallenge).toHaveBeenCalledWith({
      username: "internal-uuid",
      session: "provide-waiting",
      answer: "PROVIDE",
      clientMetadata: { signInMethod: "OTP" },
    });
  });

  it("answers PROVIDE with signInMethod PASSKEY and returns the PASSKEY round's nonce", async () => {
    const { rounds, cognito } = answeredBy(passkeyRound("passkey-round"));
    const round = await rounds.choose("PASSKEY", { username: "internal-uuid", session: "provide-waiting" });
    expect(round).toEqual({ username: "internal-uuid", session: "passkey-round", nonce: "round-nonce" });
    expect(cognito.respondToCustomChallenge).toHaveBeenCalledWith(expect.objectContaining({ answer: "PROVIDE", clientMetadata: { signInMethod: "PASSKEY" } }));
  });

  it("fails the sign-in when the next round is of another method than the one chosen", async () => {
    const { rounds } = answeredBy(passkeyRound("passkey-round"));
    await expect(rounds.choose("OTP", { username: "internal-uuid", session: "provide-waiting" })).rejects.toMatchObject(challengeFailed);
  });

  it("fails the sign-in when a PASSKEY round carries no nonce to bind the proof to", async () => {
    const { rounds } = answeredBy(challenge("passkey-round", { step: "PASSKEY" }));
    await expect(rounds.choose("PASSKEY", { username: "internal-uuid", session: "provide-waiting" })).rejects.toMatchObject(challengeFailed);
  });

  it("fails the sign-in when Cognito answers the PROVIDE round with tokens", async () => {
    const { rounds } = setUp(async () => ({ type: "tokens", tokens }));
    await expect(rounds.choose("OTP", { username: "internal-uuid", session: "provide-waiting" })).rejects.toMatchObject(challengeFailed);
  });
});

describe("custom-auth rounds: a round of the chosen method", () => {
  it("answers the waiting PROVIDE round without starting CUSTOM_AUTH again", async () => {
    const { rounds, cognito } = answeredBy(otpRound("otp-round"));
    await expect(rounds.roundFor("OTP", "internal-uuid", "provide-waiting")).resolves.toMatchObject({ session: "otp-round" });
    expect(cognito.startCustomAuth).not.toHaveBeenCalled();
    expect(cognito.respondToCustomChallenge).toHaveBeenCalledWith(expect.objectContaining({ session: "provide-waiting" }));
  });

  it("starts CUSTOM_AUTH for the user when no PROVIDE round is waiting", async () => {
    const { rounds, cognito } = answeredBy(passkeyRound("passkey-round"));
    await expect(rounds.roundFor("PASSKEY", "internal-uuid")).resolves.toMatchObject({ session: "passkey-round", nonce: "round-nonce" });
    expect(cognito.startCustomAuth).toHaveBeenCalledWith({ username: "internal-uuid" });
    expect(cognito.respondToCustomChallenge).toHaveBeenCalledWith(expect.objectContaining({ session: "provide-fresh-1" }));
  });

  it("starts CUSTOM_AUTH again when Cognito has let the waiting PROVIDE round expire", async () => {
    const { rounds, cognito } = answeredBy(otpRound("otp-round"));
    cognito.respondToCustomChallenge.mockRejectedValueOnce(new ApiError(401, "session_expired", "expired"));
    await expect(rounds.roundFor("OTP", "internal-uuid", "provide-waiting")).resolves.toMatchObject({ session: "otp-round" });
    expect(cognito.startCustomAuth).toHaveBeenCalledTimes(1);
    expect(cognito.respondToCustomChallenge.mock.calls.map(([input]) => input.session)).toEqual(["provide-waiting", "provide-fresh-1"]);
  });

  it("passes on any other failure of the waiting PROVIDE round without starting again", async () => {
    const { rounds, cognito } = answeredBy(otpRound("otp-round"));
    cognito.respondToCustomChallenge.mockRejectedValueOnce(new ApiError(429, "limit_exceeded", "slow down"));
    await expect(rounds.roundFor("OTP", "internal-uuid", "provide-waiting")).rejects.toMatchObject({ code: "limit_exceeded" });
    expect(cognito.startCustomAuth).not.toHaveBeenCalled();
  });
});

describe("custom-auth rounds: answering the OTP round", () => {
  it("hands back Cognito's tokens for the right code", async () => {
    const { rounds, cognito } = setUp(async () => ({ type: "tokens", tokens }));
    await expect(rounds.answerCode({ username: "internal-uuid", session: "otp-round" }, "123456")).resolves.toEqual({ type: "tokens", tokens });
    expect(cognito.respondToCustomChallenge).toHaveBeenCalledWith({ username: "internal-uuid", session: "otp-round", answer: "123456" });
  });

  it("hands back the next round and the triggers' attemptsLeft for a wrong code", async () => {
    const { rounds } = answeredBy(otpRound("otp-retry", { attemptsLeft: "2" }));
    await expect(rounds.answerCode({ username: "internal-uuid", session: "otp-round" }, "000000")).resolves.toEqual({
      type: "retry",
      session: "otp-retry",
      attemptsLeft: 2,
    });
  });

  it("leaves attemptsLeft unknown when the triggers did not say it", async () => {
    const { rounds } = answeredBy(challenge("otp-retry", { step: "OTP", destination: "a***@e***.com" }));
    await expect(rounds.answerCode({ username: "internal-uuid", session: "otp-round" }, "000000")).resolves.toMatchObject({ attemptsLeft: undefined });
  });
});

describe("custom-auth rounds: answering the PASSKEY round", () => {
  it("answers WEBAUTHN_SUCCESS with the proof bound to this user and this round's nonce", async () => {
    const { rounds, cognito } = setUp(async () => ({ type: "tokens", tokens }));
    await expect(rounds.answerPasskey({ username: "internal-uuid", session: "passkey-round", nonce: "round-nonce" }, secret)).resolves.toEqual(tokens);
    expect(cognito.respondToCustomChallenge).toHaveBeenCalledWith({
      username: "internal-uuid",
      session: "passkey-round",
      answer: "WEBAUTHN_SUCCESS",
      clientMetadata: { passkeyProof: computePasskeyProof(secret, "internal-uuid", "round-nonce") },
    });
  });

  it("fails the sign-in, and says so in the log without the proof, when the verify trigger refuses the proof", async () => {
    const { rounds, lines } = answeredBy(passkeyRound("passkey-retry"));
    await expect(rounds.answerPasskey({ username: "internal-uuid", session: "passkey-round", nonce: "round-nonce" }, secret)).rejects.toMatchObject(challengeFailed);
    expect(lines.join("")).toContain("the verify trigger refused a passkey proof the BFF made");
    expect(lines.join("")).not.toContain(computePasskeyProof(secret, "internal-uuid", "round-nonce"));
  });
});
