import { describe, expect, it } from "vitest";
import { BffConfigError, loadBffConfig, requiredAwsVariables } from "../../../bff/config";
import { loadLocalConfig } from "../../../common/local-config";

const local = loadLocalConfig();

const awsEnv = {
  TOBIRA_MODE: "aws",
  COGNITO_USER_POOL_ID: "eu-west-1_AbCdEf123",
  COGNITO_CLIENT_ID: "abcdefghijklmnopqrstuvwxyz",
  COGNITO_CLIENT_SECRET: "s3cr3t",
  AWS_REGION: "eu-west-1",
  DYNAMODB_TABLE: "tobira",
  COOKIE_KEYS: "k".repeat(32) + ",old-" + "o".repeat(32),
  PASSKEY_PROOF_SECRET: "p".repeat(32),
  PUBLIC_URL: "https://id.example.com/",
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadBffConfig(env);
  } catch (error) {
    if (error instanceof BffConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a BffConfigError");
}

describe("loadBffConfig", () => {
  it("needs nothing in local mode: the pool, client, keys and ports come from config/local.json", () => {
    const config = loadBffConfig({});
    const client = local.userPool.clients[0]!;
    expect(config).toMatchObject({
      kind: "sign-in",
      mode: "local",
      port: local.ports.bff,
      publicUrl: local.bff.publicUrl,
      trustedOrigins: [new URL(local.bff.publicUrl).origin],
      cookie: { name: "tobira", keys: local.bff.cookieKeys, secure: false },
      passkeyProofSecret: local.triggers.passkeyProofSecret,
      signIn: { maxCodeAttempts: local.triggers.otpMaxAttempts, maxCodeResends: 3, resendCooldownSeconds: 30 },
      cognito: {
        region: local.region,
        userPoolId: local.userPool.id,
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        endpoint: `http://127.0.0.1:${local.ports.emulator}`,
        issuer: `http://127.0.0.1:${local.ports.emulator}/${local.userPool.id}`,
        jwksUri: `http://127.0.0.1:${local.ports.emulator}/${local.userPool.id}/.well-known/jwks.json`,
        awsIssuer: false,
      },
      dynamodb: { endpoint: `http://127.0.0.1:${local.ports.dynalite}`, tableName: "tobira-local" },
    });
  });

  it("takes the emulator's issuer and endpoints from the environment in local mode", () => {
    const config = loadBffConfig({ COGNITO_ENDPOINT: "http://127.0.0.1:4100/", COGNITO_ISSUER: "http://127.0.0.1:4100/pool" });
    expect(config.cognito).toMatchObject({
      endpoint: "http://127.0.0.1:4100",
      issuer: "http://127.0.0.1:4100/pool",
      jwksUri: "http://127.0.0.1:4100/pool/.well-known/jwks.json",
    });
  });

  it("lists every missing variable in AWS mode at once", () => {
    const problems = problemsOf({ TOBIRA_MODE: "aws" });
    expect(problems).toHaveLength(requiredAwsVariables.length);
    for (const name of requiredAwsVariables) expect(problems.join("\n")).toContain(name);
  });

  it("lists only what is missing when some AWS variables are set", () => {
    const { COOKIE_KEYS: _cookieKeys, PUBLIC_URL: _publicUrl, ...partial } = awsEnv;
    expect(problemsOf(partial)).toEqual(["COOKIE_KEYS: required when TOBIRA_MODE=aws", "PUBLIC_URL: required when TOBIRA_MODE=aws"]);
  });

  it("builds the AWS configuration: Cognito's issuer, Secure cookies, one trusted proxy hop, key rotation list", () => {
    const config = loadBffConfig(awsEnv);
    expect(config).toMatchObject({
      mode: "aws",
      port: 3000,
      publicUrl: "https://id.example.com",
      trustedOrigins: ["https://id.example.com"],
      trustProxy: 1,
      cookie: { secure: true, keys: ["k".repeat(32), "old-" + "o".repeat(32)] },
      dynamodb: { tableName: "tobira", endpoint: undefined, region: "eu-west-1" },
      cognito: {
        endpoint: undefined,
        issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123",
        jwksUri: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/jwks.json",
        awsIssuer: true,
      },
    });
  });

  it("names the session cookie __Host-tobira over https (Secure, Path=/, no Domain), plain tobira on http://localhost", () => {
    expect(loadBffConfig(awsEnv).cookie.name).toBe("__Host-tobira");
    expect(loadBffConfig({}).cookie.name).toBe("tobira");
  });

  it("prefixes every other cookie over https: __Host- at Path=/, __Secure- for the provider's per-interaction cookies; plain names on http://localhost", () => {
    expect(loadBffConfig(awsEnv).cookie.names).toEqual({
      trustedDevice: "__Host-tobira.trusted",
      knownDevice: "__Host-tobira.device",
      interaction: "__Host-tobira.interaction",
      provider: { session: "__Host-tobira.op", interaction: "__Secure-tobira.op.interaction", resume: "__Secure-tobira.op.resume" },
    });
    expect(loadBffConfig({}).cookie.names).toEqual({
      trustedDevice: "tobira.trusted",
      knownDevice: "tobira.device",
      interaction: "tobira.interaction",
      provider: { session: "tobira.op", interaction: "tobira.op.interaction", resume: "tobira.op.resume" },
    });
  });

  it("ends an unused session after SESSION_IDLE_TIMEOUT_SECONDS (default one hour) beside the absolute 8 hours", () => {
    expect(loadBffConfig({}).session).toMatchObject({ ttlSeconds: 8 * 3600, idleTimeoutSeconds: 3600 });
    expect(loadBffConfig({ SESSION_IDLE_TIMEOUT_SECONDS: "900" }).session.idleTimeoutSeconds).toBe(900);
    expect(problemsOf({ SESSION_IDLE_TIMEOUT_SECONDS: "0" })).toEqual([expect.stringContaining("SESSION_IDLE_TIMEOUT_SECONDS")]);
  });

  it("refuses a plain-http COGNITO_JWKS_URI, or COGNITO_ISSUER it is derived from, in AWS mode (a key served in clear could be swapped)", () => {
    expect(problemsOf({ ...awsEnv, COGNITO_JWKS_URI: "http://keys.example.com/jwks.json" })).toEqual([expect.stringMatching(/^COGNITO_JWKS_URI: must be an https URL/)]);
    expect(problemsOf({ ...awsEnv, COGNITO_ISSUER: "http://cognito.example.com/pool" })).toEqual([expect.stringMatching(/^COGNITO_ISSUER: must be an https URL/)]);
    expect(loadBffConfig({ ...awsEnv, COGNITO_JWKS_URI: "http://127.0.0.1:9229/pool/.well-known/jwks.json" }).cognito.jwksUri).toMatch(/^http:\/\/127\.0\.0\.1/);
  });

  it("refuses a plain-http PUBLIC_URL in AWS mode", () => {
    expect(problemsOf({ ...awsEnv, PUBLIC_URL: "http://id.example.com" })).toEqual([expect.stringContaining("PUBLIC_URL: must be an https URL")]);
  });

  it("refuses cookie keys shorter than 32 characters", () => {
    expect(problemsOf({ ...awsEnv, COOKIE_KEYS: "short" })).toEqual(["COOKIE_KEYS: every key must be at least 32 characters"]);
    expect(problemsOf({ COOKIE_KEYS: "short" })).toEqual(["COOKIE_KEYS: every key must be at least 32 characters"]);
  });

  it("refuses a COOKIE_KEYS of separators only (no key at all) in AWS mode", () => {
    expect(problemsOf({ ...awsEnv, COOKIE_KEYS: " , " })).toEqual(["COOKIE_KEYS: every key must be at least 32 characters"]);
  });

  it("treats an empty variable as unset", () => {
    expect(loadBffConfig({ PUBLIC_URL: "", LOG_LEVEL: "" })).toMatchObject({ publicUrl: local.bff.publicUrl, logLevel: "info" });
  });

  it("refuses malformed values with the variable's name", () => {
    const problems = problemsOf({ PORT: "eighty", LOG_LEVEL: "loud", TOBIRA_MODE: "cloud", RATE_LIMIT_PER_IP: "-1", COGNITO_ENDPOINT: "not a url" });
    for (const name of ["PORT", "LOG_LEVEL", "TOBIRA_MODE", "RATE_LIMIT_PER_IP", "COGNITO_ENDPOINT"]) {
      expect(problems.some((problem) => problem.startsWith(`${name}:`))).toBe(true);
    }
  });

  it("adds TRUSTED_ORIGINS to the public URL's origin", () => {
    const config = loadBffConfig({ TRUSTED_ORIGINS: "http://localhost:5173, http://127.0.0.1:5173/" });
    expect(config.trustedOrigins).toEqual([new URL(local.bff.publicUrl).origin, "http://localhost:5173", "http://127.0.0.1:5173"]);
  });

  it("reads the rate-limit and sign-in knobs", () => {
    const config = loadBffConfig({ RATE_LIMIT_PER_IP: "7", RATE_LIMIT_PER_EMAIL: "3", RATE_LIMIT_WINDOW_SECONDS: "30", OTP_MAX_RESENDS: "1", SIGNIN_TTL_SECONDS: "120" });
    expect(config.rateLimit).toEqual({ perIp: 7, perEmail: 3, windowSeconds: 30 });
    expect(config.signIn.maxCodeResends).toBe(1);
    expect(config.session.signInTtlSeconds).toBe(120);
  });

  it("treats a COGNITO_ISSUER override in AWS mode as a custom issuer", () => {
    expect(loadBffConfig({ ...awsEnv, COGNITO_ISSUER: "https://issuer.example.com/pool" }).cognito.awsIssuer).toBe(false);
  });
});
