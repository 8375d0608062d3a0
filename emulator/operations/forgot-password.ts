import { z } from "zod";
import type { AppClientConfig } from "../../common/local-config";
import { InvalidParameterException, Messages, NotAuthorizedException, UserNotFoundException } from "../errors";
import { type CodeDeliveryDetails, type Operation, type PoolContext, hidesUserExistence, requireClient, sendCode, simulatedDelivery } from "../pool";
import { assertSecretHash } from "../secret-hash";
import type { StoredUser } from "../state/user-store";
import { Fields, parseInput } from "../validation";

const input = z.object({
  ClientId: Fields.clientId,
  Username: Fields.username,
  SecretHash: Fields.secretHash.optional(),
  ClientMetadata: Fields.stringMap.optional(),
});

function verifiedDestination(user: StoredUser): string | undefined {
  if (user.attributes.email !== undefined && user.attributes.email_verified === "true") return user.attributes.email;
  if (user.attributes.phone_number !== undefined && user.attributes.phone_number_verified === "true") return user.attributes.phone_number;
  return undefined;
}

/**
 * ForgotPassword: a reset code (1 hour) to the user's verified email or phone. With
 * PreventUserExistenceErrors ENABLED, unknown and disabled users and users without a verified
 * channel get a simulated delivery instead of an error (AWS DG, "Managing user existence error responses").
 */
export const forgotPassword: Operation = async (ctx, raw) => {
  const request = parseInput(input, raw);
  const client = requireClient(ctx, request.ClientId);
  assertSecretHash(client, request.Username, request.SecretHash, "member");
  return { CodeDeliveryDetails: await requestPasswordReset(ctx, client, request.Username, request.ClientMetadata) };
};

/**
 * ForgotPassword's rules for a trusted caller (the API operation after its SECRET_HASH check, or
 * the managed login's "Forgot your password?" page). Throws the operation's CognitoErrors.
 */
export async function requestPasswordReset(
  ctx: PoolContext,
  client: AppClientConfig,
  username: string,
  clientMetadata?: Record<string, string>,
): Promise<CodeDeliveryDetails> {
  const hide = hidesUserExistence(client);
  const user = ctx.users.find(username);
  if (user === undefined) {
    if (hide) return simulatedDelivery(username);
    throw new UserNotFoundException(Messages.usernameClientNotFound);
  }
  if (!user.enabled) {
    if (hide) return simulatedDelivery(username);
    throw new NotAuthorizedException(Messages.userDisabled);
  }
  ctx.quotas.takeUserAttempt(user.sub, "ForgotPassword");
  const destination = verifiedDestination(user);
  if (destination === undefined) {
    if (hide) return simulatedDelivery(username);
    throw new InvalidParameterException("Cannot reset password for the user as there is no registered/verified email or phone_number");
  }
  return sendCode(ctx, user, "reset", destination, { source: "CustomMessage_ForgotPassword", clientId: client.clientId, clientMetadata });
}
