import { fileURLToPath } from "node:url";
import path from "node:path";
import { z } from "zod";
import { ALB_SESSION_COOKIE_NAME, cognitoLogoutUrl } from "../common/alb-logout";
import { defaultLocalConfigPath, loadLocalConfig, oidcClientSchema, type LocalConfig, type OidcClientConfig } from "../common/local-config";

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
  /** Behind an ALB doing authenticate-cognito (bff/alb/alb-app.ts); see buildAlbModeConfig. */
  ALB_MODE: booleanString(false),
  ALB_ARN: optionalString.pipe(
    z.string().regex(/^arn:aws[\w-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/app\/[\w-]+\/[0-9a-f]+$/, "not an Application Load Balancer ARN").optional(),
  ),
  ALB_KEYS_ENDPOINT: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  ALB_LOGOUT_URI: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  ALB_SESSION_COOKIE_NAME: optionalString.pipe(z.string().regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, "not a cookie name").optional()),
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
  /** JSON array of relying parties (common/local-config.ts `oidcClientSchema`); aws mode. */
  OIDC_CLIENTS: optionalString,
  /** JSON `{"keys":[…]}` of private signing JWKs, newest first; aws mode (locally generated under the data folder). */
  OIDC_JWKS: optionalString,
  PASSKEY_RP_ID: optionalString,
  PASSKEY_RP_NAME: optionalString,
  PASSKEY_ORIGINS: optionalString.refine(
    (value) => value === undefined || splitList(value).every((origin) => URL.canParse(origin) && /^https?:$/.test(new URL(origin).protocol)),
    "must be a comma-separated list of http(s) origins",
  ),
  PASSKEY_REAUTH_SECONDS: positiveInt(10 * 60),
  PASSKEY_CHALLENGE_TTL_SECONDS: positiveInt(5 * 60),
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
  /** Set only when ALB_MODE=true: the BFF trusts the ALB's sign-in and keeps no session of its own. */
  alb?: AlbModeSettings;
  oidc: OidcSettings;
  passkeys: PasskeySettings;
}

/** WebAuthn relying-party settings (issue 5). */
export interface PasskeySettings {
  /** The RP ID; undefined = the host name of `publicUrl` (local: "localhost"). */
  rpId: string | undefined;
  rpName: string;
  /** Accepted origins of ceremonies; empty = the origin of `publicUrl`. */
  origins: string[];
  /** Adding a passkey needs a sign-in at most this old (seconds). */
  reauthWindowSeconds: number;
  /** Lifetime of a WebAuthn challenge (seconds). */
  challengeTtlSeconds: number;
}

/** The OpenID Provider for relying parties (issue 4). */
export interface OidcSettings {
  clients: OidcClientConfig[];
  /** Private signing keys from the configuration; undefined = generate once and keep under `dataDir`. */
  jwks: { keys: Record<string, unknown>[] } | undefined;
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
  if (vars.ALB_MODE) return buildAlbModeConfig(vars);
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
  const oidc = parseOidcSettings(vars, [], problems);
  if (oidc.clients.length > 0 && oidc.jwks === undefined) {
    problems.push("OIDC_JWKS: required when TOBIRA_MODE=aws and OIDC_CLIENTS is set (every instance must sign with the same keys)");
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
    passkeys: passkeySettings(vars),
    oidc,
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
  const oidc = parseOidcSettings(vars, local.oidc.clients, problems);
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
    passkeys: passkeySettings(vars),
    oidc,
  };
}

const oidcJwksSchema = z.object({ keys: z.array(z.record(z.string(), z.unknown()).refine((key) => typeof key.d === "string", "every key must be a private JWK")).min(1) });

/** OIDC_CLIENTS / OIDC_JWKS (JSON), else the local file's clients; problems are appended to `problems`. */
function parseOidcSettings(vars: Env, localClients: OidcClientConfig[], problems: string[]): OidcSettings {
  const parseJson = (name: "OIDC_CLIENTS" | "OIDC_JWKS", schema: z.ZodType): unknown => {
    const raw = vars[name];
    if (raw === undefined) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      problems.push(`${name}: not valid JSON`);
      return undefined;
    }
    const parsed = schema.safeParse(json);
    if (parsed.success) return parsed.data;
    problems.push(...parsed.error.issues.map((issue) => `${name}${issue.path.length > 0 ? `.${issue.path.join(".")}` : ""}: ${issue.message}`));
    return undefined;
  };
  const clients = parseJson("OIDC_CLIENTS", z.array(oidcClientSchema)) as OidcClientConfig[] | undefined;
  const jwks = parseJson("OIDC_JWKS", oidcJwksSchema) as OidcSettings["jwks"];
  return { clients: clients ?? localClients, jwks };
}

function passkeySettings(vars: Env): PasskeySettings {
  return {
    rpId: vars.PASSKEY_RP_ID,
    rpName: vars.PASSKEY_RP_NAME ?? "Tobira",
    origins: splitList(vars.PASSKEY_ORIGINS).map((origin) => new URL(origin).origin),
    reauthWindowSeconds: vars.PASSKEY_REAUTH_SECONDS,
    challengeTtlSeconds: vars.PASSKEY_CHALLENGE_TTL_SECONDS,
  };
}

function stripTrailingSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

// ---- ALB mode ---------------------------------------------------------------------------------

