import {
  ChallengeAnswer,
  ChallengeStep,
  ClientMetadataKey,
  computePasskeyProof,
  computeSignUpProof,
  type ChallengeMethod,
  type OtpRoundParameters,
  type PasskeyRoundParameters,
  type SignUpRoundParameters,
} from "../../common/custom-auth-protocol";
import type { CognitoGateway, CognitoTokens, CustomChallenge } from "../cognito/cognito-gateway";
import { ApiError } from "../errors";
import type { Logger } from "../logger";

/**
 * The BFF's walk through Cognito's CUSTOM_AUTH rounds (common/custom-auth-protocol.ts), for the
 * code path (signin/sign-in-service.ts) and the passkey path (passkeys/passkey-sign-in.ts) alike:
 * start CUSTOM_AUTH → answer the PROVIDE round with the method → answer the OTP round with the
 * code, or the PASSKEY round with the passkey proof. Cognito is reached only through the gateway.
 */

/** A round Cognito waits on: its single-use Session and the internal username every answer names. */
export type WaitingRound = Pick<CustomChallenge, "username" | "session">;
/** An OTP round: a code was sent to `destination` (masked). */
export type OtpRound = WaitingRound & Pick<OtpRoundParameters, "destination">;
/** A PASSKEY round: the proof must bind to its `nonce`. */
export type PasskeyRound = WaitingRound & Pick<PasskeyRoundParameters, "nonce">;
/** A SIGN_UP_CONFIRMED round: the sign-up proof must bind to its `nonce`. */
export type SignUpRound = WaitingRound & Pick<SignUpRoundParameters, "nonce">;

type RoundOf<M extends ChallengeMethod> = M extends typeof ChallengeStep.otp ? OtpRound : M extends typeof ChallengeStep.passkey ? PasskeyRound : SignUpRound;

/** The answer to an OTP round: tokens, or (a wrong or expired code) the next round to answer. */
export type CodeOutcome =
  | { type: "tokens"; tokens: CognitoTokens }
  /** `attemptsLeft`: what the triggers still allow, when they said. */
  | { type: "retry"; session: string; attemptsLeft: number | undefined };

export interface CustomAuthRounds {
  /** InitiateAuth CUSTOM_AUTH: the PROVIDE round, waiting for the method (passkey-first: no password). */
  start(username: string): Promise<WaitingRound>;
  /**
   * The password step inside CUSTOM_AUTH (SRP_A → PASSWORD_VERIFIER, checked by Cognito), then the
   * PROVIDE round. Only an attempt begun this way may go on with a code.
   */
  startWithPassword(email: string, password: string): Promise<WaitingRound>;
  /** Answers a waiting OTP round with a resend request: the next round of the same attempt carries a fresh code. */
  resendCode(round: WaitingRound): Promise<OtpRound>;
  /** Answers a waiting PROVIDE round with the method: for OTP the trigger sends a code. */
  choose<M extends ChallengeMethod>(method: M, provide: WaitingRound): Promise<RoundOf<M>>;
  /**
   * A round of the method for this user: the waiting PROVIDE round's when there is one (a new
   * CUSTOM_AUTH if Cognito has let it expire meanwhile), else from a new CUSTOM_AUTH.
   */
  roundFor<M extends ChallengeMethod>(method: M, username: string, waitingProvide?: string): Promise<RoundOf<M>>;
  answerCode(round: WaitingRound, code: string): Promise<CodeOutcome>;
  /** Answers a PASSKEY round with the proof that the BFF verified an assertion in it. */
  answerPasskey(round: PasskeyRound, passkeyProofSecret: string): Promise<CognitoTokens>;
  /** Answers a SIGN_UP_CONFIRMED round with the proof that ConfirmSignUp has just accepted the user's code. */
  answerSignUp(round: SignUpRound, passkeyProofSecret: string): Promise<CognitoTokens>;
}

/** The triggers answered outside the protocol: nothing the user can fix but starting again. */
export const challengeFailed = () => new ApiError(502, "challenge_failed", "Sign-in could not be completed. Start again.", { expose: true });

