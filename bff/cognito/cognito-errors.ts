import { ApiError } from "../errors";

/**
 * Cognito exceptions → the contract's errors, in ONE table. Each row names the exception, and
 * optionally the operations and the message it applies to; the first matching row wins. No SDK
 * message reaches a response except the password-policy sentence, which is rebuilt from a
 * fixed list (Cognito's own messages carry client ids and internals).
 */

export type CognitoOperation =
  | "signUp"
  | "confirmSignUp"
  | "resendConfirmationCode"
  /** The password step inside CUSTOM_AUTH (SRP_A, PASSWORD_VERIFIER). */
  | "passwordStep"
  | "startCustomAuth"
  | "respondToCustomChallenge"
  | "refreshTokens"
  | "getUser"
  | "revokeToken"
  | "globalSignOut"
  | "forgotPassword"
  | "confirmForgotPassword"
  | "changePassword"
  | "updateUserAttributes"
  | "verifyUserAttribute"
  | "getUserAttributeVerificationCode"
  | "deleteUser"
  | "adminGetUser"
  | "adminUserGlobalSignOut";

interface MappingRule {
  names: readonly string[];
  operations?: readonly CognitoOperation[];
  message?: RegExp;
  toError: (message: string) => ApiError;
}

const signInOperations = ["passwordStep", "startCustomAuth"] as const;
const tokenOperations = [
  "refreshTokens",
  "getUser",
  "globalSignOut",
  "changePassword",
  "updateUserAttributes",
  "verifyUserAttribute",
  "getUserAttributeVerificationCode",
  "deleteUser",
] as const;

const messages = {
  invalidCredentials: "Incorrect email or password.",
  sessionExpired: "Your sign-in has expired. Start again.",
  signedOut: "Your session has ended. Sign in again.",
  challengeFailed: "Too many wrong codes. Start signing in again.",
  codeMismatch: "That code is not right. Check it and try again.",
  codeNotAccepted: "That code is not right, or it has expired. Check it, or ask for a new one.",
  expiredCode: "That code has expired. Ask for a new one.",
  tooManyAttempts: "Too many attempts. Wait a few minutes and try again.",
} as const;

const passwordRules: Record<string, string> = {
  "Password not long enough": "The password is too short.",
  "Password must have uppercase characters": "The password needs an upper-case letter.",
  "Password must have lowercase characters": "The password needs a lower-case letter.",
  "Password must have numeric characters": "The password needs a number.",
  "Password must have symbol characters": "The password needs a symbol.",
};

/** "Password did not conform with policy: Password must have numeric characters" → our sentence. */
function passwordPolicyMessage(cognitoMessage: string): string {
  const rule = Object.keys(passwordRules).find((text) => cognitoMessage.includes(text));
  return rule !== undefined ? passwordRules[rule]! : "The password does not meet the password rules.";
}

