import { fileURLToPath } from "node:url";
import path from "node:path";
import { z } from "zod";
import { defaultLocalConfigPath, loadLocalConfig, type LocalConfig } from "../common/local-config";

/**
 * The BFF's one configuration schema (the only place that reads the environment).
 * `TOBIRA_MODE=local` (the default) takes its values from config/local.json and points the SDKs
 * at the emulator and dynalite; `TOBIRA_MODE=aws` takes everything from the environment and
 * fails at start-up with the list of every missing or invalid variable.
 */

const repoRoot = fileURLToPath(new URL("..", import.meta.url));

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

const booleanString = (fallback: boolean) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .transform((value) => (value === undefined || value === "" ? fallback : value))
    .pipe(z.union([z.boolean(), z.enum(["true", "false", "1", "0"]).transform((value) => value === "true" || value === "1")]));

const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const envSchema = z.object({
  TOBIRA_MODE: z.enum(["local", "aws"]).default("local"),
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
  COGNITO_USER_POOL_ID: optionalString.pipe(z.string().regex(/^[\w-]+_[0-9a-zA-Z]+$/, "not a user pool id").optional()),
  COGNITO_CLIENT_ID: optionalString.pipe(z.string().regex(/^[\w+]{1,128}$/, "not an app client id").optional()),
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
  SIGNIN_TTL_SECONDS: positiveInt(10 * 60),
  OTP_MAX_ATTEMPTS: z
    .string()
    .trim()
    .optional()
    .transform((value) => (value === undefined || value === "" ? undefined : Number(value)))
    .pipe(z.number({ message: "must be a number" }).int().positive().optional()),
  OTP_MAX_RESENDS: positiveInt(3),
  RATE_LIMIT_WINDOW_SECONDS: positiveInt(15 * 60),
  RATE_LIMIT_PER_IP: positiveInt(100),
  RATE_LIMIT_PER_EMAIL: positiveInt(20),
  WEB_DIST_DIR: optionalString,
  SERVE_WEB: booleanString(true),
});

type Env = z.infer<typeof envSchema>;

/** Variables AWS mode cannot do without (issue 3: start-up fails with the list of what is missing). */
export const requiredAwsVariables = [
  "COGNITO_USER_POOL_ID",
  "COGNITO_CLIENT_ID",
  "COGNITO_CLIENT_SECRET",
  "AWS_REGION",
  "DYNAMODB_TABLE",
  "COOKIE_KEYS",
  "PASSKEY_PROOF_SECRET",
  "PUBLIC_URL",
] as const satisfies readonly (keyof Env)[];

export type BffMode = "local" | "aws";
export type LogLevel = (typeof logLevels)[number];

export interface CognitoSettings {
  region: string;
  userPoolId: string;
  clientId: string;
  clientSecret: string;
  /** Set locally (the emulator) or for a VPC endpoint; unset means the SDK's AWS endpoint. */
  endpoint: string | undefined;
  issuer: string;
  jwksUri: string;
  /** True when `issuer` is AWS's own `https://cognito-idp.<region>.amazonaws.com/<pool>`. */
  awsIssuer: boolean;
}

export interface BffConfig {
  mode: BffMode;
  port: number;
  host: string | undefined;
  logLevel: LogLevel;
  publicUrl: string;
  /** Origins whose state-changing calls are accepted: the public URL's, plus TRUSTED_ORIGINS. */
  trustedOrigins: string[];
  /** Express "trust proxy" setting: needed behind a load balancer for req.ip and req.secure. */
  trustProxy: boolean | number | string;
  dataDir: string;
  cognito: CognitoSettings;
  dynamodb: { tableName: string; endpoint: string | undefined; region: string };
  cookie: { name: string; keys: string[]; secure: boolean };
  passkeyProofSecret: string;
  session: { ttlSeconds: number; signInTtlSeconds: number };
  signIn: { maxCodeAttempts: number; maxCodeResends: number };
  rateLimit: { windowSeconds: number; perIp: number; perEmail: number };
  web: { serve: boolean; distDir: string };
}

