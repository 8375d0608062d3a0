import { z } from "zod";
import type { AppClientConfig } from "../../common/local-config";
import { checkCode } from "../codes";
import { CodeMismatchException, ExpiredCodeException, Messages, UserNotFoundException } from "../errors";
import { assertPasswordPolicy, hashPassword } from "../passwords";
import { type Operation, type PoolContext, hidesUserExistence, requireClient } from "../pool";
import { assertSecretHash } from "../secret-hash";
import { createSrpVerifier, srpPoolName } from "../srp";
import { Fields, parseInput } from "../validation";

const input = z.object({
  ClientId: Fields.clientId,
  Username: Fields.username,
  ConfirmationCode: Fields.confirmationCode,
  Password: Fields.password,
  SecretHash: Fields.secretHash.optional(),
  ClientMetadata: Fields.stringMap.optional(),
});

/** ConfirmForgotPassword: the reset code (single use) sets a new password that meets the policy. */
export const confirmForgotPassword: Operation = async (ctx, raw) => {
  const request = parseInput(input, raw);
  const client = requireClient(ctx, request.ClientId);
  assertSecretHash(client, request.Username, request.SecretHash, "member");
  await resetPassword(ctx, client, request.Username, request.ConfirmationCode, request.Password);
  return {};
};

/**
 * ConfirmForgotPassword's rules for a trusted caller (the API operation after its SECRET_HASH
 * check, or the managed login's reset page). Throws the operation's CognitoErrors.
 */
export async function resetPassword(ctx: PoolContext, client: AppClientConfig, username: string, code: string, password: string): Promise<void> {
  // Checked before the code, so a weak password does not use the code up.
  assertPasswordPolicy(ctx.pool.passwordPolicy, password);

  const user = ctx.users.find(username);
  if (user === undefined || !user.enabled) {
    if (hidesUserExistence(client)) throw new CodeMismatchException(Messages.codeMismatch);
    throw new UserNotFoundException(Messages.usernameClientNotFound);
  }
  ctx.quotas.takeUserAttempt(user.sub, "ConfirmForgotPassword");
  // No code requested (or the one there was is used up): AWS asks for a new one.
  if (user.resetCode === undefined) throw new ExpiredCodeException(Messages.codeExpired);
  const check = checkCode(user.resetCode, code, ctx.now());
  if (check === "mismatch") throw new CodeMismatchException(Messages.codeMismatch);
  if (check === "expired") throw new ExpiredCodeException(Messages.codeExpired);

  user.passwordHash = await hashPassword(password);
  user.srp = createSrpVerifier(srpPoolName(ctx.pool.id), user.username, password);
  delete user.resetCode;
  delete user.failedSignIns;
  if (user.status === "RESET_REQUIRED") user.status = "CONFIRMED";
  user.updatedAt = ctx.now();
  await ctx.users.save();
}