export const cognitoErrorTable: readonly MappingRule[] = [
  // A wrong client secret or SECRET_HASH is our misconfiguration, never the user's fault.
  {
    names: ["NotAuthorizedException"],
    message: /secret hash|SecretHash|configured for secret|Unable to verify secret/i,
    // Stryker disable next-line ObjectLiteral: a 5xx ApiError is not exposed by default either (bff/errors.ts); expose: false says so here
    toError: () => new ApiError(500, "internal_error", "Client authentication with Cognito failed.", { expose: false }),
  },
  // Unknown users, disabled users and wrong passwords look the same (OWASP Authentication Cheat
  // Sheet), and so does Cognito's lockout ("Password attempts exceeded"): an unknown account is
  // never locked, so a 429 here would tell which accounts exist. Strangers are throttled before
  // Cognito sees them, per account whether it exists or not (bff/throttle/).
  {
    names: ["NotAuthorizedException", "UserNotFoundException"],
    operations: signInOperations,
    toError: () => new ApiError(401, "invalid_credentials", messages.invalidCredentials),
  },
  {
    names: ["NotAuthorizedException"],
    operations: ["respondToCustomChallenge"],
    message: /session/i,
    toError: () => new ApiError(401, "session_expired", messages.sessionExpired),
  },
  { names: ["NotAuthorizedException"], operations: ["respondToCustomChallenge"], toError: () => new ApiError(401, "challenge_failed", messages.challengeFailed) },
  // ChangePassword names a wrong current password with the sign-in wording; its lockout as at sign-in.
  {
    names: ["NotAuthorizedException"],
    operations: ["changePassword"],
    message: /Password attempts exceeded/i,
    toError: () => new ApiError(429, "limit_exceeded", messages.tooManyAttempts),
  },
  {
    names: ["NotAuthorizedException"],
    operations: ["changePassword"],
    message: /Incorrect username or password/i,
    toError: () =>
      new ApiError(400, "invalid_credentials", "Your current password is not right.", { extra: { fields: { currentPassword: "Your current password is not right." } } }),
  },
  { names: ["NotAuthorizedException", "UserNotFoundException"], operations: tokenOperations, toError: () => new ApiError(401, "session_expired", messages.signedOut) },
  // Confirming a sign-up or a reset answers alike for unknown accounts, confirmed ones, expired
  // codes and codes never sent: Cognito answers an unknown account CodeMismatchException
  // (PreventUserExistenceErrors), so any other answer would tell that the account exists.
  {
    names: ["UserNotFoundException", "CodeMismatchException", "ExpiredCodeException", "NotAuthorizedException"],
    operations: ["confirmSignUp", "confirmForgotPassword"],
    toError: () => new ApiError(400, "code_mismatch", messages.codeNotAccepted),
  },
  {
    names: ["InvalidParameterException"],
    operations: ["resendConfirmationCode"],
    message: /already confirmed/i,
    toError: () => new ApiError(400, "bad_request", "This account is already confirmed. Sign in."),
  },
  { names: ["NotAuthorizedException", "UserNotFoundException"], toError: () => new ApiError(401, "invalid_credentials", messages.invalidCredentials) },
  // Cognito answers "not confirmed" whatever the password (docs/cognito-behaviour.md, "Password
  // sign-in"): at sign-in that would tell anyone that the account exists and offer its confirmation,
  // so it is answered exactly like a wrong password (OWASP Authentication Cheat Sheet).
  { names: ["UserNotConfirmedException"], operations: signInOperations, toError: () => new ApiError(401, "invalid_credentials", messages.invalidCredentials) },
  { names: ["UserNotConfirmedException"], toError: () => new ApiError(403, "user_not_confirmed", "Confirm your email address first: enter the code we sent you.") },
  { names: ["PasswordResetRequiredException"], toError: () => new ApiError(403, "invalid_credentials", "Reset your password to continue.") },
  { names: ["UsernameExistsException", "AliasExistsException"], toError: () => new ApiError(409, "username_exists", "An account with this email already exists.") },
  {
    names: ["InvalidPasswordException", "PasswordHistoryPolicyViolationException"],
    toError: (message) => new ApiError(400, "invalid_password", passwordPolicyMessage(message)),
  },
  { names: ["CodeMismatchException"], toError: () => new ApiError(400, "code_mismatch", messages.codeMismatch) },
  { names: ["ExpiredCodeException"], toError: () => new ApiError(400, "expired_code", messages.expiredCode) },
  // Cognito's per-user limits and its daily mail limit (docs/cognito-behaviour.md, "Quotas"). SignUp
  // meets them after the user exists: signing up again resends the code (cognito-gateway.ts).
  {
    names: ["LimitExceededException"],
    operations: ["signUp"],
    toError: () =>
      new ApiError(429, "limit_exceeded", "Your account is created, but we cannot send its confirmation code right now. Sign up again with this email later to get it."),
  },
  {
    names: ["LimitExceededException"],
    operations: ["resendConfirmationCode", "forgotPassword"],
    toError: () => new ApiError(429, "limit_exceeded", "Too many codes were sent to this address. Wait an hour and ask again."),
  },
  {
    names: ["LimitExceededException", "TooManyRequestsException", "TooManyFailedAttemptsException"],
    toError: () => new ApiError(429, "limit_exceeded", messages.tooManyAttempts),
  },
  { names: ["CodeDeliveryFailureException"], toError: () => new ApiError(502, "delivery_failed", "We could not send the code. Try again shortly.", { expose: true }) },
  // A challenge trigger that throws: CreateAuthChallenge is the one that sends the code.
  {
    names: ["UserLambdaValidationException"],
    message: /CreateAuthChallenge/,
    toError: () => new ApiError(502, "delivery_failed", "We could not send the sign-in code. Try again shortly.", { expose: true }),
  },
  { names: ["UserLambdaValidationException"], toError: () => new ApiError(502, "challenge_failed", "Sign-in could not be completed. Start again.", { expose: true }) },
  {
    names: ["InvalidLambdaResponseException", "UnexpectedLambdaException", "InternalErrorException"],
    toError: () => new ApiError(503, "service_unavailable", "Sign-in is temporarily unavailable. Try again shortly.", { expose: true }),
  },
  { names: ["InvalidParameterException"], toError: () => new ApiError(400, "bad_request", "The request could not be processed.") },
];

interface SdkLikeError {
  name?: unknown;
  message?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/** Connection refused, DNS, timeouts: no HTTP answer from Cognito at all. */
function isNetworkError(error: SdkLikeError): boolean {
  if (error.$metadata?.httpStatusCode !== undefined) return error.$metadata.httpStatusCode >= 500;
  return (
    error.name === "TimeoutError" ||
    error.name === "RequestTimeout" ||
    // Stryker disable next-line StringLiteral: any fallback text without a network error's words tests the same as ""
    /ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|socket hang up|fetch failed/i.test(String(error.message ?? "")) ||
    error.$fault === "server"
  );
}

export function mapCognitoError(error: unknown, operation: CognitoOperation): ApiError {
  if (error instanceof ApiError) return error;
  const sdkError = (typeof error === "object" && error !== null ? error : {}) as SdkLikeError;
  const name = typeof sdkError.name === "string" ? sdkError.name : "";
  const message = typeof sdkError.message === "string" ? sdkError.message : "";
  const rule = cognitoErrorTable.find(
    (candidate) =>
      candidate.names.includes(name) &&
      (candidate.operations === undefined || candidate.operations.includes(operation)) &&
      (candidate.message === undefined || candidate.message.test(message)),
  );
  if (rule !== undefined) return rule.toError(message);
  if (isNetworkError(sdkError)) {
    return new ApiError(503, "service_unavailable", "Sign-in is temporarily unavailable. Try again shortly.", { expose: true, cause: error });
  }
  return new ApiError(500, "internal_error", "Unexpected Cognito error.", { expose: false, cause: error });
}