export class BffConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid BFF configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "BffConfigError";
  }
}

function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === "false") return false;
  if (value === "true") return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value; // an address list or a preset such as "loopback, uniquelocal"
}

function splitList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

function awsIssuerFor(region: string, userPoolId: string): string {
  return `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
}

/**
 * Validates the environment and builds the BFF's configuration. Throws a BffConfigError listing
 * every problem at once; never reads anything but `env` (and, in local mode, config/local.json).
 */
export function loadBffConfig(env: NodeJS.ProcessEnv = process.env): BffConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new BffConfigError(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`));
  }
  const vars = parsed.data;
  return vars.TOBIRA_MODE === "aws" ? buildAwsConfig(vars) : buildLocalConfig(vars, loadLocalConfig(vars.TOBIRA_CONFIG ?? defaultLocalConfigPath));
}

function buildAwsConfig(vars: Env): BffConfig {
  const problems = requiredAwsVariables.filter((name) => vars[name] === undefined).map((name) => `${name}: required when TOBIRA_MODE=aws`);
  const cookieKeys = splitList(vars.COOKIE_KEYS);
  if (vars.COOKIE_KEYS !== undefined && cookieKeys.some((key) => key.length < 32)) {
    problems.push("COOKIE_KEYS: every key must be at least 32 characters");
  }
  if (vars.PUBLIC_URL !== undefined && new URL(vars.PUBLIC_URL).protocol !== "https:") {
    problems.push("PUBLIC_URL: must be an https URL when TOBIRA_MODE=aws (Secure cookies)");
  }
  if (problems.length > 0) throw new BffConfigError(problems);

  // Checked just above; the non-null assertions only restate it for the compiler.
  const region = vars.AWS_REGION!;
  const userPoolId = vars.COGNITO_USER_POOL_ID!;
  const issuer = vars.COGNITO_ISSUER ?? awsIssuerFor(region, userPoolId);
  const publicUrl = stripTrailingSlash(vars.PUBLIC_URL!);
  return {
    mode: "aws",
    port: vars.PORT ?? 3000,
    host: vars.HOST,
    logLevel: vars.LOG_LEVEL ?? "info",
    publicUrl,
    trustedOrigins: [new URL(publicUrl).origin, ...splitList(vars.TRUSTED_ORIGINS).map((origin) => new URL(origin).origin)],
    // In AWS, TLS ends at a load balancer (or CloudFront): trust one hop by default, so that
    // req.secure (Secure cookies) and req.ip (rate limits) reflect the client.
    trustProxy: parseTrustProxy(vars.TRUST_PROXY ?? "1"),
    dataDir: path.resolve(vars.TOBIRA_DATA_DIR ?? ".data"),
    cognito: {
      region,
      userPoolId,
      clientId: vars.COGNITO_CLIENT_ID!,
      clientSecret: vars.COGNITO_CLIENT_SECRET!,
      endpoint: vars.COGNITO_ENDPOINT,
      issuer,
      jwksUri: vars.COGNITO_JWKS_URI ?? `${issuer}/.well-known/jwks.json`,
      awsIssuer: issuer === awsIssuerFor(region, userPoolId),
    },
    dynamodb: { tableName: vars.DYNAMODB_TABLE!, endpoint: vars.DYNAMODB_ENDPOINT, region },
    cookie: { name: "tobira", keys: cookieKeys, secure: true },
    passkeyProofSecret: vars.PASSKEY_PROOF_SECRET!,
    session: { ttlSeconds: vars.SESSION_TTL_SECONDS, signInTtlSeconds: vars.SIGNIN_TTL_SECONDS },
    signIn: { maxCodeAttempts: vars.OTP_MAX_ATTEMPTS ?? 3, maxCodeResends: vars.OTP_MAX_RESENDS },
    rateLimit: { windowSeconds: vars.RATE_LIMIT_WINDOW_SECONDS, perIp: vars.RATE_LIMIT_PER_IP, perEmail: vars.RATE_LIMIT_PER_EMAIL },
    web: { serve: vars.SERVE_WEB, distDir: path.resolve(vars.WEB_DIST_DIR ?? path.join(repoRoot, "dist/web")) },
  };
}

