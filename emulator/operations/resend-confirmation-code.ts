import { z } from "zod";
import type { AppClientConfig } from "../../common/local-config";
import { InvalidParameterException, Messages, UserNotFoundException } from "../errors";
import { type CodeDeliveryDetails, type Operation, type PoolContext, hidesUserExistence, requireClient, sendCode, simulatedDelivery } from "../pool";
import { assertSecretHash } from "../secret-hash";
import { Fields, parseInput } from "../validation";

const input = z.object({
  ClientId: Fields.clientId,
  Username: Fields.username,
  SecretHash: Fields.secretHash.optional(),
  ClientMetadata: Fields.stringMap.optional(),
});

/** ResendConfirmationCode: a new sign-up code replaces the old one. */
export const resendConfirmationCode: Operation = async (ctx, raw) => {
  const request = parseInput(input, raw);
  const client = requireClient(ctx, request.ClientId);
  assertSecretHash(client, request.Username, request.SecretHash, "member");
  return { CodeDeliveryDetails: await resendConfirmation(ctx, client, request.Username, request.ClientMetadata) };
};

/**
 * ResendConfirmationCode's rules for a trusted caller (the API operation after its SECRET_HASH
 * check, or the managed login's confirm page). Throws the operation's CognitoErrors: five codes
 * per user an hour (LimitExceededException), and for a confirmed user the pool's
 * `resendToConfirmedUser` answer — InvalidParameterException, or a code sent all the same.
 */
export async function resendConfirmation(
  ctx: PoolContext,
  client: AppClientConfig,
  username: string,
  clientMetadata?: Record<string, string>,
): Promise<CodeDeliveryDetails> {
  const user = ctx.users.find(username);
  if (user === undefined) {
    if (hidesUserExistence(client)) return simulatedDelivery(username);
    throw new UserNotFoundException(Messages.usernameClientNotFound);
  }
  if (user.status !== "UNCONFIRMED" && ctx.pool.resendToConfirmedUser === "refuse") throw new InvalidParameterException("User is already confirmed.");
  ctx.quotas.takeUserAttempt(user.sub, "ResendConfirmationCode");
  const autoVerified = ctx.pool.autoVerifiedAttributes;
  const destination =
    autoVerified.includes("email") && user.attributes.email !== undefined
      ? user.attributes.email
      : autoVerified.includes("phone_number")
        ? user.attributes.phone_number
        : undefined;
  if (destination === undefined) throw new InvalidParameterException("Cannot resend codes. Auto verification not turned on.");
  return sendCode(ctx, user, "confirmation", destination, { source: "CustomMessage_ResendCode", clientId: client.clientId, clientMetadata });
}
