import path from "node:path";
import { scaledAccountThrottleLimits } from "./account-throttle-limits";
import type { BffEnv } from "./env-schema";
import { BffConfigError } from "./errors";
import type { ModeDefaults } from "./mode-defaults";
import { parseOidcSettings } from "./oidc-settings";
import { cognitoDefaultPasswordPolicy, parsePasswordPolicy } from "./password-policy-setting";
import { cognitoEndpointOf, cognitoIssuerSettings, jwksUrlVariables, plainHttpUrlProblems, publicUrlProblems, serverSettings } from "./server-settings";
import type { AccountSettings, BffConfig, PasskeySettings } from "./types";
import { requireValues, splitList } from "./values";

/** What the sign-in kind cannot do without; AWS mode has no default for any of them. */
export const requiredAwsVariables = [
  "COGNITO_USER_POOL_ID",
  "COGNITO_CLIENT_ID",
  "COGNITO_CLIENT_SECRET",
  "AWS_REGION",
  "DYNAMODB_TABLE",
  "COOKIE_KEYS",
  "PASSKEY_PROOF_SECRET",
  "PUBLIC_URL",
] as const satisfies readonly (keyof BffEnv)[];

/** The BFF that signs people in itself, in either mode; throws a BffConfigError listing every problem. */
export function buildSignInConfig(vars: BffEnv, defaults: ModeDefaults): BffConfig {
  const fallback = defaults.signIn();
  const given = {
    COGNITO_USER_POOL_ID: vars.COGNITO_USER_POOL_ID ?? defaults.userPoolId,
    COGNITO_CLIENT_ID: vars.COGNITO_CLIENT_ID ?? fallback.clientId,
    COGNITO_CLIENT_SECRET: vars.COGNITO_CLIENT_SECRET ?? fallback.clientSecret,
    AWS_REGION: vars.AWS_REGION ?? defaults.region,
    DYNAMODB_TABLE: vars.DYNAMODB_TABLE ?? fallback.dynamodbTable,
    COOKIE_KEYS: vars.COOKIE_KEYS === undefined ? fallback.cookieKeys : splitList(vars.COOKIE_KEYS),
    PASSKEY_PROOF_SECRET: vars.PASSKEY_PROOF_SECRET ?? fallback.passkeyProofSecret,
    PUBLIC_URL: vars.PUBLIC_URL ?? fallback.publicUrl,
  } satisfies Record<(typeof requiredAwsVariables)[number], unknown>;

  const problems: string[] = [];
  const required = requireValues(given, requiredAwsVariables, fallback.missing, problems);
  // Cookie keys sign the session cookie (HMAC): short keys are guessable (OWASP Session Management Cheat Sheet).
  if (given.COOKIE_KEYS !== undefined && (given.COOKIE_KEYS.length === 0 || given.COOKIE_KEYS.some((key) => key.length < 32))) {
    problems.push("COOKIE_KEYS: every key must be at least 32 characters");
  }
  problems.push(...publicUrlProblems(defaults, given.PUBLIC_URL));
  problems.push(...plainHttpUrlProblems(defaults, jwksUrlVariables(vars)));
  const oidc = parseOidcSettings(vars, fallback.oidcClients, problems, fallback.oidcResourceServers);
  if (defaults.mode === "aws" && oidc.clients.length > 0 && oidc.jwks === undefined) {
    problems.push("OIDC_JWKS: required when TOBIRA_MODE=aws and OIDC_CLIENTS is set (every instance must sign with the same keys)");
  }
  const passwordPolicy = parsePasswordPolicy(vars.PASSWORD_POLICY, fallback.passwordPolicy ?? cognitoDefaultPasswordPolicy, problems);
  if (required === undefined || problems.length > 0) throw new BffConfigError(problems);

  const region = required.AWS_REGION;
  const endpoint = cognitoEndpointOf(vars, defaults);
  return {
    kind: "sign-in",
    ...serverSettings(vars, defaults, required.PUBLIC_URL),
    dataDir: path.resolve(vars.TOBIRA_DATA_DIR ?? ".data"),
    cognito: {
      ...cognitoIssuerSettings(vars, defaults, { region, userPoolId: required.COGNITO_USER_POOL_ID, endpoint }),
      clientId: required.COGNITO_CLIENT_ID,
      clientSecret: required.COGNITO_CLIENT_SECRET,
      endpoint,
      timeouts: { connectMs: vars.COGNITO_CONNECT_TIMEOUT_MS, totalMs: vars.COGNITO_TIMEOUT_MS },
    },
    dynamodb: {
      tableName: required.DYNAMODB_TABLE,
      endpoint: vars.DYNAMODB_ENDPOINT ?? fallback.dynamodbEndpoint,
      region,
      timeouts: { connectMs: vars.DYNAMODB_CONNECT_TIMEOUT_MS, totalMs: vars.DYNAMODB_TIMEOUT_MS },
    },
    apiDeadlineMs: vars.API_TIMEOUT_MS,
    cookie: sessionCookieSettings(defaults, required.PUBLIC_URL, required.COOKIE_KEYS),
    passkeyProofSecret: required.PASSKEY_PROOF_SECRET,
    session: { ttlSeconds: vars.SESSION_TTL_SECONDS, idleTimeoutSeconds: vars.SESSION_IDLE_TIMEOUT_SECONDS, signInTtlSeconds: vars.SIGNIN_TTL_SECONDS },
    signIn: {
      maxCodeAttempts: vars.OTP_MAX_ATTEMPTS ?? fallback.maxCodeAttempts,
      maxCodeResends: vars.OTP_MAX_RESENDS,
      resendCooldownSeconds: vars.OTP_RESEND_COOLDOWN_SECONDS,
    },
    passwordPolicy,
    rateLimit: { windowSeconds: vars.RATE_LIMIT_WINDOW_SECONDS, perIp: vars.RATE_LIMIT_PER_IP, perEmail: vars.RATE_LIMIT_PER_EMAIL },
    accountThrottle: scaledAccountThrottleLimits(vars.ACCOUNT_THROTTLE_FACTOR),
    passkeys: passkeySettings(vars),
    oidc,
    account: accountSettings(vars, defaults, { region, cognitoEndpoint: endpoint }),
  };
}

