import { z } from "zod";
import { checkCode } from "../codes";
import { CodeMismatchException, ExpiredCodeException, InvalidParameterException, Messages } from "../errors";
import { type Operation, userFromAccessToken } from "../pool";
import { Fields, parseInput } from "../validation";
import { assertNotTakenByAnother, isVerifiable } from "./attribute-verification";

const input = z.object({
  AccessToken: Fields.token,
  AttributeName: Fields.attributes.element.shape.Name,
  Code: Fields.confirmationCode,
});

/**
 * VerifyUserAttribute: the right code makes the attribute verified; a pending value (kept apart by
 * "keep original attribute value active") then replaces the old one, which stops signing in.
 */
export const verifyUserAttribute: Operation = async (ctx, raw) => {
  const request = parseInput(input, raw);
  const user = await userFromAccessToken(ctx, request.AccessToken);
  const attribute = request.AttributeName;
  if (!isVerifiable(attribute)) throw new InvalidParameterException(`Cannot verify the attribute ${attribute}.`);
  // Fifteen checks per user an hour (docs/cognito-behaviour.md, "Quotas").
  ctx.quotas.takeUserAttempt(user.sub, "VerifyUserAttribute");
  const issued = user.attributeCode;
  if (issued === undefined || issued.attribute !== attribute) throw new ExpiredCodeException(Messages.codeExpired);
  const check = checkCode(issued, request.Code, ctx.now());
  if (check === "mismatch") throw new CodeMismatchException(Messages.codeMismatch);
  if (check === "expired") throw new ExpiredCodeException(Messages.codeExpired);
  const pending = user.pendingAttributes?.[attribute];
  if (pending !== undefined) {
    // Another account may have taken the address meanwhile.
    assertNotTakenByAnother(ctx, user, attribute, pending);
    user.attributes[attribute] = pending;
    const { [attribute]: _done, ...rest } = user.pendingAttributes ?? {};
    user.pendingAttributes = Object.keys(rest).length > 0 ? rest : undefined;
  }
  user.attributes[`${attribute}_verified`] = "true";
  delete user.attributeCode;
  user.updatedAt = ctx.now();
  await ctx.users.save();
  return {};
};
