import { z } from "zod";
import { writableAttributes } from "../attributes";
import { type Operation, callerFromAccessToken } from "../pool";
import { Fields, awsStringMap, parseInput } from "../validation";
import { assertNotTakenByAnother, isVerifiable, keepsOriginalValue, sendAttributeCode } from "./attribute-verification";

const input = z.object({
  AccessToken: Fields.token,
  UserAttributes: Fields.attributes,
  ClientMetadata: awsStringMap().optional(),
});

/**
 * UpdateUserAttributes: the signed-in user changes their own attributes. A changed email or
 * phone number needs a code: with "keep original attribute value active" (the pool verifies it
 * automatically) the old value stays, verified, until VerifyUserAttribute; otherwise the new value
 * replaces it at once, unverified. The answer lists where each code went (CodeDeliveryDetailsList).
 */
export const updateUserAttributes: Operation = async (ctx, raw) => {
  const request = parseInput(input, raw);
  const { user, clientId } = await callerFromAccessToken(ctx, request.AccessToken);
  const changes = writableAttributes(request.UserAttributes);
  const toVerify: ("email" | "phone_number")[] = [];
  for (const [name, value] of Object.entries(changes)) {
    if (isVerifiable(name)) {
      const current = user.attributes[name];
      // The same value again changes nothing and sends no code.
      if (current !== undefined && current.toLowerCase() === value.toLowerCase() && user.pendingAttributes?.[name] === undefined) continue;
      assertNotTakenByAnother(ctx, user, name, value);
      if (keepsOriginalValue(ctx, name)) {
        user.pendingAttributes = { ...user.pendingAttributes, [name]: value };
      } else {
        user.attributes[name] = value;
        user.attributes[`${name}_verified`] = "false";
      }
      toVerify.push(name);
    } else {
      user.attributes[name] = value;
    }
  }
  user.updatedAt = ctx.now();
  await ctx.users.save();
  const deliveries = [];
  // One code at a time, as Cognito keeps one per user: the last attribute's.
  for (const name of toVerify)
    deliveries.push(await sendAttributeCode(ctx, user, name, { source: "CustomMessage_UpdateUserAttribute", clientId, clientMetadata: request.ClientMetadata }));
  return { CodeDeliveryDetailsList: deliveries };
};
