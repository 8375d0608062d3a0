import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";

/**
 * The local stack's one configuration file (config/local.json): the emulator's user pool and
 * app clients, and the values the BFF and the triggers share with it in local mode.
 */
export const appClientSchema = z.object({
  clientId: z.string().regex(/^[\w+]{1,128}$/),
  clientSecret: z.string().min(1).optional(),
  name: z.string(),
  explicitAuthFlows: z.array(z.string()).default(["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"]),
  preventUserExistenceErrors: z.enum(["ENABLED", "LEGACY"]).default("ENABLED"),
  callbackUrls: z.array(z.url()).default([]),
  logoutUrls: z.array(z.url()).default([]),
  allowedOAuthFlows: z.array(z.string()).default([]),
  allowedOAuthScopes: z.array(z.string()).default([]),
  accessTokenValidityMinutes: z.number().int().positive().default(60),
  idTokenValidityMinutes: z.number().int().positive().default(60),
  refreshTokenValidityDays: z.number().int().positive().default(30),
  enableTokenRevocation: z.boolean().default(true),
  /**
   * Cognito's RefreshTokenRotation feature. Tobira refreshes with REFRESH_TOKEN_AUTH, which a
   * client with rotation refuses (docs/cognito-behaviour.md, "Tokens"), so its clients pin it off.
   */
  refreshTokenRotation: z.enum(["DISABLED", "ENABLED"]).default("DISABLED"),
});
export type AppClientConfig = z.infer<typeof appClientSchema>;

export const passwordPolicySchema = z.object({
  minimumLength: z.number().int().min(6).max(99).default(8),
  requireUppercase: z.boolean().default(true),
  requireLowercase: z.boolean().default(true),
  requireNumbers: z.boolean().default(true),
  requireSymbols: z.boolean().default(true),
});
export type PasswordPolicy = z.infer<typeof passwordPolicySchema>;

export const userPoolSchema = z.object({
  id: z
    .string()
    .regex(/^[\w-]+_[0-9a-zA-Z]+$/)
    .max(55),
  name: z.string(),
  usernameAttributes: z.array(z.enum(["email", "phone_number"])).default([]),
  autoVerifiedAttributes: z.array(z.enum(["email", "phone_number"])).default([]),
  domainPrefix: z.string(),
  authSessionValidityMinutes: z.number().int().min(3).max(15).default(3),
  /**
   * Who sends Cognito's own mails (sign-up and reset codes): Cognito's default sender, limited to
   * 50 a day per account, or the pool's SES identity (what the deployment uses).
   */
  emailSendingAccount: z.enum(["COGNITO_DEFAULT", "DEVELOPER"]).default("COGNITO_DEFAULT"),
  /**
   * ResendConfirmationCode for a confirmed user: reports about the real service disagree, so the
   * emulator can answer either way — "refuse" (InvalidParameterException "User is already
   * confirmed.") or "send" (a code is sent, no error). The product must be right under both.
   */
  resendToConfirmedUser: z.enum(["refuse", "send"]).default("refuse"),
  /**
   * Cognito's "keep original attribute value active when an update is pending"
   * (AttributesRequireVerificationBeforeUpdate): the old value of these attributes stays until the
   * new one is verified. Unset: the automatically verified attributes, as the deployment sets it.
   */
  attributesRequireVerificationBeforeUpdate: z.array(z.enum(["email", "phone_number"])).optional(),
  passwordPolicy: passwordPolicySchema.prefault({}),
  clients: z.array(appClientSchema).min(1),
});
export type UserPoolConfig = z.infer<typeof userPoolSchema>;

/**
 * A relying party registered with the BFF's OpenID Provider (docs/architecture.md, "The OpenID Provider"). Redirect URIs are matched
 * exactly (RFC 9700 §2.1). Without a secret the client is public and must use PKCE.
 */
