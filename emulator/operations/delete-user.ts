import { z } from "zod";
import { type Operation, userFromAccessToken } from "../pool";
import { Fields, parseInput } from "../validation";

const input = z.object({ AccessToken: Fields.token });

/**
 * DeleteUser: the signed-in user deletes their own account. Every later call with its tokens
 * meets UserNotFoundException "User does not exist." (as after AdminDeleteUser), and its refresh
 * tokens and password stop working with the user.
 */
export const deleteUser: Operation = async (ctx, raw) => {
  const request = parseInput(input, raw);
  const user = await userFromAccessToken(ctx, request.AccessToken);
  await ctx.users.remove(user);
  return {};
};
