import { z } from "zod";
import type { AppClientConfig } from "../../common/local-config";
import { InvalidParameterException, Messages, NotAuthorizedException, PasswordResetRequiredException, UserNotConfirmedException, UserNotFoundException } from "../errors";
import { isLockedOut, recordFailure } from "../lockout";
import { verifyDecoyPassword, verifyPassword } from "../passwords";
import { type Operation, type PoolContext, allowsFlow, hidesUserExistence, requireClient } from "../pool";
import { assertSecretHash, assertSecretHashPresent } from "../secret-hash";
import { Fields, awsEnum, parseInput, requireParameter } from "../validation";
import { continueCustomAuth } from "./custom-auth";
import { SRP_A_ENTRY, srpStart } from "./srp-custom-auth";

const AUTH_FLOWS = [
  "USER_SRP_AUTH",
  "REFRESH_TOKEN_AUTH",
  "REFRESH_TOKEN",
  "CUSTOM_AUTH",
  "ADMIN_NO_SRP_AUTH",
  "USER_PASSWORD_AUTH",
  "ADMIN_USER_PASSWORD_AUTH",
  "USER_AUTH",
] as const;

const input = z.object({
  AuthFlow: awsEnum(AUTH_FLOWS),
  ClientId: Fields.clientId,
  AuthParameters: Fields.stringMap.optional(),
  ClientMetadata: Fields.stringMap.optional(),
  AnalyticsMetadata: z.unknown().optional(),
  UserContextData: z.unknown().optional(),
  Session: Fields.session.optional(),
});

type Parameters = Record<string, string> | undefined;

function requireFlow(client: AppClientConfig, flow: "USER_PASSWORD_AUTH" | "CUSTOM_AUTH" | "REFRESH_TOKEN_AUTH"): void {
  if (!allowsFlow(client, flow)) throw new InvalidParameterException(`${flow} flow not enabled for this client`);
}

/**
 * USER_PASSWORD_AUTH, with Cognito's lockout and PreventUserExistenceErrors behaviour. An
 * unconfirmed user is UserNotConfirmedException whatever the password: Cognito checks the
 * account's state before the password (docs/cognito-behaviour.md, "Password sign-in").
 */
async function userPasswordAuth(ctx: PoolContext, client: AppClientConfig, parameters: Parameters): Promise<object> {
  const username = requireParameter(parameters, "USERNAME");
  const password = requireParameter(parameters, "PASSWORD");
  assertSecretHash(client, username, parameters?.SECRET_HASH, "parameter");

  const user = ctx.users.find(username);
  if (user === undefined) {
    await verifyDecoyPassword(password);
    if (hidesUserExistence(client)) throw new NotAuthorizedException(Messages.incorrectCredentials);
    throw new UserNotFoundException(Messages.userDoesNotExist);
  }
  if (!user.enabled) throw new NotAuthorizedException(Messages.userDisabled);
  if (user.status === "UNCONFIRMED") {
    // The same time as a real check, but the password is not judged and no failure is counted.
    await verifyDecoyPassword(password);
    throw new UserNotConfirmedException(Messages.userNotConfirmed);
  }
  const now = ctx.now();
  if (isLockedOut(user.failedSignIns, now)) throw new NotAuthorizedException(Messages.passwordAttemptsExceeded);
  if (!(await verifyPassword(password, user.passwordHash))) {
    user.failedSignIns = recordFailure(user.failedSignIns, now);
    await ctx.users.save();
    throw new NotAuthorizedException(Messages.incorrectCredentials);
  }
  if (user.failedSignIns !== undefined) {
    delete user.failedSignIns;
    await ctx.users.save();
  }
  // Only a caller who knows the password learns that a reset is required.
  if (user.status === "RESET_REQUIRED") throw new PasswordResetRequiredException("Password reset required for the user");
  return { ChallengeParameters: {}, AuthenticationResult: await ctx.tokens.signIn(user, client) };
}

