import type { VerifyAuthChallengeResponseTriggerEvent, VerifyAuthChallengeResponseTriggerHandler } from "aws-lambda";
import { ChallengeAnswer, ChallengeStep, ClientMetadataKey, asChallengeMethod, isValidPasskeyProof, isValidSignUpProof } from "../common/custom-auth-protocol";
import { loadTriggersConfig, type TriggersConfig } from "./config";
import { otpCodeMac, otpMacKey, sameSecret } from "./round-metadata";

export type VerifyAuthChallengeResponseDeps = { config: TriggersConfig; now?: () => number };

/** Judges one answer (Cognito VerifyAuthChallengeResponse) against the round Create issued. */
export function createVerifyAuthChallengeResponseHandler(deps: VerifyAuthChallengeResponseDeps) {
  const { config } = deps;
  const now = deps.now ?? Date.now;
  const macKey = otpMacKey(config.passkeyProofSecret);

  function isCorrect(event: VerifyAuthChallengeResponseTriggerEvent): boolean {
    const { privateChallengeParameters: issued, challengeAnswer: answer, clientMetadata } = event.request;
    if (event.request.userNotFound === true || typeof answer !== "string") return false;
    switch (issued.step) {
      case ChallengeStep.provide:
        return answer === ChallengeAnswer.provide && asChallengeMethod(clientMetadata?.[ClientMetadataKey.challengeMethod]) !== undefined;
      case ChallengeStep.otp: {
        // A resend request is never a right answer, whatever ANSWER carries.
        if (clientMetadata?.[ClientMetadataKey.codeResend] !== undefined) return false;
        const expiresAt = Number(issued.expiresAt);
        // An expired code is a wrong answer (NIST SP 800-63B §5.1.3.1: OTPs have a limited lifetime).
        if (!issued.codeMac || !Number.isFinite(expiresAt) || now() >= expiresAt) return false;
        return sameSecret(otpCodeMac(macKey, event.userName, expiresAt, answer), issued.codeMac);
      }
      case ChallengeStep.passkey:
        // ChallengeAnswer.passkey is only the BFF's claim; the HMAC proof binds it to this user and this round's nonce.
        return (
          answer === ChallengeAnswer.passkey &&
          !!issued.nonce &&
          isValidPasskeyProof(config.passkeyProofSecret, event.userName, issued.nonce, clientMetadata?.[ClientMetadataKey.passkeyProof])
        );
      case ChallengeStep.signUp:
        // The BFF's word that ConfirmSignUp has just accepted this user's code, bound to this round's nonce.
        return (
          answer === ChallengeAnswer.signUp &&
          !!issued.nonce &&
          isValidSignUpProof(config.passkeyProofSecret, event.userName, issued.nonce, clientMetadata?.[ClientMetadataKey.signUpProof])
        );
      default:
        return false;
    }
  }

  return async (event: VerifyAuthChallengeResponseTriggerEvent): Promise<VerifyAuthChallengeResponseTriggerEvent> => {
    event.response.answerCorrect = isCorrect(event);
    return event;
  };
}

let coldStartHandler: ReturnType<typeof createVerifyAuthChallengeResponseHandler> | undefined;

/** Lambda entry point; the configuration is read on the first invocation so importing never throws. */
export const handler: VerifyAuthChallengeResponseTriggerHandler = async (event) => {
  coldStartHandler ??= createVerifyAuthChallengeResponseHandler({ config: loadTriggersConfig() });
  return coldStartHandler(event);
};
