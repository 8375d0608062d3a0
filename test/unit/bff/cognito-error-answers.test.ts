import * as sdk from "@aws-sdk/client-cognito-identity-provider";
import { describe, expect, it } from "vitest";
import { mapCognitoError, type CognitoOperation } from "../../../bff/cognito/cognito-errors";
import { serializeApiError } from "../../../bff/errors";

/**
 * What the user reads for each row of the Cognito error table: the body the API sends (our own
 * sentence, never Cognito's), and which 5xx answers show their sentence (a delivery failure, an
 * outage: something the user can act on by waiting) and which hide it (our misconfiguration).
 * The status and code of each row are in cognito-errors.test.ts.
 */

type ExceptionClass = new (options: { message: string; $metadata: { httpStatusCode: number } }) => Error;
function cognitoError(name: keyof typeof sdk, message = "Cognito's own words"): Error {
  const Exception = sdk[name] as unknown as ExceptionClass;
  return new Exception({ message, $metadata: { httpStatusCode: 400 } });
}

const answered = (error: unknown, operation: CognitoOperation) => serializeApiError(mapCognitoError(error, operation)).error;

describe("the sentence each Cognito refusal is answered with", () => {
  it.each<[string, keyof typeof sdk, CognitoOperation, string, { code: string; message: string }]>([
    [
      "a resend for a confirmed account",
      "InvalidParameterException",
      "resendConfirmationCode",
      "User is already confirmed.",
      { code: "bad_request", message: "This account is already confirmed. Sign in." },
    ],
    [
      "a wrong password outside sign-in",
      "NotAuthorizedException",
      "revokeToken",
      "Incorrect username or password.",
      { code: "invalid_credentials", message: "Incorrect email or password." },
    ],
    [
      "an unconfirmed account outside sign-in",
      "UserNotConfirmedException",
      "forgotPassword",
      "User is not confirmed.",
      { code: "user_not_confirmed", message: "Confirm your email address first: enter the code we sent you." },
    ],
    [
      "a reset Cognito requires",
      "PasswordResetRequiredException",
      "passwordStep",
      "Password reset required for the user",
      { code: "invalid_credentials", message: "Reset your password to continue." },
    ],
    [
      "a taken email",
      "UsernameExistsException",
      "signUp",
      "An account with the given email already exists.",
      { code: "username_exists", message: "An account with this email already exists." },
    ],
    [
      "a wrong code",
      "CodeMismatchException",
      "verifyUserAttribute",
      "Invalid verification code provided.",
      { code: "code_mismatch", message: "That code is not right. Check it and try again." },
    ],
    [
      "an expired code",
      "ExpiredCodeException",
      "verifyUserAttribute",
      "Invalid code provided, please request a code again.",
      { code: "expired_code", message: "That code has expired. Ask for a new one." },
    ],
    [
      "a confirmation code refused",
      "CodeMismatchException",
      "confirmSignUp",
      "Invalid verification code provided.",
      { code: "code_mismatch", message: "That code is not right, or it has expired. Check it, or ask for a new one." },
    ],
    [
      "sign-up's code not sent",
      "LimitExceededException",
      "signUp",
      "Exceeded daily email limit.",
      { code: "limit_exceeded", message: "Your account is created, but we cannot send its confirmation code right now. Sign up again with this email later to get it." },
    ],
    [
      "the resend limit",
      "LimitExceededException",
      "forgotPassword",
      "Attempt limit exceeded.",
      { code: "limit_exceeded", message: "Too many codes were sent to this address. Wait an hour and ask again." },
    ],
    [
      "Cognito's per-user limit elsewhere",
      "LimitExceededException",
      "changePassword",
      "Attempt limit exceeded.",
      { code: "limit_exceeded", message: "Too many attempts. Wait a few minutes and try again." },
    ],
    [
      "the change-password lockout",
      "NotAuthorizedException",
      "changePassword",
      "Password attempts exceeded",
      { code: "limit_exceeded", message: "Too many attempts. Wait a few minutes and try again." },
    ],
    [
      "a code that could not be sent",
      "CodeDeliveryFailureException",
      "forgotPassword",
      "SES said no",
      { code: "delivery_failed", message: "We could not send the code. Try again shortly." },
    ],
    [
      "the create-challenge trigger failing",
      "UserLambdaValidationException",
      "startCustomAuth",
      "CreateAuthChallenge failed with error x.",
      { code: "delivery_failed", message: "We could not send the sign-in code. Try again shortly." },
    ],
    [
      "another trigger failing",
      "UserLambdaValidationException",
      "respondToCustomChallenge",
      "DefineAuthChallenge failed with error x.",
      { code: "challenge_failed", message: "Sign-in could not be completed. Start again." },
    ],
    [
      "an unusable trigger answer",
      "UnexpectedLambdaException",
      "startCustomAuth",
      "Lambda threw.",
      { code: "service_unavailable", message: "Sign-in is temporarily unavailable. Try again shortly." },
    ],
    [
      "another invalid parameter",
      "InvalidParameterException",
      "signUp",
      "1 validation error detected",
      { code: "bad_request", message: "The request could not be processed." },
    ],
  ])("answers %s with our own sentence", (_what, name, operation, cognitoMessage, body) => {
    expect(answered(cognitoError(name, cognitoMessage), operation)).toEqual(body);
  });

  it("answers a wrong current password at change-password on the currentPassword field", () => {
    expect(answered(cognitoError("NotAuthorizedException", "Incorrect username or password."), "changePassword")).toEqual({
      code: "invalid_credentials",
      message: "Your current password is not right.",
      fields: { currentPassword: "Your current password is not right." },
    });
  });

  it("answers a wrong SECRET_HASH (our misconfiguration) with the generic 500 sentence, never Cognito's words", () => {
    const mapped = mapCognitoError(cognitoError("NotAuthorizedException", "Unable to verify secret hash for client abc"), "signUp");
    expect(mapped).toMatchObject({ status: 500, code: "internal_error", expose: false, message: "Client authentication with Cognito failed." });
  });

  it.each([
    ["Password did not conform with policy: Password not long enough", "The password is too short."],
    ["Password did not conform with policy: Password must have uppercase characters", "The password needs an upper-case letter."],
    ["Password did not conform with policy: Password must have lowercase characters", "The password needs a lower-case letter."],
    ["Password did not conform with policy: Password must have numeric characters", "The password needs a number."],
    ["Password did not conform with policy: Password must have symbol characters", "The password needs a symbol."],
    ["Password has previously been used", "The password does not meet the password rules."],
  ])("rebuilds the password policy sentence %j as %j", (cognitoMessage, sentence) => {
    expect(answered(cognitoError("InvalidPasswordException", cognitoMessage), "changePassword")).toEqual({ code: "invalid_password", message: sentence });
  });
});

