import { z } from "zod";
import { InvalidParameterException } from "../errors";
import { type Operation, callerFromAccessToken } from "../pool";
import { Fields, awsStringMap, parseInput } from "../validation";
import { isVerifiable, sendAttributeCode } from "./attribute-verification";

const input = z.object({
  AccessToken: Fields.token,
  AttributeName: Fields.attributes.element.shape.Name,
  ClientMetadata: awsStringMap().optional(),
});

/** GetUserAttributeVerificationCode: a new code for the attribute's pending value, or its current one. */
export const getUserAttributeVerificationCode: Operation = async (ctx, raw) => {
  const request = parseInput(input, raw);
  const { user, clientId } = await callerFromAccessToken(ctx, request.AccessToken);
  if (!isVerifiable(request.AttributeName)) throw new InvalidParameterException(`Cannot verify the attribute ${request.AttributeName}.`);
  // Five codes per user an hour (docs/cognito-behaviour.md, "Quotas").
  ctx.quotas.takeUserAttempt(user.sub, "GetUserAttributeVerificationCode");
  return {
    CodeDeliveryDetails: await sendAttributeCode(ctx, user, request.AttributeName, {
      source: "CustomMessage_VerifyUserAttribute",
      clientId,
      clientMetadata: request.ClientMetadata,
    }),
  };
};