function isRoundOf<M extends ChallengeMethod>(method: M, challenge: CustomChallenge): boolean {
  if (challenge.parameters.step !== method) return false;
  // A PASSKEY or SIGN_UP_CONFIRMED round without a nonce could not bind a proof.
  return method === ChallengeStep.otp || !!challenge.parameters.nonce;
}

function roundOf<M extends ChallengeMethod>(method: M, challenge: CustomChallenge): RoundOf<M> {
  const { username, session, parameters } = challenge;
  const round: OtpRound | PasskeyRound | SignUpRound =
    method === ChallengeStep.otp ? { username, session, destination: parameters.destination ?? "" } : { username, session, nonce: parameters.nonce! };
  return round as RoundOf<M>;
}

export function createCustomAuthRounds(deps: { cognito: CognitoGateway; logger: Logger }): CustomAuthRounds {
  const { cognito, logger } = deps;

  async function start(username: string): Promise<WaitingRound> {
    const provide = await cognito.startCustomAuth({ username });
    if (provide.parameters.step !== ChallengeStep.provide) throw challengeFailed();
    return { username: provide.username, session: provide.session };
  }

  async function choose<M extends ChallengeMethod>(method: M, provide: WaitingRound): Promise<RoundOf<M>> {
    const outcome = await cognito.respondToCustomChallenge({
      username: provide.username,
      session: provide.session,
      answer: ChallengeAnswer.provide,
      clientMetadata: { [ClientMetadataKey.challengeMethod]: method },
    });
    if (outcome.type !== "challenge" || !isRoundOf(method, outcome.challenge)) throw challengeFailed();
    return roundOf(method, outcome.challenge);
  }

  async function fresh<M extends ChallengeMethod>(method: M, username: string): Promise<RoundOf<M>> {
    return choose(method, await start(username));
  }

  return {
    start,
    choose,

    async startWithPassword(email, password) {
      const provide = await cognito.startCustomAuthWithPassword({ email, password });
      if (provide.parameters.step !== ChallengeStep.provide) throw challengeFailed();
      return { username: provide.username, session: provide.session };
    },

    async resendCode(round) {
      const outcome = await cognito.respondToCustomChallenge({
        username: round.username,
        session: round.session,
        answer: ChallengeAnswer.resend,
        clientMetadata: { [ClientMetadataKey.codeResend]: "true" },
      });
      if (outcome.type !== "challenge" || !isRoundOf(ChallengeStep.otp, outcome.challenge)) throw challengeFailed();
      return roundOf(ChallengeStep.otp, outcome.challenge);
    },

    async roundFor(method, username, waitingProvide) {
      if (waitingProvide === undefined) return fresh(method, username);
      return choose(method, { username, session: waitingProvide }).catch(async (error: unknown) => {
        if (error instanceof ApiError && error.code === "session_expired") return fresh(method, username);
        throw error;
      });
    },

    async answerCode(round, code) {
      const outcome = await cognito.respondToCustomChallenge({ username: round.username, session: round.session, answer: code });
      if (outcome.type === "tokens") return outcome;
      const attemptsLeft = Number(outcome.challenge.parameters.attemptsLeft);
      return { type: "retry", session: outcome.challenge.session, attemptsLeft: Number.isFinite(attemptsLeft) ? attemptsLeft : undefined };
    },

    async answerPasskey(round, passkeyProofSecret) {
      const outcome = await cognito.respondToCustomChallenge({
        username: round.username,
        session: round.session,
        answer: ChallengeAnswer.passkey,
        clientMetadata: { [ClientMetadataKey.passkeyProof]: computePasskeyProof(passkeyProofSecret, round.username, round.nonce) },
      });
      if (outcome.type !== "tokens") {
        logger.warn("the verify trigger refused a passkey proof the BFF made");
        throw challengeFailed();
      }
      return outcome.tokens;
    },

    async answerSignUp(round, passkeyProofSecret) {
      const outcome = await cognito.respondToCustomChallenge({
        username: round.username,
        session: round.session,
        answer: ChallengeAnswer.signUp,
        clientMetadata: { [ClientMetadataKey.signUpProof]: computeSignUpProof(passkeyProofSecret, round.username, round.nonce) },
      });
      if (outcome.type !== "tokens") throw challengeFailed();
      return outcome.tokens;
    },
  };
}