/** How the BFF checks and ends the sign-in of an ALB doing authenticate-cognito (DESIGN.md, "The second article"). */
export interface AlbModeSettings {
  /** The load balancer whose `signer` is accepted in `x-amzn-oidc-data`. */
  albArn: string;
  /** ALB public keys, `<endpoint>/<kid>` (AWS: `https://public-keys.auth.elb.<region>.amazonaws.com`). */
  keysEndpoint: string;
  /** The app client of the authenticate-cognito action. */
  clientId: string;
  /** Cognito's managed-login base URL (`<base>/oauth2/userInfo`, `<base>/logout`). */
  hostedUiUrl: string;
  userInfoUrl: string;
  /** A sign-out URL registered on the app client. */
  logoutUri: string;
  /** Cognito's `/logout?client_id=…&logout_uri=…`, built once. */
  logoutUrl: string;
  /** The action's SessionCookieName; the shards are `<name>-0`, `<name>-1`, … */
  sessionCookieName: string;
}

/** What ALB mode needs in AWS. No table, cookie keys or passkey secret: the BFF keeps no state of its own. */
export const requiredAlbVariables = [
  "COGNITO_USER_POOL_ID",
  "COGNITO_CLIENT_ID",
  "AWS_REGION",
  "PUBLIC_URL",
  "ALB_ARN",
  "COGNITO_DOMAIN",
  "ALB_LOGOUT_URI",
] as const satisfies readonly (keyof Env)[];

/** The local ALB's app client in config/local.json. */
export const LOCAL_ALB_CLIENT_NAME = "tobira-alb";

function hostedUiBase(domain: string): string | undefined {
  if (/^https?:\/\//i.test(domain)) return URL.canParse(domain) ? stripTrailingSlash(new URL(domain).href) : undefined;
  return /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i.test(domain) ? `https://${domain.toLowerCase()}` : undefined;
}

/**
 * ALB_MODE=true: the rest of the configuration as in the chosen TOBIRA_MODE, plus `alb`. Locally
 * the defaults are the local ALB's (the "tobira-alb" client, its sign-out URL and origin, the
 * emulator as managed login); in AWS every value of requiredAlbVariables must be given, and the
 * settings of the BFF's own sign-in (table, cookie keys, client secret, passkey secret) stay empty.
 */
function buildAlbModeConfig(vars: Env): BffConfig {
  const problems: string[] = [];
  let base: BffConfig;
  let clientId = vars.COGNITO_CLIENT_ID;
  let logoutUri = vars.ALB_LOGOUT_URI;
  let albArn = vars.ALB_ARN;
  let domain = vars.COGNITO_DOMAIN;
  if (vars.TOBIRA_MODE === "local") {
    const local = loadLocalConfig(vars.TOBIRA_CONFIG ?? defaultLocalConfigPath);
    const albClient = local.userPool.clients.find((candidate) => candidate.name === LOCAL_ALB_CLIENT_NAME);
    clientId ??= albClient?.clientId;
    logoutUri ??= albClient?.logoutUrls[0];
    const albOrigin = albClient?.callbackUrls[0] === undefined ? undefined : new URL(albClient.callbackUrls[0]).origin;
    base = buildLocalConfig({ ...vars, PUBLIC_URL: vars.PUBLIC_URL ?? albOrigin }, local);
    albArn ??= `arn:aws:elasticloadbalancing:${base.cognito.region}:${local.accountId}:loadbalancer/app/tobira-local/0123456789abcdef`;
    domain ??= base.cognito.endpoint;
    if (clientId === undefined) problems.push(`COGNITO_CLIENT_ID: required (config/local.json has no "${LOCAL_ALB_CLIENT_NAME}" app client)`);
    if (logoutUri === undefined) problems.push(`ALB_LOGOUT_URI: required (the "${LOCAL_ALB_CLIENT_NAME}" app client has no sign-out URL)`);
  } else {
    problems.push(...requiredAlbVariables.filter((name) => vars[name] === undefined).map((name) => `${name}: required when TOBIRA_MODE=aws and ALB_MODE=true`));
    if (problems.length > 0) throw new BffConfigError(problems);
    const unused = "unused-in-alb-mode-".padEnd(32, "0");
    const aws = buildAwsConfig({ ...vars, COGNITO_CLIENT_SECRET: unused, DYNAMODB_TABLE: unused, COOKIE_KEYS: unused, PASSKEY_PROOF_SECRET: unused });
    // Nothing in ALB mode may rely on these; empty rather than made up.
    base = { ...aws, cognito: { ...aws.cognito, clientSecret: "" }, dynamodb: { ...aws.dynamodb, tableName: "" }, cookie: { ...aws.cookie, keys: [] }, passkeyProofSecret: "" };
  }
  const hostedUiUrl = domain === undefined ? undefined : hostedUiBase(domain);
  if (domain !== undefined && hostedUiUrl === undefined) problems.push("COGNITO_DOMAIN: must be a host name (e.g. auth.example.com) or an http(s) URL");
  let logoutUrl: string | undefined;
  if (hostedUiUrl !== undefined && clientId !== undefined && logoutUri !== undefined) {
    try {
      logoutUrl = cognitoLogoutUrl({ baseUrl: hostedUiUrl, clientId, logoutUri });
    } catch (error) {
      problems.push(`ALB_LOGOUT_URI: ${error instanceof Error ? error.message : "invalid"}`);
    }
  }
  if (problems.length > 0 || logoutUrl === undefined) throw new BffConfigError(problems);
  const region = base.cognito.region;
  return {
    ...base,
    alb: {
      albArn: albArn!,
      keysEndpoint: stripTrailingSlash(vars.ALB_KEYS_ENDPOINT ?? `https://public-keys.auth.elb.${region}.amazonaws.com`),
      clientId: clientId!,
      hostedUiUrl: hostedUiUrl!,
      userInfoUrl: `${hostedUiUrl!}/oauth2/userInfo`,
      logoutUri: logoutUri!,
      logoutUrl,
      sessionCookieName: vars.ALB_SESSION_COOKIE_NAME ?? ALB_SESSION_COOKIE_NAME,
    },
  };
}
