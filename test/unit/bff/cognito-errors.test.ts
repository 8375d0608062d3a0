import * as sdk from "@aws-sdk/client-cognito-identity-provider";
import { describe, expect, it } from "vitest";
import { mapCognitoError, type CognitoOperation } from "../../../bff/cognito/cognito-errors";
import { serializeApiError } from "../../../bff/errors";

type ExceptionClass = new (options: { message: string; $metadata: { httpStatusCode: number } }) => Error;

function cognitoError(name: keyof typeof sdk, message = "Cognito's own words"): Error {
  const Exception = sdk[name] as unknown as ExceptionClass;
  return new Exception({ message, $metadata: { httpStatusCode: 400 } });
}

const cases: Array<[string, keyof typeof sdk, CognitoOperation, string | undefined, number, string]> = [
  ["a taken email", "UsernameExistsException", "signUp", undefined, 409, "username_exists"],
  ["an alias taken at confirmation", "AliasExistsException", "confirmSignUp", undefined, 409, "username_exists"],
  ["a weak password", "InvalidPasswordException", "signUp", "Password did not conform with policy: Password not long enough", 400, "invalid_password"],
  ["a wrong password", "NotAuthorizedException", "passwordStep", "Incorrect username or password.", 401, "invalid_credentials"],
  ["an unknown user (LEGACY clients)", "UserNotFoundException", "passwordStep", "User does not exist.", 401, "invalid_credentials"],
  ["a disabled user", "NotAuthorizedException", "passwordStep", "User is disabled.", 401, "invalid_credentials"],
  // An unknown account is never locked: Cognito's lockout answers like a wrong password.
  ["the password lockout", "NotAuthorizedException", "passwordStep", "Password attempts exceeded", 401, "invalid_credentials"],
  // Cognito says "not confirmed" whatever the password: at sign-in, that must look like a wrong password.
  ["an unconfirmed user at the password step", "UserNotConfirmedException", "passwordStep", "User is not confirmed.", 401, "invalid_credentials"],
  ["an unconfirmed user starting the custom flow", "UserNotConfirmedException", "startCustomAuth", "User is not confirmed.", 401, "invalid_credentials"],
  ["an unconfirmed user elsewhere", "UserNotConfirmedException", "confirmForgotPassword", "User is not confirmed.", 403, "user_not_confirmed"],
  ["a wrong code", "CodeMismatchException", "confirmSignUp", undefined, 400, "code_mismatch"],
  // Confirming answers alike whether the account exists, is confirmed, or has a code at all.
  ["an expired reset code", "ExpiredCodeException", "confirmForgotPassword", undefined, 400, "code_mismatch"],
  ["an expired confirmation code", "ExpiredCodeException", "confirmSignUp", undefined, 400, "code_mismatch"],
  ["an expired code elsewhere", "ExpiredCodeException", "verifyUserAttribute", undefined, 400, "expired_code"],
  ["confirming a confirmed user", "NotAuthorizedException", "confirmSignUp", "User cannot be confirmed. Current status is CONFIRMED", 400, "code_mismatch"],
  ["confirming an unknown user", "UserNotFoundException", "confirmSignUp", "Username/client id combination not found.", 400, "code_mismatch"],
  ["resetting for an unknown user", "UserNotFoundException", "confirmForgotPassword", undefined, 400, "code_mismatch"],
  ["an expired challenge session", "NotAuthorizedException", "respondToCustomChallenge", "Invalid session for the user, session is expired.", 401, "session_expired"],
  ["a reused challenge session", "NotAuthorizedException", "respondToCustomChallenge", "Invalid session for the user.", 401, "session_expired"],
  ["a failed challenge", "NotAuthorizedException", "respondToCustomChallenge", "Incorrect username or password.", 401, "challenge_failed"],
  ["a revoked refresh token", "NotAuthorizedException", "refreshTokens", "Refresh Token has been revoked", 401, "session_expired"],
  ["a revoked access token", "NotAuthorizedException", "getUser", "Access Token has been revoked", 401, "session_expired"],
  ["Cognito's per-user limit", "LimitExceededException", "forgotPassword", "Attempt limit exceeded, please try after some time.", 429, "limit_exceeded"],
  ["the resend limit", "LimitExceededException", "resendConfirmationCode", "Attempt limit exceeded, please try after some time.", 429, "limit_exceeded"],
  [
    "sign-up's code not sent (the user exists)",
    "LimitExceededException",
    "signUp",
    "Exceeded daily email limit for the operation or the account.",
    429,
    "limit_exceeded",
  ],
  ["the confirmation attempt limit", "LimitExceededException", "confirmSignUp", "Attempt limit exceeded, please try after some time.", 429, "limit_exceeded"],
  ["Cognito's request quota", "TooManyRequestsException", "signUp", undefined, 429, "limit_exceeded"],
  ["too many failed attempts", "TooManyFailedAttemptsException", "confirmSignUp", undefined, 429, "limit_exceeded"],
  ["a code that could not be sent", "CodeDeliveryFailureException", "signUp", undefined, 502, "delivery_failed"],
  [
    "the create-challenge trigger failing",
    "UserLambdaValidationException",
    "respondToCustomChallenge",
    "CreateAuthChallenge failed with error SES down.",
    502,
    "delivery_failed",
  ],
  [
    "another challenge trigger failing",
    "UserLambdaValidationException",
    "respondToCustomChallenge",
    "VerifyAuthChallengeResponse failed with error x.",
    502,
    "challenge_failed",
  ],
  ["an unusable trigger answer", "InvalidLambdaResponseException", "startCustomAuth", "Invalid lambda function output : Invalid JSON", 503, "service_unavailable"],
  ["Cognito's internal error", "InternalErrorException", "signUp", undefined, 503, "service_unavailable"],
  ["resending for a confirmed user", "InvalidParameterException", "resendConfirmationCode", "User is already confirmed.", 400, "bad_request"],
  [
    "any other invalid parameter",
    "InvalidParameterException",
    "forgotPassword",
    "Cannot reset password for the user as there is no registered/verified email or phone_number",
    400,
    "bad_request",
  ],
  ["a wrong SECRET_HASH (our misconfiguration)", "NotAuthorizedException", "signUp", "Unable to verify secret hash for client abc", 500, "internal_error"],
  ["a missing SECRET_HASH", "NotAuthorizedException", "passwordStep", "Client abc is configured for secret but secret was not received", 500, "internal_error"],
];

