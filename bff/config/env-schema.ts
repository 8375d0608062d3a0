import { z } from "zod";
import { splitList } from "./values";

/**
 * The BFF's environment variables, for both kinds of configuration (sign-in and ALB mode) and
 * both modes (local and aws). Parsed by common/env.ts, which treats an empty variable as unset.
 */

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

const positiveInt = (fallback: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value) => (value === undefined || value === "" ? fallback : Number(value)))
    .pipe(z.number({ message: "must be a number" }).int().positive());

const nonNegativeInt = (fallback: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value) => (value === undefined || value === "" ? fallback : Number(value)))
    .pipe(z.number({ message: "must be a number" }).int().nonnegative());

const booleanString = (fallback: boolean) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .transform((value) => (value === undefined || value === "" ? fallback : value))
    .pipe(z.union([z.boolean(), z.enum(["true", "false", "1", "0"]).transform((value) => value === "true" || value === "1")]));

export const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

export const bffEnvSchema = z.object({
  TOBIRA_MODE: z.enum(["local", "aws"]).default("local"),
  /** Behind an ALB doing authenticate-cognito (bff/alb/alb-app.ts); see alb-mode-config.ts. */
  ALB_MODE: booleanString(false),
  ALB_ARN: optionalString.pipe(
    z
      .string()
      .regex(/^arn:aws[\w-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/app\/[\w-]+\/[0-9a-f]+$/, "not an Application Load Balancer ARN")
      .optional(),
  ),
  ALB_KEYS_ENDPOINT: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  ALB_LOGOUT_URI: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  ALB_SESSION_COOKIE_NAME: optionalString.pipe(
    z
      .string()
      .regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, "not a cookie name")
      .optional(),
  ),
  /** The managed-login domain: a host name (prefix or custom domain) or an http(s) base URL. */
  COGNITO_DOMAIN: optionalString,
  TOBIRA_CONFIG: optionalString,
  TOBIRA_DATA_DIR: optionalString,
  PORT: z
    .string()
    .trim()
    .optional()
    .transform((value) => (value === undefined || value === "" ? undefined : Number(value)))
    .pipe(z.number({ message: "must be a port number" }).int().min(0).max(65535).optional()),
  HOST: optionalString,
  LOG_LEVEL: z.enum(logLevels).optional(),
  PUBLIC_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  TRUSTED_ORIGINS: optionalString,
  TRUST_PROXY: optionalString,
  COGNITO_USER_POOL_ID: optionalString.pipe(
    z
      .string()
      .regex(/^[\w-]+_[0-9a-zA-Z]+$/, "not a user pool id")
      .optional(),
  ),
  COGNITO_CLIENT_ID: optionalString.pipe(
    z
      .string()
      .regex(/^[\w+]{1,128}$/, "not an app client id")
      .optional(),
  ),
  COGNITO_CLIENT_SECRET: optionalString,
  AWS_REGION: optionalString,
  COGNITO_ENDPOINT: optionalString.pipe(z.url().optional()),
  COGNITO_ISSUER: optionalString.pipe(z.url().optional()),
  COGNITO_JWKS_URI: optionalString.pipe(z.url().optional()),
  DYNAMODB_TABLE: optionalString,
  DYNAMODB_ENDPOINT: optionalString.pipe(z.url().optional()),
  COOKIE_KEYS: optionalString,
  PASSKEY_PROOF_SECRET: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
  SESSION_TTL_SECONDS: positiveInt(8 * 60 * 60),
  /** A signed-in session unused this long ends, whatever its absolute lifetime left. */
  SESSION_IDLE_TIMEOUT_SECONDS: positiveInt(60 * 60),
  SIGNIN_TTL_SECONDS: positiveInt(10 * 60),
  OTP_MAX_ATTEMPTS: z
    .string()
    .trim()
    .optional()
    .transform((value) => (value === undefined || value === "" ? undefined : Number(value)))
    .pipe(z.number({ message: "must be a number" }).int().positive().optional()),
  OTP_MAX_RESENDS: positiveInt(3),
  /** Seconds between two codes of one sign-in; 0 turns the cool-down off (tests). */
  OTP_RESEND_COOLDOWN_SECONDS: nonNegativeInt(30),
  /** Deadlines in milliseconds (docs/architecture.md, "Deadlines"). */
  COGNITO_CONNECT_TIMEOUT_MS: positiveInt(2_000),
  COGNITO_TIMEOUT_MS: positiveInt(8_000),
  DYNAMODB_CONNECT_TIMEOUT_MS: positiveInt(1_000),
  DYNAMODB_TIMEOUT_MS: positiveInt(3_000),
  API_TIMEOUT_MS: positiveInt(10_000),
  /** Multiplies every per-account throttle limit (bff/config/account-throttle-limits.ts). */
  ACCOUNT_THROTTLE_FACTOR: positiveInt(1),
  RATE_LIMIT_WINDOW_SECONDS: positiveInt(15 * 60),
  RATE_LIMIT_PER_IP: positiveInt(100),
  RATE_LIMIT_PER_EMAIL: positiveInt(20),
  WEB_DIST_DIR: optionalString,
  SERVE_WEB: booleanString(true),
  /** JSON, the user pool's password policy for the SPA's checklist (bff/config/password-policy-setting.ts). */
  PASSWORD_POLICY: optionalString,
  /** JSON array of relying parties (common/local-config.ts `oidcClientSchema`); aws mode. */
  OIDC_CLIENTS: optionalString,
  /** JSON array of APIs apps may ask tokens for (common/local-config.ts `resourceServerSchema`); aws mode. */
  OIDC_RESOURCE_SERVERS: optionalString,
  /**
   * Per client IP per RATE_LIMIT_WINDOW_SECONDS: requests to the provider's browser endpoints
   * (/oidc/auth, /interaction/*), and failed requests to its back-channel ones (/oidc/token*, /oidc/me).
   */
  OIDC_RATE_LIMIT_PER_IP: positiveInt(1000),
  /** JSON `{"keys":[…]}` of private signing JWKs, newest first; aws mode (locally generated under the data folder). */
  OIDC_JWKS: optionalString,
  PASSKEY_RP_ID: optionalString,
  PASSKEY_RP_NAME: optionalString,
  PASSKEY_ORIGINS: optionalString.refine(
    (value) => value === undefined || splitList(value).every((origin) => URL.canParse(origin) && /^https?:$/.test(new URL(origin).protocol)),
    "must be a comma-separated list of http(s) origins",
  ),
  PASSKEY_REAUTH_SECONDS: positiveInt(10 * 60),
  /** Adding, confirming or removing a passkey needs a factor (password or passkey) proved at most this long ago (bff/account/reauth.ts). */
  PASSKEY_STEP_UP_SECONDS: positiveInt(5 * 60),
  PASSKEY_CHALLENGE_TTL_SECONDS: positiveInt(5 * 60),
  /** Sensitive account actions need a sign-in at most this old; unset: PASSKEY_REAUTH_SECONDS. */
  REAUTH_WINDOW_SECONDS: optionalString
    .transform((value) => (value === undefined ? undefined : Number(value)))
    .pipe(z.number({ message: "must be a number" }).int().positive().optional()),
  /** "Don't ask for a code on this device" at the code step (README, "Your account"). */
  TRUSTED_DEVICES: booleanString(true),
  TRUSTED_DEVICE_DAYS: positiveInt(30),
  /** Days of sign-in history and security events kept. */
  SECURITY_HISTORY_DAYS: positiveInt(30),
  /** Send security mails (false: the events are still recorded in the history). */
  SECURITY_MAILS: booleanString(true),
  /** AWS mode: the verified SES identity security mails are sent from (unset: no security mails). */
  SECURITY_MAIL_FROM: optionalString,
  /** Local mode: where security mails are posted (default: the emulator's /_local/outbox). */
  LOCAL_OUTBOX_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
});

/** The parsed environment. */
export type BffEnv = z.infer<typeof bffEnvSchema>;
