import { z } from "zod";
import { type Operation, attributeList, userFromAccessToken } from "../pool";
import { Fields, parseInput } from "../validation";

const input = z.object({ AccessToken: Fields.token });

/** GetUser: the signed-in user's username and attributes. */
export const getUser: Operation = async (ctx, raw) => {
  const request = parseInput(input, raw);
  const user = await userFromAccessToken(ctx, request.AccessToken);
  return { Username: user.username, UserAttributes: attributeList(user) };
};