function buildLocalConfig(vars: Env, local: LocalConfig): BffConfig {
  // The BFF's app client is the first one with a secret (config/local.json: "tobira-bff").
  const client = local.userPool.clients.find((candidate) => candidate.clientSecret !== undefined);
  if (client === undefined || client.clientSecret === undefined) {
    throw new BffConfigError(["config/local.json: userPool.clients needs an app client with a clientSecret for the BFF"]);
  }
  const problems: string[] = [];
  const cookieKeys = vars.COOKIE_KEYS !== undefined ? splitList(vars.COOKIE_KEYS) : local.bff.cookieKeys;
  if (cookieKeys.length === 0 || cookieKeys.some((key) => key.length < 32)) problems.push("COOKIE_KEYS: every key must be at least 32 characters");
  if (problems.length > 0) throw new BffConfigError(problems);

  const region = vars.AWS_REGION ?? local.region;
  const userPoolId = vars.COGNITO_USER_POOL_ID ?? local.userPool.id;
  // The emulator's own default address (and so its default issuer): 127.0.0.1, not localhost.
  const endpoint = stripTrailingSlash(vars.COGNITO_ENDPOINT ?? `http://127.0.0.1:${local.ports.emulator}`);
  const issuer = vars.COGNITO_ISSUER ?? `${endpoint}/${userPoolId}`;
  const publicUrl = stripTrailingSlash(vars.PUBLIC_URL ?? local.bff.publicUrl);
  return {
    mode: "local",
    port: vars.PORT ?? local.ports.bff,
    host: vars.HOST ?? "127.0.0.1",
    logLevel: vars.LOG_LEVEL ?? "info",
    publicUrl,
    trustedOrigins: [new URL(publicUrl).origin, ...splitList(vars.TRUSTED_ORIGINS).map((origin) => new URL(origin).origin)],
    trustProxy: parseTrustProxy(vars.TRUST_PROXY),
    dataDir: path.resolve(vars.TOBIRA_DATA_DIR ?? ".data"),
    cognito: {
      region,
      userPoolId,
      clientId: vars.COGNITO_CLIENT_ID ?? client.clientId,
      clientSecret: vars.COGNITO_CLIENT_SECRET ?? client.clientSecret,
      endpoint,
      issuer,
      jwksUri: vars.COGNITO_JWKS_URI ?? `${issuer}/.well-known/jwks.json`,
      awsIssuer: issuer === awsIssuerFor(region, userPoolId),
    },
    dynamodb: {
      tableName: vars.DYNAMODB_TABLE ?? "tobira-local",
      endpoint: vars.DYNAMODB_ENDPOINT ?? `http://127.0.0.1:${local.ports.dynalite}`,
      region,
    },
    // Local mode runs on plain http://localhost, where a Secure cookie would never come back.
    cookie: { name: "tobira", keys: cookieKeys, secure: false },
    passkeyProofSecret: vars.PASSKEY_PROOF_SECRET ?? local.triggers.passkeyProofSecret,
    session: { ttlSeconds: vars.SESSION_TTL_SECONDS, signInTtlSeconds: vars.SIGNIN_TTL_SECONDS },
    signIn: { maxCodeAttempts: vars.OTP_MAX_ATTEMPTS ?? local.triggers.otpMaxAttempts, maxCodeResends: vars.OTP_MAX_RESENDS },
    rateLimit: { windowSeconds: vars.RATE_LIMIT_WINDOW_SECONDS, perIp: vars.RATE_LIMIT_PER_IP, perEmail: vars.RATE_LIMIT_PER_EMAIL },
    web: { serve: vars.SERVE_WEB, distDir: path.resolve(vars.WEB_DIST_DIR ?? path.join(repoRoot, "dist/web")) },
  };
}

function stripTrailingSlash(url: string): string {
  return url.replace(/\/+$/, "");
}
