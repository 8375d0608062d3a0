/**
 * Cognito's modelled exceptions. Each carries the wire name (`__type`), the message AWS sends
 * and the HTTP status; `emulator/protocol.ts` serializes them in one place. Messages are the
 * real service's wording where it is known (docs/cognito-behaviour.md).
 */
export class CognitoError extends Error {
  /** Cognito's errors are the protocol: their messages are meant for the caller. */
  readonly expose: boolean = true;

  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

/** The one modelled server fault; the message never carries internals. */
export class InternalErrorException extends CognitoError {
  override readonly expose = false;

  constructor() {
    super("InternalErrorException", "An internal error occurred.", 500);
  }
}

function exception(type: string) {
  return class extends CognitoError {
    constructor(message: string) {
      super(type, message);
    }
  };
}

export const CodeMismatchException = exception("CodeMismatchException");
export const ExpiredCodeException = exception("ExpiredCodeException");
export const InvalidLambdaResponseException = exception("InvalidLambdaResponseException");
export const InvalidParameterException = exception("InvalidParameterException");
export const InvalidPasswordException = exception("InvalidPasswordException");
export const LimitExceededException = exception("LimitExceededException");
export const NotAuthorizedException = exception("NotAuthorizedException");
export const PasswordResetRequiredException = exception("PasswordResetRequiredException");
export const ResourceNotFoundException = exception("ResourceNotFoundException");
export const SerializationException = exception("SerializationException");
export const UnauthorizedException = exception("UnauthorizedException");
export const UnexpectedLambdaException = exception("UnexpectedLambdaException");
export const UnknownOperationException = exception("UnknownOperationException");
export const UnsupportedOperationException = exception("UnsupportedOperationException");
export const UnsupportedTokenTypeException = exception("UnsupportedTokenTypeException");
export const UserLambdaValidationException = exception("UserLambdaValidationException");
export const UserNotConfirmedException = exception("UserNotConfirmedException");
export const UserNotFoundException = exception("UserNotFoundException");
export const UsernameExistsException = exception("UsernameExistsException");

/** Messages shared by several operations (wording as reported from the real service). */
export const Messages = {
  incorrectCredentials: "Incorrect username or password.",
  passwordAttemptsExceeded: "Password attempts exceeded",
  userNotConfirmed: "User is not confirmed.",
  userDisabled: "User is disabled.",
  userDoesNotExist: "User does not exist.",
  usernameClientNotFound: "Username/client id combination not found.",
  codeMismatch: "Invalid verification code provided, please try again.",
  codeExpired: "Invalid code provided, please request a code again.",
  invalidSession: "Invalid session for the user.",
  expiredSession: "Invalid session for the user, session is expired.",
  accessTokenRevoked: "Access Token has been revoked",
  accessTokenExpired: "Access Token has expired",
  invalidAccessToken: "Invalid Access Token",
  refreshTokenRevoked: "Refresh Token has been revoked",
  refreshTokenExpired: "Refresh Token has expired",
  invalidRefreshToken: "Invalid Refresh Token",
} as const;