export const oidcClientSchema = z.object({
  clientId: z.string().regex(/^[\w.~-]{1,128}$/),
  /**
   * A shared secret is only as strong as it is long: at least 32 characters (RFC 6749 §10.10,
   * RFC 6819 §5.1.4.2.2), e.g. `openssl rand -base64 32`.
   */
  clientSecret: z.string().min(32, "must be at least 32 characters").optional(),
  name: z.string().min(1),
  redirectUris: z.array(z.url()).min(1),
  postLogoutRedirectUris: z.array(z.url()).default([]),
  /** Apps of the same operator: no consent screen (the grant is implied by signing in). */
  firstParty: z.boolean().default(false),
  /**
   * PKCE is always required of public clients; a confidential client may send it (it is then
   * enforced) or, unless this is set, leave it out (RFC 9700 §2.1.1 recommends it).
   */
  requirePkce: z.boolean().optional(),
  /**
   * OpenID Connect Back-Channel Logout 1.0 §2.2: where Tobira posts a logout token when the user
   * signs out of the sessions the app was signed in with, and whether the app needs its `sid` in it.
   */
  backchannelLogoutUri: z.url().optional(),
  backchannelLogoutSessionRequired: z.boolean().optional(),
});
export type OidcClientConfig = z.infer<typeof oidcClientSchema>;

/**
 * An API registered with the BFF's OpenID Provider (a resource server, RFC 8707). An app asks
 * for tokens for it with `resource=<audience>`; they are signed JWTs (RFC 9068) with that audience,
 * or, with `accessTokenFormat: "opaque"`, handles the API checks at the introspection endpoint
 * (RFC 7662) with its own client id and secret.
 */
export const resourceServerSchema = z.object({
  /** The API's own client id and secret, for the introspection endpoint only (RFC 7662 §2.1). */
  clientId: z.string().regex(/^[\w.~-]{1,128}$/),
  clientSecret: z.string().min(32, "must be at least 32 characters"),
  name: z.string().min(1),
  /** The resource indicator apps send, and the tokens' `aud`: an absolute URI without a fragment (RFC 8707 §2). */
  audience: z.url().refine((value) => !value.includes("#"), "must not contain a fragment (RFC 8707 §2)"),
  /** The scopes apps may ask for at this API (RFC 6749 §3.3 scope-token characters). */
  scopes: z.array(z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/)).default([]),
  accessTokenFormat: z.enum(["jwt", "opaque"]).default("jwt"),
});
export type ResourceServerConfig = z.infer<typeof resourceServerSchema>;

export const localConfigSchema = z
  .object({
    region: z.string().min(1),
    accountId: z.string().regex(/^\d{12}$/),
    userPool: userPoolSchema,
    triggers: z.object({
      passkeyProofSecret: z.string().min(32),
      otpTtlSeconds: z.number().int().positive().default(300),
      otpMaxAttempts: z.number().int().positive().default(3),
      /** Whether the pool has the CustomMessage trigger (triggers/custom-message.ts); without it Cognito's default messages go out. */
      customMessage: z.boolean().default(false),
    }),
    bff: z.object({
      publicUrl: z.url(),
      cookieKeys: z.array(z.string().min(32)).min(1),
    }),
    oidc: z.object({ clients: z.array(oidcClientSchema).default([]), resourceServers: z.array(resourceServerSchema).default([]) }).prefault({}),
    ports: z.object({
      bff: z.number().int(),
      emulator: z.number().int(),
      relyingParty: z.number().int(),
      dynalite: z.number().int(),
    }),
  })
  .superRefine((config, context) => {
    // A code outliving Cognito's challenge session would promise time the sign-in does not have.
    if (config.triggers.otpTtlSeconds > config.userPool.authSessionValidityMinutes * 60) {
      context.addIssue({
        code: "custom",
        path: ["triggers", "otpTtlSeconds"],
        message: "must not exceed userPool.authSessionValidityMinutes (Cognito ends the sign-in when its session expires)",
      });
    }
  });
export type LocalConfig = z.infer<typeof localConfigSchema>;

export const defaultLocalConfigPath = fileURLToPath(new URL("../config/local.json", import.meta.url));

/** Reads and validates the local configuration file; throws with every problem listed. */
export function loadLocalConfig(path: string = defaultLocalConfigPath): LocalConfig {
  const raw: unknown = JSON.parse(readFileSync(path, "utf8"));
  const parsed = localConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  - ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid local configuration ${path}:\n${problems.join("\n")}`);
  }
  return parsed.data;
}
