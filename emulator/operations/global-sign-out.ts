import { z } from "zod";
import { type Operation, userFromAccessToken } from "../pool";
import { Fields, parseInput } from "../validation";

const input = z.object({ AccessToken: Fields.token });

/**
 * GlobalSignOut: every refresh token of the user stops working, and the user-pool API refuses
 * the access tokens issued so far (AWS API, GlobalSignOut).
 */
export const globalSignOut: Operation = async (ctx, raw) => {
  const request = parseInput(input, raw);
  const user = await userFromAccessToken(ctx, request.AccessToken);
  await ctx.signIns.revokeAllOf(user.username);
  return {};
};