describe("mapCognitoError: the one table from Cognito exceptions to the contract's errors", () => {
  it.each(cases)("maps %s (%s during %s) to the contract", (_what, name, operation, message, status, code) => {
    const mapped = mapCognitoError(cognitoError(name, message), operation);
    expect({ status: mapped.status, code: mapped.code }).toEqual({ status, code });
  });

  it("never passes Cognito's message through", () => {
    for (const [, name, operation, message] of cases) {
      const body = serializeApiError(mapCognitoError(cognitoError(name, message ?? "internal detail 7f3a"), operation));
      if (message !== undefined) expect(body.error.message).not.toBe(message);
      expect(body.error.message).not.toContain("internal detail 7f3a");
      expect(body.error.message).not.toMatch(/client abc|secret hash/i);
    }
  });

  it("names the broken password rule in its own words", () => {
    const mapped = mapCognitoError(cognitoError("InvalidPasswordException", "Password did not conform with policy: Password must have symbol characters"), "signUp");
    expect(mapped.message).toBe("The password needs a symbol.");
  });

  it("maps a refused connection to 503 service_unavailable", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9229"), { code: "ECONNREFUSED" });
    expect(mapCognitoError(refused, "passwordStep")).toMatchObject({ status: 503, code: "service_unavailable" });
  });

  it("maps a timeout to 503 service_unavailable", () => {
    const timeout = Object.assign(new Error("Connection timed out after 3000 ms"), { name: "TimeoutError" });
    expect(mapCognitoError(timeout, "signUp")).toMatchObject({ status: 503, code: "service_unavailable" });
  });

  it("maps an exception it does not know to 500 internal_error with a hidden message", () => {
    const unknown = cognitoError("ResourceNotFoundException", "User pool us-east-1_X does not exist.");
    const mapped = mapCognitoError(unknown, "signUp");
    expect({ status: mapped.status, code: mapped.code, expose: mapped.expose }).toEqual({ status: 500, code: "internal_error", expose: false });
  });

  it("keeps an unknown exception as the cause of its 500, so the log can say what Cognito answered", () => {
    const unknown = cognitoError("ResourceNotFoundException", "User pool us-east-1_X does not exist.");
    expect(mapCognitoError(unknown, "signUp").cause).toBe(unknown);
  });
});