describe("telling an outage from an unknown error", () => {
  const outage = { status: 503, code: "service_unavailable", expose: true, message: "Sign-in is temporarily unavailable. Try again shortly." };
  const unknown = { status: 500, code: "internal_error", expose: false, message: "Unexpected Cognito error." };
  const withStatus = (httpStatusCode: number, name = "SomeNewException") => Object.assign(new Error("x"), { name, $metadata: { httpStatusCode } });

  it("answers an unknown exception with a 5xx HTTP answer as an outage (503)", () => {
    expect(mapCognitoError(withStatus(500), "signUp")).toMatchObject(outage);
    expect(mapCognitoError(withStatus(503), "signUp")).toMatchObject(outage);
  });

  it("answers an unknown exception with a 4xx HTTP answer as our error (500), even if its message looks like a network failure", () => {
    expect(mapCognitoError(Object.assign(withStatus(400), { message: "ECONNRESET" }), "signUp")).toMatchObject(unknown);
    expect(mapCognitoError(Object.assign(withStatus(499, "TimeoutError"), { $fault: "server" }), "signUp")).toMatchObject(unknown);
  });

  it.each([
    ["the SDK's timeout", { name: "TimeoutError", message: "" }],
    ["a request timeout", { name: "RequestTimeout", message: "" }],
    ["a reset connection", { name: "Error", message: "read ECONNRESET" }],
    ["an unresolvable host", { name: "Error", message: "getaddrinfo ENOTFOUND cognito-idp.example" }],
    ["a dropped socket", { name: "Error", message: "socket hang up" }],
    ["a server fault without a status", { name: "Error", message: "", $fault: "server" }],
  ])("answers %s without an HTTP answer as an outage (503)", (_what, error) => {
    expect(mapCognitoError(Object.assign(new Error(error.message), error), "getUser")).toMatchObject(outage);
  });

  it("answers a client fault without an HTTP answer as our error (500)", () => {
    expect(mapCognitoError(Object.assign(new Error("bad input"), { $fault: "client" }), "getUser")).toMatchObject(unknown);
  });

  it("reads nothing from a thrown value that is not an error, or a name or message that is not a string", () => {
    expect(mapCognitoError("NotAuthorizedException", "passwordStep")).toMatchObject(unknown);
    expect(mapCognitoError(undefined, "passwordStep")).toMatchObject(unknown);
    expect(mapCognitoError({ name: ["NotAuthorizedException"], message: "x" }, "passwordStep")).toMatchObject(unknown);
    expect(mapCognitoError({ name: "NotAuthorizedException", message: ["secret hash"] }, "signUp")).toMatchObject({ status: 401, code: "invalid_credentials" });
  });
});
