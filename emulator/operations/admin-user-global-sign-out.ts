import { z } from "zod";
import { Messages, ResourceNotFoundException, UserNotFoundException } from "../errors";
import type { Operation } from "../pool";
import { Fields, parseInput } from "../validation";

const input = z.object({ UserPoolId: Fields.userPoolId, Username: Fields.username });

/**
 * AdminUserGlobalSignOut (SigV4 in AWS; any signature is accepted here): every refresh token of
 * the user stops working, for every app client, and the user-pool API refuses the access tokens
 * issued so far — GlobalSignOut without one of the user's access tokens. Username is the username
 * or an alias the pool signs in with (AWS API, AdminUserGlobalSignOut). Not covered by
 * PreventUserExistenceErrors, like the other admin calls.
 */
export const adminUserGlobalSignOut: Operation = async (ctx, raw) => {
  const request = parseInput(input, raw);
  if (request.UserPoolId !== ctx.pool.id) throw new ResourceNotFoundException(`User pool ${request.UserPoolId} does not exist.`);
  const user = ctx.users.find(request.Username);
  if (user === undefined) throw new UserNotFoundException(Messages.userDoesNotExist);
  await ctx.signIns.revokeAllOf(user.username);
  return {};
};