/**
 * The session cookie. Local mode runs on plain http://localhost, where a Secure cookie would never
 * come back. Over https the name takes the `__Host-` prefix (RFC 6265bis, "Cookie Name Prefixes"):
 * the browser then accepts it only Secure, from this origin, with Path=/ and no Domain, so a
 * sibling subdomain cannot plant or overwrite it (session fixation). cookie-session's `.sig`
 * companion cookie shares the prefix and the attributes. The other cookies follow: `__Host-`
 * where they live at Path=/, `__Secure-` for the provider's interaction and resume cookies, whose
 * paths name one interaction (the prefix still keeps a plain-http page from setting them).
 */
function sessionCookieSettings(defaults: ModeDefaults, publicUrl: string, keys: string[]): BffConfig["cookie"] {
  const secure = defaults.mode === "aws";
  const hostPrefixAllowed = secure && new URL(publicUrl).protocol === "https:";
  const host = (name: string) => (hostPrefixAllowed ? `__Host-${name}` : name);
  const secureOnly = (name: string) => (hostPrefixAllowed ? `__Secure-${name}` : name);
  return {
    name: host("tobira"),
    keys,
    secure,
    names: {
      trustedDevice: host("tobira.trusted"),
      knownDevice: host("tobira.device"),
      interaction: host("tobira.interaction"),
      provider: { session: host("tobira.op"), interaction: secureOnly("tobira.op.interaction"), resume: secureOnly("tobira.op.resume") },
    },
  };
}

const day = 24 * 60 * 60;

/** Locally, security mails land in the emulator's outbox (emulator/hosted/local-outbox-intake.ts); on AWS, SES sends them. */
function accountSettings(vars: BffEnv, defaults: ModeDefaults, cognito: { region: string; cognitoEndpoint: string | undefined }): AccountSettings {
  const localOutbox = vars.LOCAL_OUTBOX_URL ?? (cognito.cognitoEndpoint === undefined ? undefined : `${cognito.cognitoEndpoint.replace(/\/+$/, "")}/_local/outbox`);
  const mail: AccountSettings["mail"] = !vars.SECURITY_MAILS
    ? { kind: "off" }
    : defaults.mode === "local"
      ? localOutbox === undefined
        ? { kind: "off" }
        : { kind: "outbox", url: localOutbox }
      : vars.SECURITY_MAIL_FROM === undefined
        ? { kind: "off" }
        : { kind: "ses", from: vars.SECURITY_MAIL_FROM, region: cognito.region };
  return {
    reauthWindowSeconds: vars.REAUTH_WINDOW_SECONDS ?? vars.PASSKEY_REAUTH_SECONDS,
    trustedDevices: { enabled: vars.TRUSTED_DEVICES, lifetimeSeconds: vars.TRUSTED_DEVICE_DAYS * day },
    historyTtlSeconds: vars.SECURITY_HISTORY_DAYS * day,
    mail,
  };
}

function passkeySettings(vars: BffEnv): PasskeySettings {
  return {
    rpId: vars.PASSKEY_RP_ID,
    rpName: vars.PASSKEY_RP_NAME ?? "Tobira",
    origins: splitList(vars.PASSKEY_ORIGINS).map((origin) => new URL(origin).origin),
    reauthWindowSeconds: vars.PASSKEY_REAUTH_SECONDS,
    stepUpWindowSeconds: vars.PASSKEY_STEP_UP_SECONDS,
    challengeTtlSeconds: vars.PASSKEY_CHALLENGE_TTL_SECONDS,
  };
}
