import { randomUUID } from "node:crypto";
import { z } from "zod";
import { isEmail, isPhoneNumber, writableAttributes } from "../attributes";
import { InvalidParameterException, UsernameExistsException } from "../errors";
import { assertPasswordPolicy, hashPassword } from "../passwords";
import { type CodeDeliveryDetails, type Operation, type PoolContext, requireClient, sendCode } from "../pool";
import { assertSecretHash } from "../secret-hash";
import { createSrpVerifier, srpPoolName } from "../srp";
import type { StoredUser } from "../state/user-store";
import { Fields, parseInput } from "../validation";

const input = z.object({
  ClientId: Fields.clientId,
  Username: Fields.username,
  Password: Fields.password,
  SecretHash: Fields.secretHash.optional(),
  UserAttributes: Fields.attributes.optional(),
  ValidationData: Fields.attributes.optional(),
  ClientMetadata: Fields.stringMap.optional(),
});

export interface SignUpResult {
  UserConfirmed: false;
  UserSub: string;
  CodeDeliveryDetails?: CodeDeliveryDetails;
}

/** SignUp: a new UNCONFIRMED user; a confirmation code goes to an auto-verified email or phone. */
export const signUp: Operation = async (ctx, raw) => {
  const request = parseInput(input, raw);
  const client = requireClient(ctx, request.ClientId);
  assertSecretHash(client, request.Username, request.SecretHash, "member");
  return registerUser(ctx, client.clientId, request);
};

/**
 * SignUp's rules once the caller is trusted (the API operation after its client and SECRET_HASH
 * checks; the managed login's sign-up page, which is Cognito's own client): the username rules
 * of the pool, the password policy, the name still free, then the user and its code.
 * Throws the operation's CognitoErrors.
 */
export async function registerUser(
  ctx: PoolContext,
  clientId: string,
  request: {
    Username: string;
    Password: string;
    UserAttributes?: { Name: string; Value?: string | undefined }[] | undefined;
    ClientMetadata?: Record<string, string> | undefined;
  },
): Promise<SignUpResult> {
  const attributes = writableAttributes(request.UserAttributes);
  const signInAttributes = ctx.pool.usernameAttributes;
  const sub = randomUUID();
  let username = request.Username;
  let conflictMessage = "User already exists";
  if (signInAttributes.length > 0) {
    // The email or phone number is the username; Cognito keeps a UUID as the internal name.
    if (signInAttributes.includes("email") && isEmail(request.Username)) {
      attributes.email = request.Username;
      conflictMessage = "An account with the given email already exists.";
    } else if (signInAttributes.includes("phone_number") && isPhoneNumber(request.Username)) {
      attributes.phone_number = request.Username;
      conflictMessage = "An account with the given phone_number already exists.";
    } else {
      throw new InvalidParameterException(
        signInAttributes.length === 2
          ? "Username should be either an email or a phone number."
          : signInAttributes[0] === "email"
            ? "Username should be an email."
            : "Username should be a phone number.",
      );
    }
    username = sub;
  }

  assertPasswordPolicy(ctx.pool.passwordPolicy, request.Password);
  // An unconfirmed account still holds its name (AWS DG, "Managing error responses").
  if (ctx.users.find(request.Username) !== undefined) throw new UsernameExistsException(conflictMessage);

  if (attributes.email !== undefined) attributes.email_verified = "false";
  if (attributes.phone_number !== undefined) attributes.phone_number_verified = "false";
  const now = ctx.now();
  const passwordHash = await hashPassword(request.Password);
  // Checked again after the hashing yielded: of two sign-ups of one name at once (a double
  // click), only the first gets here with the name still free, and nothing yields between this
  // check and users.add, so one account is created and the other meets UsernameExistsException.
  if (ctx.users.find(request.Username) !== undefined) throw new UsernameExistsException(conflictMessage);
  const user: StoredUser = {
    username,
    sub,
    attributes,
    passwordHash,
    srp: createSrpVerifier(srpPoolName(ctx.pool.id), username, request.Password),
    status: "UNCONFIRMED",
    enabled: true,
    createdAt: now,
    updatedAt: now,
  };
  await ctx.users.add(user);

  let delivery: CodeDeliveryDetails | undefined;
  const trigger = { source: "CustomMessage_SignUp", clientId, clientMetadata: request.ClientMetadata } as const;
  const autoVerified = ctx.pool.autoVerifiedAttributes;
  if (autoVerified.includes("email") && attributes.email !== undefined) {
    delivery = await sendCode(ctx, user, "confirmation", attributes.email, trigger);
  } else if (autoVerified.includes("phone_number") && attributes.phone_number !== undefined) {
    delivery = await sendCode(ctx, user, "confirmation", attributes.phone_number, trigger);
  }
  return { UserConfirmed: false, UserSub: sub, ...(delivery ? { CodeDeliveryDetails: delivery } : {}) };
}
