import {
  AdminGetUserCommand,
  AdminUserGlobalSignOutCommand,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  DeleteUserCommand,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
  type AuthenticationResultType,
  type CodeDeliveryDetailsType,
  type CognitoIdentityProviderClient,
  type InitiateAuthCommandOutput,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Delivery } from "../../common/api-contract";
import { MetricName } from "../../common/metric-names";
import type { CognitoSettings } from "../config";
import { ApiError } from "../errors";
import type { Logger } from "../logger";
import { metricsFor } from "../metrics";
import { computeSecretHash } from "./cognito-client";
import { mapCognitoError, type CognitoOperation } from "./cognito-errors";
import { SrpProtocolError, passwordClaim, startSrpHandshake } from "./srp-client";

/**
 * Every Cognito call of the BFF, in one place (the only module besides cognito-client.ts that
 * touches the SDK). Errors leave as ApiErrors mapped by cognito-errors.ts.
 */

export interface CognitoTokens {
  idToken: string;
  accessToken: string;
  /** Absent on REFRESH_TOKEN_AUTH answers (Cognito does not rotate refresh tokens there). */
  refreshToken: string | undefined;
  /** Access-token lifetime in seconds. */
  expiresIn: number;
}

export interface CustomChallenge {
  /** Cognito's Session string for the next answer (single use, a few minutes). */
  session: string;
  /** The internal username (ChallengeParameters.USERNAME), needed in every answer. */
  username: string;
  /** ChallengeParameters without USERNAME, e.g. {step:"OTP", destination, attemptsLeft}. */
  parameters: Record<string, string>;
}

export type ChallengeOutcome = { type: "challenge"; challenge: CustomChallenge } | { type: "tokens"; tokens: CognitoTokens };

export interface CognitoUser {
  username: string;
  attributes: Record<string, string>;
}

export interface SignUpResult {
  userSub: string;
  userConfirmed: boolean;
  delivery: Delivery;
}

export interface CognitoGateway {
  /** `locale` ("en" | "ja", the SPA's language) becomes the user's `locale` attribute, which picks the language of their mails. */
  signUp(input: { email: string; password: string; locale?: string | undefined }): Promise<SignUpResult>;
  confirmSignUp(input: { email: string; code: string }): Promise<void>;
  resendConfirmationCode(input: { email: string }): Promise<Delivery>;
  /** InitiateAuth CUSTOM_AUTH; `username` may be the email or the internal username. */
  startCustomAuth(input: { username: string }): Promise<CustomChallenge>;
  /**
   * InitiateAuth CUSTOM_AUTH with SRP_A, then the PASSWORD_VERIFIER answer (srp-client.ts): Cognito
   * itself checks the password and records it in the attempt, so the define trigger can require it
   * beside the second factor. Answers the first custom round; a wrong password is invalid_credentials.
   */
  startCustomAuthWithPassword(input: { email: string; password: string }): Promise<CustomChallenge>;
  respondToCustomChallenge(input: { username: string; session: string; answer: string; clientMetadata?: Record<string, string> }): Promise<ChallengeOutcome>;
  /** REFRESH_TOKEN_AUTH; `username` is the internal one (it keys the SECRET_HASH). */
  refreshTokens(input: { refreshToken: string; username: string }): Promise<CognitoTokens>;
  getUser(accessToken: string): Promise<CognitoUser>;
  revokeToken(refreshToken: string): Promise<void>;
  globalSignOut(accessToken: string): Promise<void>;
  forgotPassword(input: { email: string }): Promise<Delivery>;
  confirmForgotPassword(input: { email: string; code: string; password: string }): Promise<void>;
  /** ChangePassword: the signed-in user replaces the password they know. */
  changePassword(input: { accessToken: string; previousPassword: string; proposedPassword: string }): Promise<void>;
  /**
   * UpdateUserAttributes with a new email: Cognito sends a code to it. With the pool's "keep
   * original attribute value active" setting the old address stays the one that signs in until
   * the code is verified (docs/cognito-behaviour.md, "Changing the email").
   */
  updateEmail(input: { accessToken: string; email: string }): Promise<Delivery>;
  /** VerifyUserAttribute for `email`: the pending address becomes the account's. */
  verifyEmail(input: { accessToken: string; code: string }): Promise<void>;
  /** GetUserAttributeVerificationCode for `email`: another code to the pending (or current) address. */
  resendEmailCode(accessToken: string): Promise<Delivery>;
  /** DeleteUser: the user deletes their own account. */
  deleteUser(accessToken: string): Promise<void>;
  /**
   * AdminGetUser (the one admin call, IAM `cognito-idp:AdminGetUser`): whether the user still
   * exists and is enabled; undefined when Cognito no longer knows it. The OpenID Provider's live
   * check of a user who has no Tobira session left (bff/oidc/live-user.ts).
   */
  adminGetUser?(username: string): Promise<{ enabled: boolean } | undefined>;
  /**
   * AdminUserGlobalSignOut (IAM `cognito-idp:AdminUserGlobalSignOut`): ends every refresh token of
   * the user for every app client, without needing one of the user's tokens; `username` may be
   * the email the pool signs in with. False when Cognito does not know the user. After a
   * password reset (bff/password/after-reset.ts).
   */
  adminUserGlobalSignOut?(username: string): Promise<boolean>;
}

