import { z } from "zod";
import { LimitExceededException, Messages, NotAuthorizedException } from "../errors";
import { isLockedOut, recordFailure } from "../lockout";
import { assertPasswordPolicy, hashPassword, verifyPassword } from "../passwords";
import { type Operation, userFromAccessToken } from "../pool";
import { ATTEMPT_LIMIT_MESSAGE } from "../quotas";
import { createSrpVerifier, srpPoolName } from "../srp";
import { Fields, parseInput } from "../validation";

const input = z.object({
  AccessToken: Fields.token,
  PreviousPassword: Fields.password,
  ProposedPassword: Fields.password,
});

/** ChangePassword: the signed-in user replaces a password they know. */
export const changePassword: Operation = async (ctx, raw) => {
  const request = parseInput(input, raw);
  const user = await userFromAccessToken(ctx, request.AccessToken);
  const now = ctx.now();
  // Guessing the previous password through a stolen access token meets the same lockout as sign-in.
  if (isLockedOut(user.failedSignIns, now)) throw new LimitExceededException(ATTEMPT_LIMIT_MESSAGE);
  // Five changes per user an hour (docs/cognito-behaviour.md, "Quotas").
  ctx.quotas.takeUserAttempt(user.sub, "ChangePassword");
  if (!(await verifyPassword(request.PreviousPassword, user.passwordHash))) {
    user.failedSignIns = recordFailure(user.failedSignIns, now);
    await ctx.users.save();
    throw new NotAuthorizedException(Messages.incorrectCredentials);
  }
  assertPasswordPolicy(ctx.pool.passwordPolicy, request.ProposedPassword);
  user.passwordHash = await hashPassword(request.ProposedPassword);
  user.srp = createSrpVerifier(srpPoolName(ctx.pool.id), user.username, request.ProposedPassword);
  delete user.failedSignIns;
  user.updatedAt = now;
  await ctx.users.save();
  return {};
};
