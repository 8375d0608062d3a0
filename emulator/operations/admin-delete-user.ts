import { z } from "zod";
import { Messages, ResourceNotFoundException, UserNotFoundException } from "../errors";
import type { Operation } from "../pool";
import { Fields, parseInput } from "../validation";

const input = z.object({ UserPoolId: Fields.userPoolId, Username: Fields.username });

/**
 * AdminDeleteUser (SigV4 in AWS; any signature is accepted here): the user is gone, and every
 * later call with its tokens meets UserNotFoundException "User does not exist." (API Reference,
 * AdminDeleteUser).
 */
export const adminDeleteUser: Operation = async (ctx, raw) => {
  const request = parseInput(input, raw);
  if (request.UserPoolId !== ctx.pool.id) throw new ResourceNotFoundException(`User pool ${request.UserPoolId} does not exist.`);
  const user = ctx.users.find(request.Username);
  if (user === undefined) throw new UserNotFoundException(Messages.userDoesNotExist);
  await ctx.users.remove(user);
  return {};
};
