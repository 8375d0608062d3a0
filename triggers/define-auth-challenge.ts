import type { DefineAuthChallengeTriggerEvent, DefineAuthChallengeTriggerHandler } from "aws-lambda";
import { ChallengeStep, asChallengeMethod } from "../common/custom-auth-protocol";
import { loadTriggersConfig, type TriggersConfig } from "./config";
import { countFailedMethodRounds, roundStep } from "./round-metadata";

type Decision = "challenge" | "issue" | "fail";

/**
 * Decides the next step of the custom flow from the rounds so far (Cognito DefineAuthChallenge):
 * a PROVIDE round, then up to `otpMaxAttempts` OTP/PASSKEY rounds.
 */
export function createDefineAuthChallengeHandler(config: Pick<TriggersConfig, "otpMaxAttempts">) {
  function decide(event: DefineAuthChallengeTriggerEvent): Decision {
    const session = event.request.session;
    // With PreventUserExistenceErrors ENABLED Cognito still runs the flow for unknown users; end
    // it as a failed sign-in, the same answer a wrong password gets (OWASP Authentication: generic errors).
    if (event.request.userNotFound === true) return "fail";
    // This pool's custom flow has no SRP/password round: the BFF checked the password before.
    if (session.some((entry) => entry.challengeName !== "CUSTOM_CHALLENGE")) return "fail";
    if (session.length === 0) return "challenge";
    // Defensive cap on rounds, independent of how they are labelled.
    if (session.length > 1 + config.otpMaxAttempts) return "fail";

    const last = session[session.length - 1]!;
    const lastIndex = session.length - 1;
    if (roundStep(last.challengeMetadata) === ChallengeStep.provide) {
      // Only round 1 may ask for the method; a PROVIDE round later is not a flow Create produces.
      return last.challengeResult && lastIndex === 0 ? "challenge" : "fail";
    }
    if (asChallengeMethod(roundStep(last.challengeMetadata)) === undefined || roundStep(session[0]!.challengeMetadata) !== ChallengeStep.provide) return "fail";
    if (last.challengeResult) return "issue";
    // Lockout after N wrong answers (OWASP Authentication cheat sheet: limit OTP attempts).
    return countFailedMethodRounds(session) >= config.otpMaxAttempts ? "fail" : "challenge";
  }

  return async (event: DefineAuthChallengeTriggerEvent): Promise<DefineAuthChallengeTriggerEvent> => {
    const decision = decide(event);
    event.response.issueTokens = decision === "issue";
    event.response.failAuthentication = decision === "fail";
    if (decision === "challenge") event.response.challengeName = "CUSTOM_CHALLENGE";
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