/** Masks an email the way Cognito's CodeDeliveryDetails do ("a***@e***", nothing of the top-level domain). */
export function maskEmailAddress(email: string): string {
  const at = email.lastIndexOf("@");
  return `${email.charAt(0)}***@${email.charAt(at + 1)}***`;
}

function isCognitoError(error: unknown, name: string, message?: RegExp): boolean {
  return error instanceof Error && error.name === name && (message === undefined || message.test(error.message));
}

function toDelivery(details: CodeDeliveryDetailsType | undefined, email: string): Delivery {
  return {
    medium: details?.DeliveryMedium === "SMS" ? "SMS" : "EMAIL",
    destination: details?.Destination ?? maskEmailAddress(email),
  };
}

function toTokens(result: AuthenticationResultType | undefined): CognitoTokens {
  if (result?.IdToken === undefined || result.AccessToken === undefined) {
    // Stryker disable next-line ObjectLiteral: a 5xx ApiError is not exposed by default either (bff/errors.ts); expose: false says so here
    throw new ApiError(502, "service_unavailable", "Cognito answered without tokens.", { expose: false });
  }
  return { idToken: result.IdToken, accessToken: result.AccessToken, refreshToken: result.RefreshToken, expiresIn: result.ExpiresIn ?? 3600 };
}

function toChallenge(output: Pick<InitiateAuthCommandOutput, "ChallengeName" | "Session" | "ChallengeParameters">): CustomChallenge {
  const { USERNAME: username, ...parameters } = output.ChallengeParameters ?? {};
  if (output.ChallengeName !== "CUSTOM_CHALLENGE" || output.Session === undefined || username === undefined) {
    throw new ApiError(502, "challenge_failed", "Sign-in could not be completed. Start again.", { expose: true });
  }
  return { session: output.Session, username, parameters };
}