/** CUSTOM_AUTH (optionally opened by SRP_A): Define then Create, with no ClientMetadata (it reaches the challenge triggers only from RespondToAuthChallenge). */
async function customAuth(ctx: PoolContext, client: AppClientConfig, parameters: Parameters): Promise<object> {
  const username = requireParameter(parameters, "USERNAME");
  assertSecretHash(client, username, parameters?.SECRET_HASH, "parameter");
  const user = ctx.users.find(username);
  if (user === undefined) {
    // ENABLED: the flow goes on with userNotFound, so the answer looks like any other user's.
    if (!hidesUserExistence(client)) throw new UserNotFoundException(Messages.userDoesNotExist);
  } else {
    if (!user.enabled) throw new NotAuthorizedException(Messages.userDisabled);
    if (user.status === "UNCONFIRMED") throw new UserNotConfirmedException(Messages.userNotConfirmed);
  }
  // With SRP_A the password is the first step, run by Cognito itself (srp-custom-auth.ts).
  const srpA = srpStart(parameters);
  const history = srpA === undefined ? [] : [SRP_A_ENTRY];
  return continueCustomAuth(ctx, { userName: user?.username ?? username, user, client }, history, undefined, srpA);
}

/**
 * REFRESH_TOKEN_AUTH: new ID and access tokens, no new refresh token. SECRET_HASH is computed
 * over the user's internal username, not the alias typed at sign-in (docs/cognito-behaviour.md, "SECRET_HASH").
 * A client with refresh-token rotation refuses this flow (it refreshes with GetTokensFromRefreshToken);
 * a deleted user is UserNotFoundException.
 */
async function refreshTokenAuth(ctx: PoolContext, client: AppClientConfig, parameters: Parameters): Promise<object> {
  if (client.refreshTokenRotation === "ENABLED") {
    throw new NotAuthorizedException("Refresh token rotation is enabled for this client: use GetTokensFromRefreshToken.");
  }
  const refreshToken = requireParameter(parameters, "REFRESH_TOKEN");
  assertSecretHashPresent(client, parameters?.SECRET_HASH, "parameter");
  const lineage = ctx.signIns.findByRefreshToken(refreshToken);
  if (lineage === undefined || lineage.clientId !== client.clientId) throw new NotAuthorizedException(Messages.invalidRefreshToken);
  assertSecretHash(client, lineage.username, parameters?.SECRET_HASH, "parameter");
  if (lineage.revokedAt !== undefined) throw new NotAuthorizedException(Messages.refreshTokenRevoked);
  if (lineage.refreshExpiresAt <= ctx.now()) throw new NotAuthorizedException(Messages.refreshTokenExpired);
  const user = ctx.users.find(lineage.username);
  if (user === undefined) throw new UserNotFoundException(Messages.userDoesNotExist);
  if (!user.enabled) throw new NotAuthorizedException(Messages.userDisabled);
  return { ChallengeParameters: {}, AuthenticationResult: await ctx.tokens.refresh(lineage, user, client) };
}

/** InitiateAuth: the flows this pool's clients use; each must be enabled on the client (ExplicitAuthFlows). */
export const initiateAuth: Operation = async (ctx, raw) => {
  const request = parseInput(input, raw);
  const client = requireClient(ctx, request.ClientId);
  switch (request.AuthFlow) {
    case "USER_PASSWORD_AUTH":
      requireFlow(client, "USER_PASSWORD_AUTH");
      return userPasswordAuth(ctx, client, request.AuthParameters);
    case "CUSTOM_AUTH":
      requireFlow(client, "CUSTOM_AUTH");
      return customAuth(ctx, client, request.AuthParameters);
    case "REFRESH_TOKEN_AUTH":
    case "REFRESH_TOKEN":
      requireFlow(client, "REFRESH_TOKEN_AUTH");
      return refreshTokenAuth(ctx, client, request.AuthParameters);
    case "ADMIN_NO_SRP_AUTH":
    case "ADMIN_USER_PASSWORD_AUTH":
      // Admin flows belong to AdminInitiateAuth.
      throw new InvalidParameterException("Initiate Auth method not supported.");
    default:
      throw new InvalidParameterException(`${request.AuthFlow} is not supported by the local emulator.`);
  }
};
