import type { DefineAuthChallengeTriggerEvent, DefineAuthChallengeTriggerHandler } from "aws-lambda";
import { ChallengeStep, ClientMetadataKey, asChallengeMethod } from "../common/custom-auth-protocol";
import { loadTriggersConfig, type TriggersConfig } from "./config";
import { countTries, roundStep } from "./round-metadata";

type Decision = "password" | "challenge" | "issue" | "fail";

/** The resends of one attempt the BFF allows by default (OTP_MAX_RESENDS). */
export const DEFAULT_OTP_MAX_RESENDS = 3;

/**
 * Decides the next step of the custom flow from the rounds so far (Cognito DefineAuthChallenge).
 * Two shapes of attempt reach tokens (docs/architecture.md, "Sign-in, step by step"):
 *
 * - password first: SRP_A → PASSWORD_VERIFIER (Cognito checks the password itself, by SRP) →
 *   PROVIDE → OTP or PASSKEY rounds; tokens after a correct code or passkey;
 * - passkey first: PROVIDE → PASSKEY rounds; tokens after a correct passkey, which is the one
 *   factor that stands alone;
 * - right after sign-up: SRP_A → PASSWORD_VERIFIER → PROVIDE → one SIGN_UP_CONFIRMED round, whose
 *   proof says ConfirmSignUp has just checked the emailed code; a wrong proof ends the attempt.
 *
 * So Cognito refuses tokens for the password alone (no method round) and for a code alone (a code
 * round is never offered, let alone accepted, without a proven password), whoever holds the app
 * client's secret. Up to `otpMaxAttempts` wrong answers plus `otpMaxResends` resends are allowed.
 */
export function createDefineAuthChallengeHandler(config: Pick<TriggersConfig, "otpMaxAttempts"> & { otpMaxResends?: number }) {
  // A resend is a round answered with ChallengeAnswer.resend (never correct): counted apart from wrong codes.
  const maxResends = config.otpMaxResends ?? DEFAULT_OTP_MAX_RESENDS;
  function decide(event: DefineAuthChallengeTriggerEvent): Decision {
    const session = event.request.session;
    // With PreventUserExistenceErrors ENABLED Cognito still runs the flow for unknown users; end
    // it as a failed sign-in, the same answer a wrong password gets (OWASP Authentication: generic errors).
    if (event.request.userNotFound === true) return "fail";

    // The password step, when the attempt began with SRP_A: Cognito runs PASSWORD_VERIFIER itself.
    let rounds = session;
    let passwordProven = false;
    if (session[0]?.challengeName === "SRP_A") {
      if (!session[0].challengeResult) return "fail";
      if (session.length === 1) return "password";
      const verifier = session[1]!;
      if (verifier.challengeName !== "PASSWORD_VERIFIER" || !verifier.challengeResult) return "fail";
      passwordProven = true;
      rounds = session.slice(2);
    }
    // SRP entries anywhere else, or any other built-in challenge, are not a flow this pool runs.
    if (rounds.some((entry) => entry.challengeName !== "CUSTOM_CHALLENGE")) return "fail";
    if (rounds.length === 0) return "challenge";
    // Defensive cap on rounds, independent of how they are labelled.
    if (rounds.length > 1 + config.otpMaxAttempts + maxResends) return "fail";

    const last = rounds[rounds.length - 1]!;
    if (roundStep(last.challengeMetadata) === ChallengeStep.provide) {
      // Only round 1 may ask for the method; a PROVIDE round later is not a flow Create produces.
      if (!last.challengeResult || rounds.length !== 1) return "fail";
      // A code (or the sign-up proof) is a second factor: without a proven password none is offered.
      const chosen = asChallengeMethod(event.request.clientMetadata?.[ClientMetadataKey.challengeMethod]);
      return chosen === ChallengeStep.passkey || passwordProven ? "challenge" : "fail";
    }
    if (asChallengeMethod(roundStep(last.challengeMetadata)) === undefined || roundStep(rounds[0]!.challengeMetadata) !== ChallengeStep.provide) return "fail";
    if (!passwordProven && rounds.slice(1).some((entry) => roundStep(entry.challengeMetadata) !== ChallengeStep.passkey)) return "fail";
    if (last.challengeResult) return "issue";
    // The BFF never sends a wrong sign-up proof: one is an attack, not a typo, and gets no retry.
    if (roundStep(last.challengeMetadata) === ChallengeStep.signUp) return "fail";
    // Lockout after N wrong answers (OWASP Authentication cheat sheet: limit OTP attempts), and a cap on resends.
    const tries = countTries(rounds, event.request.clientMetadata?.[ClientMetadataKey.codeResend] === "true");
    if (tries.resends > maxResends) return "fail";
    return tries.wrongAnswers >= config.otpMaxAttempts ? "fail" : "challenge";
  }

  return async (event: DefineAuthChallengeTriggerEvent): Promise<DefineAuthChallengeTriggerEvent> => {
    const decision = decide(event);
    event.response.issueTokens = decision === "issue";
    event.response.failAuthentication = decision === "fail";
    if (decision === "challenge") event.response.challengeName = "CUSTOM_CHALLENGE";
    else if (decision === "password") event.response.challengeName = "PASSWORD_VERIFIER";
    else delete event.response.challengeName;
    return event;
  };
}

let coldStartHandler: ReturnType<typeof createDefineAuthChallengeHandler> | undefined;

/** Lambda entry point; the configuration is read on the first invocation so importing never throws. */
export const handler: DefineAuthChallengeTriggerHandler = async (event) => {
  coldStartHandler ??= createDefineAuthChallengeHandler(loadTriggersConfig());
  return coldStartHandler(event);
};
