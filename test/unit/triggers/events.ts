import type { CreateAuthChallengeTriggerEvent, DefineAuthChallengeTriggerEvent, VerifyAuthChallengeResponseTriggerEvent } from "aws-lambda";
import type { TriggersConfig } from "../../../triggers/config";
import { otpCodeMac, otpMacKey, otpRoundMetadata } from "../../../triggers/round-metadata";

/** Builders of trigger events in the shapes Cognito sends (docs/cognito-behaviour.md, "Custom authentication (CUSTOM_AUTH)"). */

export const USER_NAME = "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b";
export const PROOF_SECRET = "unit-test-passkey-proof-secret-0123456789";

export const testConfig: TriggersConfig = {
  passkeyProofSecret: PROOF_SECRET,
  otpTtlSeconds: 300,
  otpMaxAttempts: 3,
  sesFromAddress: "no-reply@tobira.example",
  region: "us-east-1",
};

type Session = DefineAuthChallengeTriggerEvent["request"]["session"];
type StringMap = Record<string, string>;

export function emailUser(email = "jane.doe@example.com"): StringMap {
  return {
    sub: USER_NAME,
    "cognito:user_status": "CONFIRMED",
    email,
    email_verified: "true",
    "cognito:email_alias": email,
  };
}

export function phoneUser(phone = "+15555551234"): StringMap {
  return { sub: USER_NAME, "cognito:user_status": "CONFIRMED", phone_number: phone, phone_number_verified: "true" };
}

/** The seal an OTP round carries in its metadata: code SEALED_CODE, valid until SEAL_EXPIRES_AT. */
export const SEALED_CODE = "314159";
export const SEAL_EXPIRES_AT = 1_750_000_300_000;
export function otpSeal(expiresAt = SEAL_EXPIRES_AT, code = SEALED_CODE, userName = USER_NAME) {
  return { expiresAt, codeMac: otpCodeMac(otpMacKey(PROOF_SECRET), userName, expiresAt, code) };
}

/**
 * One completed CUSTOM_CHALLENGE round as Cognito records it in request.session. `"OTP"` stands
 * for an OTP round as Create labels it (sealed with `otpSeal()` unless `metadata` is given).
 */
export function round(step: string | null, challengeResult: boolean, metadata?: string): Session[number] {
  const challengeMetadata = metadata ?? (step === "OTP" ? otpRoundMetadata(otpSeal()) : step);
  return { challengeName: "CUSTOM_CHALLENGE", challengeResult, challengeMetadata: challengeMetadata as string | undefined };
}

const envelope = {
  version: "1",
  region: "us-east-1",
  userPoolId: "us-east-1_TobiraLcl",
  userName: USER_NAME,
  callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: "tobirabfflocalclient00000" },
};

type Options = { session?: Session; clientMetadata?: StringMap; userAttributes?: StringMap; userNotFound?: boolean; userName?: string };

/** clientMetadata and userNotFound are left out when absent, as Cognito does. */
function optional(options: Options) {
  return {
    ...(options.clientMetadata === undefined ? {} : { clientMetadata: options.clientMetadata }),
    ...(options.userNotFound === undefined ? {} : { userNotFound: options.userNotFound }),
  };
}

export function defineEvent(options: Options = {}): DefineAuthChallengeTriggerEvent {
  return {
    ...envelope,
    userName: options.userName ?? USER_NAME,
    triggerSource: "DefineAuthChallenge_Authentication",
    request: { userAttributes: options.userAttributes ?? emailUser(), session: options.session ?? [], ...optional(options) },
    response: { issueTokens: false, failAuthentication: false },
  };
}

export function createEvent(options: Options & { challengeName?: string } = {}): CreateAuthChallengeTriggerEvent {
  return {
    ...envelope,
    userName: options.userName ?? USER_NAME,
    triggerSource: "CreateAuthChallenge_Authentication",
    request: {
      userAttributes: options.userAttributes ?? emailUser(),
      challengeName: options.challengeName ?? "CUSTOM_CHALLENGE",
      session: options.session ?? [],
      ...optional(options),
    },
    response: { publicChallengeParameters: {}, privateChallengeParameters: {}, challengeMetadata: "" },
  };
}

export function verifyEvent(options: Options & { privateChallengeParameters: StringMap; challengeAnswer: string }): VerifyAuthChallengeResponseTriggerEvent {
  return {
    ...envelope,
    userName: options.userName ?? USER_NAME,
    triggerSource: "VerifyAuthChallengeResponse_Authentication",
    request: {
      userAttributes: options.userAttributes ?? emailUser(),
      privateChallengeParameters: options.privateChallengeParameters,
      challengeAnswer: options.challengeAnswer,
      ...optional(options),
    },
    response: { answerCorrect: false },
  };
}
