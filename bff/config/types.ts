import type { PasswordPolicyRules } from "../../common/api-contract";
import type { OidcClientConfig, ResourceServerConfig } from "../../common/local-config";
import type { AccountThrottleLimits } from "./account-throttle-limits";
import type { logLevels } from "./env-schema";

/**
 * The BFF's configuration, one type per kind of deployment:
 * - `BffConfig` (kind "sign-in"): the BFF signs people in itself (Cognito custom auth, its own
 *   sessions in DynamoDB, passkeys, the OpenID Provider).
 * - `AlbModeConfig` (kind "alb"): an ALB doing authenticate-cognito signs people in; the BFF
 *   verifies the ALB's headers and keeps no state, so it has no store, secrets or cookie keys.
 * Either runs in `mode` "local" (the emulator and dynalite) or "aws".
 */

export type BffMode = "local" | "aws";
export type LogLevel = (typeof logLevels)[number];

/** The user pool whose tokens the BFF verifies: what both kinds need. */
export interface CognitoIssuerSettings {
  region: string;
  userPoolId: string;
  issuer: string;
  jwksUri: string;
  /** True when `issuer` is AWS's own `https://cognito-idp.<region>.amazonaws.com/<pool>`. */
  awsIssuer: boolean;
}

/** How long the BFF waits for a dependency, in milliseconds (docs/architecture.md, "Deadlines"). */
export interface DependencyTimeouts {
  /** Opening a connection. */
  connectMs: number;
  /** One whole call, the SDK's retries included; then the caller gets 503. */
  totalMs: number;
}

/** The user pool and the BFF's own app client (sign-in kind). */
export interface CognitoSettings extends CognitoIssuerSettings {
  clientId: string;
  clientSecret: string;
  /** Set locally (the emulator) or for a VPC endpoint; unset means the SDK's AWS endpoint. */
  endpoint: string | undefined;
  /** Unset: the defaults of bff/cognito/cognito-client.ts. */
  timeouts?: DependencyTimeouts;
}

/** What every kind has: the HTTP server, its public address and the SPA it serves. */
export interface ServerSettings {
  mode: BffMode;
  port: number;
  host: string | undefined;
  logLevel: LogLevel;
  publicUrl: string;
  /** Origins whose state-changing calls are accepted: the public URL's, plus TRUSTED_ORIGINS. */
  trustedOrigins: string[];
  /** Express "trust proxy" setting: needed behind a load balancer for req.ip and req.secure. */
  trustProxy: boolean | number | string;
  web: { serve: boolean; distDir: string };
}

/** WebAuthn relying-party settings. */
export interface PasskeySettings {
  /** The RP ID; undefined = the host name of `publicUrl` (local: "localhost"). */
  rpId: string | undefined;
  rpName: string;
  /** Accepted origins of ceremonies; empty = the origin of `publicUrl`. */
  origins: string[];
  /** PASSKEY_REAUTH_SECONDS: the default of REAUTH_WINDOW_SECONDS (account actions), kept for existing deployments. */
  reauthWindowSeconds: number;
  /** Adding, confirming or removing a passkey needs the password or a passkey proved at most this long ago (seconds). */
  stepUpWindowSeconds: number;
  /** Lifetime of a WebAuthn challenge (seconds). */
  challengeTtlSeconds: number;
}

/** Where security mails go: the emulator's outbox over HTTP (local), SES (AWS), or nowhere. */
export type SecurityMailSettings = { kind: "outbox"; url: string } | { kind: "ses"; from: string; region: string } | { kind: "off" };

/** The account security centre (bff/account/, bff/security/; README, "Your account"). */
export interface AccountSettings {
  /** Changing the email and deleting the account need a sign-in at most this old (seconds). */
  reauthWindowSeconds: number;
  /** "Don't ask for a code on this device": on or off, and how long a device stays trusted (seconds). */
  trustedDevices: { enabled: boolean; lifetimeSeconds: number };
  /** How long sign-in history and other security events are kept (seconds). */
  historyTtlSeconds: number;
  mail: SecurityMailSettings;
}

/** The OpenID Provider for relying parties. */
export interface OidcSettings {
  clients: OidcClientConfig[];
  /** APIs apps may ask tokens for (RFC 8707); they check them as JWTs or by introspection. */
  resourceServers: ResourceServerConfig[];
  /** The provider's budget per client IP and rate-limit window (bff/oidc/provider-rate-limits.ts). */
  rateLimitPerIp: number;
  /** Private signing keys from the configuration; undefined = generate once and keep under `dataDir`. */
  jwks: { keys: Record<string, unknown>[] } | undefined;
}

/**
 * Every other cookie the BFF and its provider set, prefixed like the session cookie where the
 * deployment allows it (bff/config/sign-in-config.ts): `__Host-` for Path=/ cookies, `__Secure-`
 * for the provider's per-interaction cookies, whose paths name the interaction.
 */
export interface CookieNames {
  trustedDevice: string;
  knownDevice: string;
  /** The pending relying-party request (bff/oidc/pending-interaction.ts). */
  interaction: string;
  provider: { session: string; interaction: string; resume: string };
}

/** The BFF that signs people in itself (the default kind). */
export interface BffConfig extends ServerSettings {
  kind: "sign-in";
  /** Where locally generated state lives (the provider's signing keys in local mode). */
  dataDir: string;
  cognito: CognitoSettings;
  dynamodb: { tableName: string; endpoint: string | undefined; region: string; timeouts: DependencyTimeouts };
  /** Every /api call answers within this many milliseconds (503 service_unavailable otherwise). */
  apiDeadlineMs: number;
  /** `name` is `__Host-tobira` where the deployment allows the prefix (https, Secure), else `tobira`. */
  cookie: { name: string; keys: string[]; secure: boolean; names: CookieNames };
  passkeyProofSecret: string;
  /** `ttlSeconds`: absolute lifetime of a signed-in session; `idleTimeoutSeconds`: it ends sooner when unused this long. */
  session: { ttlSeconds: number; idleTimeoutSeconds: number; signInTtlSeconds: number };
  /** `resendCooldownSeconds`: the least time between two codes of one sign-in (0: none). */
  signIn: { maxCodeAttempts: number; maxCodeResends: number; resendCooldownSeconds: number };
  /** The pool's password policy, for the SPA's checklist (GET /api/config); Cognito enforces it. */
  passwordPolicy: PasswordPolicyRules;
  rateLimit: { windowSeconds: number; perIp: number; perEmail: number };
  /** Per-account throttling of passwords, codes and resets (bff/config/account-throttle-limits.ts). */
  accountThrottle: AccountThrottleLimits;
  oidc: OidcSettings;
  passkeys: PasskeySettings;
  account: AccountSettings;
}

/** How the BFF checks and ends the sign-in of an ALB doing authenticate-cognito (docs/architecture.md, "ALB mode"). */
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

/** The BFF behind an ALB that signs people in (ALB_MODE=true): no store, no secrets of its own. */
export interface AlbModeConfig extends ServerSettings {
  kind: "alb";
  cognito: CognitoIssuerSettings;
  alb: AlbModeSettings;
}

/** Either kind, as bff/main.ts loads it from the environment. */
export type BffRuntimeConfig = BffConfig | AlbModeConfig;