export function createCognitoGateway(deps: { client: CognitoIdentityProviderClient; settings: CognitoSettings; logger: Logger }): CognitoGateway {
  const { client, settings, logger } = deps;
  const clientId = settings.clientId;
  const secretHash = (username: string) => computeSecretHash(settings, username);

  const metrics = metricsFor(logger);

  async function call<T>(operation: CognitoOperation, run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await run();
    } catch (error) {
      const mapped = mapCognitoError(error, operation);
      // The exception name is enough to diagnose; messages and inputs may carry user data.
      const cognitoError = error instanceof Error ? error.name : "unknown";
      if (mapped.status >= 500) logger.warn({ operation, cognitoError, status: mapped.status, err: error }, "cognito call failed");
      else logger.debug({ operation, cognitoError, errorCode: mapped.code }, "cognito refused");
      // A fault is Cognito's or the network's (5xx, deadline, the pool's request quota), not the user's input.
      if (mapped.status >= 500 || cognitoError === "TooManyRequestsException") metrics.count(MetricName.CognitoError, {}, { operation, cognitoError });
      throw mapped;
    } finally {
      metrics.duration(MetricName.CognitoLatency, performance.now() - started, { operation });
    }
  }

  /** ResendConfirmationCode as the API answers it: the same delivery for unknown and confirmed accounts. */
  async function resendConfirmation(email: string): Promise<Delivery> {
    try {
      const output = await client.send(new ResendConfirmationCodeCommand({ ClientId: clientId, SecretHash: secretHash(email), Username: email }));
      return toDelivery(output.CodeDeliveryDetails, email);
    } catch (error) {
      // A LEGACY client reveals unknown users here; answer like PreventUserExistenceErrors=ENABLED does.
      if (isCognitoError(error, "UserNotFoundException")) return toDelivery(undefined, email);
      // A confirmed account: some pools refuse, others send a code (docs/cognito-behaviour.md,
      // "Settings"). Either way the answer is the unknown account's, so it reveals nothing.
      if (isCognitoError(error, "InvalidParameterException", /already confirmed/i)) return toDelivery(undefined, email);
      throw error;
    }
  }

  /**
   * Whether a taken email belongs to an account that was never confirmed. Cognito answers
   * InitiateAuth with UserNotConfirmedException for such an account before any trigger runs; any
   * other answer (a challenge, a refusal) means a confirmed or disabled account. The challenge
   * started for a confirmed account is abandoned: it sends nothing and expires.
   */
  async function isUnconfirmed(email: string): Promise<boolean> {
    try {
      await client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "CUSTOM_AUTH", AuthParameters: { USERNAME: email, SECRET_HASH: secretHash(email) } }));
      return false;
    } catch (error) {
      if (isCognitoError(error, "UserNotConfirmedException")) return true;
      if (isCognitoError(error, "NotAuthorizedException") || isCognitoError(error, "UserNotFoundException")) return false;
      throw error;
    }
  }

  return {
    signUp: ({ email, password, locale }) =>
      call("signUp", async () => {
        try {
          const output = await client.send(
            new SignUpCommand({
              ClientId: clientId,
              SecretHash: secretHash(email),
              Username: email,
              Password: password,
              UserAttributes: [{ Name: "email", Value: email }, ...(locale === undefined ? [] : [{ Name: "locale", Value: locale }])],
            }),
          );
          return { userSub: output.UserSub ?? "", userConfirmed: output.UserConfirmed ?? false, delivery: toDelivery(output.CodeDeliveryDetails, email) };
        } catch (error) {
          // SignUp can fail after creating the user (its code not sent: LimitExceededException), and
          // anyone may abandon a sign-up; signing up again then sends a new code to that address
          // instead of a dead end. Only the mailbox's owner can use it; a confirmed account stays "taken".
          if (!isCognitoError(error, "UsernameExistsException") || !(await isUnconfirmed(email))) throw error;
          return { userSub: "", userConfirmed: false, delivery: await resendConfirmation(email) };
        }
      }),

    confirmSignUp: ({ email, code }) =>
      call("confirmSignUp", async () => {
        await client.send(new ConfirmSignUpCommand({ ClientId: clientId, SecretHash: secretHash(email), Username: email, ConfirmationCode: code }));
      }),

    resendConfirmationCode: ({ email }) => call("resendConfirmationCode", () => resendConfirmation(email)),

    startCustomAuth: ({ username }) =>
      call("startCustomAuth", async () => {
        const output = await client.send(
          new InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: "CUSTOM_AUTH",
            AuthParameters: { USERNAME: username, SECRET_HASH: secretHash(username) },
          }),
        );
        return toChallenge(output);
      }),

    startCustomAuthWithPassword: ({ email, password }) =>
      // NotAuthorizedException here is a wrong password or an unknown user: invalid_credentials.
      call("passwordStep", async () => {
        const handshake = startSrpHandshake();
        const started = await client.send(
          new InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: "CUSTOM_AUTH",
            AuthParameters: { USERNAME: email, SECRET_HASH: secretHash(email), CHALLENGE_NAME: "SRP_A", SRP_A: handshake.srpA },
          }),
        );
        const parameters = started.ChallengeParameters ?? {};
        const { SALT, SRP_B, SECRET_BLOCK, USER_ID_FOR_SRP, USERNAME: username } = parameters;
        if (started.ChallengeName !== "PASSWORD_VERIFIER" || !SALT || !SRP_B || !SECRET_BLOCK || !USER_ID_FOR_SRP || !username) {
          logger.warn({ challenge: started.ChallengeName }, "CUSTOM_AUTH with SRP_A did not ask for the password verifier");
          throw new ApiError(502, "challenge_failed", "Sign-in could not be completed. Start again.", { expose: true });
        }
        let claim;
        try {
          claim = passwordClaim({ handshake, userPoolId: settings.userPoolId, password, parameters: { SALT, SRP_B, SECRET_BLOCK, USER_ID_FOR_SRP }, at: new Date() });
        } catch (error) {
          if (error instanceof SrpProtocolError) throw new ApiError(502, "challenge_failed", "Sign-in could not be completed. Start again.", { expose: true });
          throw error;
        }
        const verified = await client.send(
          new RespondToAuthChallengeCommand({
            ClientId: clientId,
            ChallengeName: "PASSWORD_VERIFIER",
            Session: started.Session,
            ChallengeResponses: { USERNAME: username, SECRET_HASH: secretHash(username), ...claim },
          }),
        );
        return toChallenge(verified);
      }),

    respondToCustomChallenge: ({ username, session, answer, clientMetadata }) =>
      call("respondToCustomChallenge", async () => {
        const output = await client.send(
          new RespondToAuthChallengeCommand({
            ClientId: clientId,
            ChallengeName: "CUSTOM_CHALLENGE",
            Session: session,
            ChallengeResponses: { USERNAME: username, ANSWER: answer, SECRET_HASH: secretHash(username) },
            ClientMetadata: clientMetadata,
          }),
        );
        if (output.AuthenticationResult !== undefined) return { type: "tokens", tokens: toTokens(output.AuthenticationResult) };
        return { type: "challenge", challenge: toChallenge(output) };
      }),

    refreshTokens: ({ refreshToken, username }) =>
      call("refreshTokens", async () => {
        const output = await client.send(
          new InitiateAuthCommand({
            ClientId: clientId,
            AuthFlow: "REFRESH_TOKEN_AUTH",
            // The refresh SECRET_HASH uses the internal username (docs/cognito-behaviour.md, "SECRET_HASH").
            AuthParameters: { REFRESH_TOKEN: refreshToken, SECRET_HASH: secretHash(username) },
          }),
        );
        return toTokens(output.AuthenticationResult);
      }),

    getUser: (accessToken) =>
      call("getUser", async () => {
        const output = await client.send(new GetUserCommand({ AccessToken: accessToken }));
        const attributes: Record<string, string> = {};
        // Stryker disable next-line ArrayDeclaration: a non-object stand-in element has no Name and is skipped like an empty list
        for (const attribute of output.UserAttributes ?? []) {
          if (attribute.Name !== undefined && attribute.Value !== undefined) attributes[attribute.Name] = attribute.Value;
        }
        return { username: output.Username ?? "", attributes };
      }),

    revokeToken: (refreshToken) =>
      call("revokeToken", async () => {
        // RevokeToken takes the client secret itself, not a SECRET_HASH.
        await client.send(new RevokeTokenCommand({ ClientId: clientId, ClientSecret: settings.clientSecret, Token: refreshToken }));
      }),

    globalSignOut: (accessToken) =>
      call("globalSignOut", async () => {
        await client.send(new GlobalSignOutCommand({ AccessToken: accessToken }));
      }),

    forgotPassword: ({ email }) =>
      call("forgotPassword", async () => {
        try {
          const output = await client.send(new ForgotPasswordCommand({ ClientId: clientId, SecretHash: secretHash(email), Username: email }));
          return toDelivery(output.CodeDeliveryDetails, email);
        } catch (error) {
          // As with PreventUserExistenceErrors=ENABLED: an unknown user gets a simulated delivery.
          if (error instanceof Error && error.name === "UserNotFoundException") return toDelivery(undefined, email);
          throw error;
        }
      }),

    changePassword: ({ accessToken, previousPassword, proposedPassword }) =>
      call("changePassword", async () => {
        await client.send(new ChangePasswordCommand({ AccessToken: accessToken, PreviousPassword: previousPassword, ProposedPassword: proposedPassword }));
      }),

    updateEmail: ({ accessToken, email }) =>
      call("updateUserAttributes", async () => {
        const output = await client.send(new UpdateUserAttributesCommand({ AccessToken: accessToken, UserAttributes: [{ Name: "email", Value: email }] }));
        return toDelivery(
          output.CodeDeliveryDetailsList?.find((details) => details.AttributeName === "email"),
          email,
        );
      }),

    verifyEmail: ({ accessToken, code }) =>
      call("verifyUserAttribute", async () => {
        await client.send(new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: "email", Code: code }));
      }),

    resendEmailCode: (accessToken) =>
      call("getUserAttributeVerificationCode", async () => {
        const output = await client.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: accessToken, AttributeName: "email" }));
        return toDelivery(output.CodeDeliveryDetails, "");
      }),

    deleteUser: (accessToken) =>
      call("deleteUser", async () => {
        await client.send(new DeleteUserCommand({ AccessToken: accessToken }));
      }),

    adminGetUser: (username) =>
      call("adminGetUser", async () => {
        try {
          const output = await client.send(new AdminGetUserCommand({ UserPoolId: settings.userPoolId, Username: username }));
          return { enabled: output.Enabled !== false };
        } catch (error) {
          if (isCognitoError(error, "UserNotFoundException")) return undefined;
          throw error;
        }
      }),

    adminUserGlobalSignOut: (username) =>
      call("adminUserGlobalSignOut", async () => {
        try {
          await client.send(new AdminUserGlobalSignOutCommand({ UserPoolId: settings.userPoolId, Username: username }));
          return true;
        } catch (error) {
          if (isCognitoError(error, "UserNotFoundException")) return false;
          throw error;
        }
      }),

    confirmForgotPassword: ({ email, code, password }) =>
      call("confirmForgotPassword", async () => {
        await client.send(
          new ConfirmForgotPasswordCommand({ ClientId: clientId, SecretHash: secretHash(email), Username: email, ConfirmationCode: code, Password: password }),
        );
      }),
  };
}
