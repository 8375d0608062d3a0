import type { AppClientConfig, LocalConfig, UserPoolConfig } from "../common/local-config";
import { CONFIRMATION_CODE_TTL_MS, RESET_CODE_TTL_MS, generateCode, maskDestination, pendingCode } from "./codes";
import { type CognitoMessageRequest, DEFAULT_MESSAGES, composeCognitoMessage } from "./cognito-messages";
import { Messages, NotAuthorizedException, ResourceNotFoundException, UserNotFoundException } from "./errors";
import type { Quotas } from "./quotas";
import type { ChallengeSessions } from "./state/challenge-sessions";
import type { Outbox } from "./state/outbox";
import type { SignInStore } from "./state/sign-in-store";
import type { StoredUser, UserStore } from "./state/user-store";
import { ADMIN_SCOPE, type TokenService } from "./tokens";
import type { TriggerRunner } from "./triggers";

/** Everything an operation works with: one user pool, its clients, state and clock. */
export interface PoolContext {
  config: LocalConfig;
  pool: UserPoolConfig;
  now: () => number;
  users: UserStore;
  signIns: SignInStore;
  tokens: TokenService;
  outbox: Outbox;
  sessions: ChallengeSessions;
  triggers: TriggerRunner;
  authSessionValidityMs: number;
  /** Per-user attempt limits and the default sender's daily mail limit (emulator/quotas.ts). */
  quotas: Quotas;
}

/** A JSON 1.1 operation: validated input in, the response body out (or a CognitoError thrown). */
export type Operation = (ctx: PoolContext, input: unknown) => Promise<object>;

export function requireClient(ctx: PoolContext, clientId: string): AppClientConfig {
  const client = ctx.pool.clients.find((candidate) => candidate.clientId === clientId);
  if (client === undefined) throw new ResourceNotFoundException(`User pool client ${clientId} does not exist.`);
  return client;
}

/** Whether the client allows an auth flow; the legacy names still count (AWS API, ExplicitAuthFlows). */
export function allowsFlow(client: AppClientConfig, flow: "USER_PASSWORD_AUTH" | "CUSTOM_AUTH" | "REFRESH_TOKEN_AUTH"): boolean {
  const legacy = { USER_PASSWORD_AUTH: "USER_PASSWORD_AUTH", CUSTOM_AUTH: "CUSTOM_AUTH_FLOW_ONLY", REFRESH_TOKEN_AUTH: undefined }[flow];
  return client.explicitAuthFlows.includes(`ALLOW_${flow}`) || (legacy !== undefined && client.explicitAuthFlows.includes(legacy));
}

export function hidesUserExistence(client: AppClientConfig): boolean {
  return client.preventUserExistenceErrors === "ENABLED";
}

/** GetUser / AdminGetUser's attribute list: `sub` first, then the stored attributes. */
export function attributeList(user: StoredUser): { Name: string; Value: string }[] {
  return [{ Name: "sub", Value: user.sub }, ...Object.entries(user.attributes).map(([Name, Value]) => ({ Name, Value }))];
}

export interface CodeDeliveryDetails {
  Destination: string;
  DeliveryMedium: "EMAIL" | "SMS";
  AttributeName: "email" | "phone_number";
}

export function deliveryDetails(destination: string): CodeDeliveryDetails {
  const email = destination.includes("@");
  return {
    Destination: maskDestination(destination),
    DeliveryMedium: email ? "EMAIL" : "SMS",
    AttributeName: email ? "email" : "phone_number",
  };
}

/** Which CustomMessage source a send is, and the call's client and ClientMetadata, for the trigger's event. */
export type MessageTrigger = Pick<CognitoMessageRequest, "source" | "clientId" | "clientMetadata">;

/**
 * Issues a new sign-up confirmation or password-reset code (replacing any earlier one), puts
 * the message in the outbox — worded by the pool's CustomMessage trigger when it has one
 * (emulator/cognito-messages.ts) — and returns the masked delivery details. A trigger that fails
 * or answers wrongly fails the call before any code is issued.
 */
export async function sendCode(
  ctx: PoolContext,
  user: StoredUser,
  purpose: "confirmation" | "reset",
  destination: string,
  trigger: MessageTrigger,
): Promise<CodeDeliveryDetails> {
  // Cognito's own sender is limited per account and day; the pool's SES identity is not.
  if (ctx.pool.emailSendingAccount === "COGNITO_DEFAULT" && destination.includes("@")) ctx.quotas.takeDefaultSenderMail();
  const code = generateCode();
  const message = await composeCognitoMessage(ctx, { ...trigger, user, destination, code, defaults: DEFAULT_MESSAGES[purpose] });
  const ttl = purpose === "confirmation" ? CONFIRMATION_CODE_TTL_MS : RESET_CODE_TTL_MS;
  const pending = pendingCode(code, ctx.now() + ttl);
  if (purpose === "confirmation") user.confirmationCode = pending;
  else user.resetCode = pending;
  user.updatedAt = ctx.now();
  await ctx.users.save();
  await ctx.outbox.add(message);
  return deliveryDetails(destination);
}

/**
 * The user behind an access token, for the calls that take one (GetUser, ChangePassword,
 * GlobalSignOut): valid, unrevoked, carrying the user-pool API scope, and the user still there —
 * a deleted user is UserNotFoundException "User does not exist." (docs/cognito-behaviour.md, "Tokens").
 */
export async function userFromAccessToken(ctx: PoolContext, accessToken: string): Promise<StoredUser> {
  return (await callerFromAccessToken(ctx, accessToken)).user;
}

/** userFromAccessToken's user, with the app client the token was issued to (the trigger events' callerContext.clientId). */
export async function callerFromAccessToken(ctx: PoolContext, accessToken: string): Promise<{ user: StoredUser; clientId: string }> {
  const claims = await ctx.tokens.verifyAccessToken(accessToken);
  if (!claims.scope.split(" ").includes(ADMIN_SCOPE)) {
    throw new NotAuthorizedException("Access Token does not have required scopes");
  }
  const user = ctx.users.find(claims.username);
  if (user === undefined || user.sub !== claims.sub) throw new UserNotFoundException(Messages.userDoesNotExist);
  if (!user.enabled) throw new NotAuthorizedException(Messages.userDisabled);
  return { user, clientId: claims.client_id };
}

/** What ForgotPassword / ResendConfirmationCode answer for a user they must not reveal (PreventUserExistenceErrors). */
export function simulatedDelivery(name: string): CodeDeliveryDetails {
  return deliveryDetails(name.includes("@") ? name : `${name}@example.com`);
}
