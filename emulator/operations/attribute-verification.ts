import { CONFIRMATION_CODE_TTL_MS, generateCode, pendingCode } from "../codes";
import { DEFAULT_MESSAGES, composeCognitoMessage } from "../cognito-messages";
import { CognitoError, InvalidParameterException } from "../errors";
import { type CodeDeliveryDetails, type MessageTrigger, type PoolContext, deliveryDetails } from "../pool";
import type { StoredUser } from "../state/user-store";

/**
 * Attribute verification as Cognito does it for UpdateUserAttributes,
 * GetUserAttributeVerificationCode and VerifyUserAttribute (docs/cognito-behaviour.md, "Changing
 * the email"): a code valid 24 hours goes to the attribute's pending value (or its current one),
 * the default verification message "Your verification code is {####}.", and the pool's "keep
 * original attribute value active" setting for the attributes it verifies automatically.
 */

export const AliasExistsException = class extends CognitoError {
  constructor(message: string) {
    super("AliasExistsException", message);
  }
};

export const verifiableAttributes = ["email", "phone_number"] as const;
export type VerifiableAttribute = (typeof verifiableAttributes)[number];

export function isVerifiable(name: string): name is VerifiableAttribute {
  return (verifiableAttributes as readonly string[]).includes(name);
}

/** Whether the pool keeps the old value of `attribute` until the new one is verified (by default as infra/user-pool.ts sets it). */
export function keepsOriginalValue(ctx: PoolContext, attribute: VerifiableAttribute): boolean {
  return (ctx.pool.attributesRequireVerificationBeforeUpdate ?? ctx.pool.autoVerifiedAttributes).includes(attribute);
}

/** Another user signs in with this email or phone number: Cognito refuses to give it to a second account. */
export function assertNotTakenByAnother(ctx: PoolContext, user: StoredUser, attribute: VerifiableAttribute, value: string): void {
  if (!ctx.pool.usernameAttributes.includes(attribute)) return;
  const holder = ctx.users.find(value);
  if (holder !== undefined && holder.sub !== user.sub) throw new AliasExistsException(`An account with the given ${attribute} already exists.`);
}

/**
 * Issues a new code for `attribute` (replacing any earlier one), puts it in the outbox — worded by
 * the pool's CustomMessage trigger (CustomMessage_UpdateUserAttribute after UpdateUserAttributes,
 * CustomMessage_VerifyUserAttribute after GetUserAttributeVerificationCode) — and saves the user.
 */
export async function sendAttributeCode(ctx: PoolContext, user: StoredUser, attribute: VerifiableAttribute, trigger: MessageTrigger): Promise<CodeDeliveryDetails> {
  const destination = user.pendingAttributes?.[attribute] ?? user.attributes[attribute];
  if (destination === undefined || destination === "") {
    throw new InvalidParameterException(`Cannot send a verification code: the user has no ${attribute}.`);
  }
  if (attribute === "email" && ctx.pool.emailSendingAccount === "COGNITO_DEFAULT") ctx.quotas.takeDefaultSenderMail();
  const code = generateCode();
  const message = await composeCognitoMessage(ctx, { ...trigger, user, destination, code, defaults: DEFAULT_MESSAGES.attribute });
  user.attributeCode = { ...pendingCode(code, ctx.now() + CONFIRMATION_CODE_TTL_MS), attribute };
  user.updatedAt = ctx.now();
  await ctx.users.save();
  await ctx.outbox.add(message);
  return deliveryDetails(destination);
}
