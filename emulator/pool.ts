import type { AppClientConfig, LocalConfig, UserPoolConfig } from "../common/local-config";
import { CONFIRMATION_CODE_TTL_MS, RESET_CODE_TTL_MS, generateCode, maskDestination, pendingCode } from "./codes";
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

/** Cognito's default messages (AWS DG, "Customizing email verification messages"). */
const MESSAGES = {
  confirmation: { subject: "Your verification code", text: (code: string) => `Your confirmation code is ${code}` },
  reset: { subject: "Your password reset code", text: (code: string) => `Your password reset code is ${code}` },
} as const;

/**
 * Issues a new sign-up confirmation or password-reset code (replacing any earlier one), puts
 * the message in the outbox and returns the masked delivery details. The caller saves the user.
 */
export async function sendCode(ctx: PoolContext, user: StoredUser, purpose: "confirmation" | "reset", destination: string): Promise<CodeDeliveryDetails> {
  // Cognito's own sender is limited per account and day; the pool's SES identity is not.
  if (ctx.pool.emailSendingAccount === "COGNITO_DEFAULT" && destination.includes("@")) ctx.quotas.takeDefaultSenderMail();
  const code = generateCode();
  const ttl = purpose === "confirmation" ? CONFIRMATION_CODE_TTL_MS : RESET_CODE_TTL_MS;
  const pending = pendingCode(code, ctx.now() + ttl);
  if (purpose === "confirmation") user.confirmationCode = pending;
  else user.resetCode = pending;
  user.updatedAt = ctx.now();
  await ctx.users.save();
  const message = MESSAGES[purpose];
  await ctx.outbox.add({ to: destination, subject: message.subject, text: message.text(code), code });
  return deliveryDetails(destination);
}

/**
 * The user behind an access token, for the calls that take one (GetUser, ChangePassword,
 * GlobalSignOut): valid, unrevoked, carrying the user-pool API scope, and the user still there —
 * a deleted user is UserNotFoundException "User does not exist." (docs/cognito-behaviour.md, "Tokens").
 */
export async function userFromAccessToken(ctx: PoolContext, accessToken: string): Promise<StoredUser> {
  const claims = await ctx.tokens.verifyAccessToken(accessToken);
  if (!claims.scope.split(" ").includes(ADMIN_SCOPE)) {
    throw new NotAuthorizedException("Access Token does not have required scopes");
  }
  const user = ctx.users.find(claims.username);
  if (user === undefined || user.sub !== claims.sub) throw new UserNotFoundException(Messages.userDoesNotExist);
  if (!user.enabled) throw new NotAuthorizedException(Messages.userDisabled);
  return user;
}

/** What ForgotPassword / ResendConfirmationCode answer for a user they must not reveal (PreventUserExistenceErrors). */
export function simulatedDelivery(name: string): CodeDeliveryDetails {
  return deliveryDetails(name.includes("@") ? name : `${name}@example.com`);
}
