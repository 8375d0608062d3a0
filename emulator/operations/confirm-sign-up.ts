import { z } from "zod";
import type { AppClientConfig } from "../../common/local-config";
import { checkCode } from "../codes";
import { CodeMismatchException, ExpiredCodeException, Messages, NotAuthorizedException, UserNotFoundException } from "../errors";
import { type Operation, type PoolContext, hidesUserExistence, requireClient } from "../pool";
import { assertSecretHash } from "../secret-hash";
import { Fields, parseInput } from "../validation";

const input = z.object({
  ClientId: Fields.clientId,
  Username: Fields.username,
  ConfirmationCode: Fields.confirmationCode,
  SecretHash: Fields.secretHash.optional(),
  ForceAliasCreation: z.boolean().optional(),
  ClientMetadata: Fields.stringMap.optional(),
  Session: Fields.session.optional(),
});

/** ConfirmSignUp: the right, unexpired code confirms the user and verifies the address it went to. */
export const confirmSignUp: Operation = async (ctx, raw) => {
  const request = parseInput(input, raw);
  const client = requireClient(ctx, request.ClientId);
  assertSecretHash(client, request.Username, request.SecretHash, "member");
  await confirmUser(ctx, client, request.Username, request.ConfirmationCode);
  return {};
};

/**
 * ConfirmSignUp's rules for a trusted caller (the API operation after its SECRET_HASH check, or
 * the managed login's confirm page). Throws the operation's CognitoErrors.
 */
export async function confirmUser(ctx: PoolContext, client: AppClientConfig, username: string, confirmationCode: string): Promise<void> {
  const user = ctx.users.find(username);
  if (user === undefined) {
    // PreventUserExistenceErrors: a wrong code is all an unknown user learns.
    if (hidesUserExistence(client)) throw new CodeMismatchException(Messages.codeMismatch);
    throw new UserNotFoundException(Messages.usernameClientNotFound);
  }
  // Fifteen attempts per user an hour, wrong codes and all (docs/cognito-behaviour.md, "Quotas").
  ctx.quotas.takeUserAttempt(user.sub, "ConfirmSignUp");
  if (user.status !== "UNCONFIRMED") {
    throw new NotAuthorizedException(`User cannot be confirmed. Current status is ${user.status}`);
  }
  if (user.confirmationCode === undefined) throw new ExpiredCodeException(Messages.codeExpired);
  const check = checkCode(user.confirmationCode, confirmationCode, ctx.now());
  if (check === "mismatch") throw new CodeMismatchException(Messages.codeMismatch);
  if (check === "expired") throw new ExpiredCodeException(Messages.codeExpired);

  user.status = "CONFIRMED";
  delete user.confirmationCode;
  if (user.attributes.email !== undefined && ctx.pool.autoVerifiedAttributes.includes("email")) {
    user.attributes.email_verified = "true";
  } else if (user.attributes.phone_number !== undefined && ctx.pool.autoVerifiedAttributes.includes("phone_number")) {
    user.attributes.phone_number_verified = "true";
  }
  user.updatedAt = ctx.now();
  await ctx.users.save();
}
