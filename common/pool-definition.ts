import { type AppClientConfig, type LocalConfig, type PasswordPolicy, defaultLocalConfigPath, loadLocalConfig } from "./local-config";

/**
 * The user pool and app-client settings that must be the same wherever Tobira runs: the local
 * emulator (which reads config/local.json directly) and the AWS deployment (infra/, which reads
 * them through this module). config/local.json is the one place they are written; this module
 * picks out the part that describes the pool's behaviour and leaves behind what is local only
 * (ids, secrets, localhost URLs, ports).
 */

export interface AppClientDefinition {
  explicitAuthFlows: readonly string[];
  preventUserExistenceErrors: "ENABLED" | "LEGACY";
  enableTokenRevocation: boolean;
  /**
   * Pinned "DISABLED": the BFF refreshes with REFRESH_TOKEN_AUTH, which Cognito refuses for a
   * client with refresh-token rotation (docs/cognito-behaviour.md, "Tokens").
   */
  refreshTokenRotation: "DISABLED";
  accessTokenValidityMinutes: number;
  idTokenValidityMinutes: number;
  refreshTokenValidityDays: number;
  allowedOAuthFlows: readonly string[];
  allowedOAuthScopes: readonly string[];
  /** Paths of the registered callback URLs (the origin is the deployment's). */
  callbackPaths: readonly string[];
  /** Paths of the registered sign-out URLs (the origin is the deployment's). */
  logoutPaths: readonly string[];
}

export interface PoolDefinition {
  usernameAttributes: readonly ("email" | "phone_number")[];
  autoVerifiedAttributes: readonly ("email" | "phone_number")[];
  /** Who sends Cognito's own mails: the deployment uses SES ("DEVELOPER"), not the 50-a-day default sender. */
  emailSendingAccount: "COGNITO_DEFAULT" | "DEVELOPER";
  passwordPolicy: PasswordPolicy;
  /** Cognito's AuthSessionValidity: how long a challenge Session lives, minutes (3–15). */
  authSessionValidityMinutes: number;
  /** The sign-in code of the custom challenge (the create/define triggers). */
  code: { lifetimeSeconds: number; maxAttempts: number };
  /** The BFF's confidential client (custom auth with a secret). */
  bffClient: AppClientDefinition;
  /** The load balancer's client in ALB mode (authorization code flow through managed login). */
  albClient: AppClientDefinition;
}

/** The local ALB's app client; the BFF's is the first client with a secret (as bff/config.ts picks it). */
export const ALB_CLIENT_NAME = "tobira-alb";

function clientDefinition(client: AppClientConfig): AppClientDefinition {
  if (client.refreshTokenRotation !== "DISABLED") {
    throw new Error(`The app client "${client.name}" must keep refresh-token rotation off: Tobira refreshes with REFRESH_TOKEN_AUTH`);
  }
  return {
    explicitAuthFlows: [...client.explicitAuthFlows],
    preventUserExistenceErrors: client.preventUserExistenceErrors,
    enableTokenRevocation: client.enableTokenRevocation,
    refreshTokenRotation: client.refreshTokenRotation,
    accessTokenValidityMinutes: client.accessTokenValidityMinutes,
    idTokenValidityMinutes: client.idTokenValidityMinutes,
    refreshTokenValidityDays: client.refreshTokenValidityDays,
    allowedOAuthFlows: [...client.allowedOAuthFlows],
    allowedOAuthScopes: [...client.allowedOAuthScopes],
    callbackPaths: client.callbackUrls.map((url) => new URL(url).pathname),
    logoutPaths: client.logoutUrls.map((url) => new URL(url).pathname),
  };
}

/** The pool definition inside a validated local configuration. */
export function poolDefinitionOf(config: LocalConfig): PoolDefinition {
  const bff = config.userPool.clients.find((client) => client.clientSecret !== undefined && client.name !== ALB_CLIENT_NAME);
  const alb = config.userPool.clients.find((client) => client.name === ALB_CLIENT_NAME);
  if (bff === undefined) throw new Error("The pool definition needs the BFF's app client (a client with a secret)");
  if (alb === undefined) throw new Error(`The pool definition needs the "${ALB_CLIENT_NAME}" app client`);
  return {
    usernameAttributes: [...config.userPool.usernameAttributes],
    autoVerifiedAttributes: [...config.userPool.autoVerifiedAttributes],
    emailSendingAccount: config.userPool.emailSendingAccount,
    passwordPolicy: { ...config.userPool.passwordPolicy },
    authSessionValidityMinutes: config.userPool.authSessionValidityMinutes,
    code: { lifetimeSeconds: config.triggers.otpTtlSeconds, maxAttempts: config.triggers.otpMaxAttempts },
    bffClient: clientDefinition(bff),
    albClient: clientDefinition(alb),
  };
}

/** Reads config/local.json (or `path`) and returns its pool definition. */
export function loadPoolDefinition(path: string = defaultLocalConfigPath): PoolDefinition {
  return poolDefinitionOf(loadLocalConfig(path));
}
