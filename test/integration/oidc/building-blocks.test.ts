import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BffConfigError, loadBffConfig } from "../../../bff/config";
import { claimsFromCognitoAttributes } from "../../../bff/oidc/accounts";
import { acrFor, acrValues, toClientMetadata } from "../../../bff/oidc/provider-options";
import { jwksFileName, generateSigningKeys, loadOrCreateLocalSigningKeys } from "../../../bff/oidc/signing-keys";
import { maySkipSignIn } from "../../../bff/oidc/single-sign-on";
import { loadLocalConfig, localConfigSchema } from "../../../common/local-config";

/** The OpenID Provider's pure parts: SSO decisions, claims, keys, client metadata and configuration. */

function idToken(sub: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "RS256" })}.${part({ sub })}.signature`;
}

describe("maySkipSignIn (single sign-on)", () => {
  const now = 1_000_000;
  const session = { sub: "user-1", authTime: now - 100, amr: ["pwd", "otp", "mfa"] };
  const login = (reasons: string[]) => ({ name: "login", reasons });

  it("reuses the session when the provider merely has none of its own", () => {
    expect(maySkipSignIn(login(["no_session"]), {}, session, now)).toBe(true);
  });

  it("never for prompt=login", () => {
    expect(maySkipSignIn(login(["login_prompt", "no_session"]), {}, session, now)).toBe(false);
  });

  it("never for a reason it does not know (e.g. an essential acr)", () => {
    expect(maySkipSignIn(login(["essential_acr"]), {}, session, now)).toBe(false);
  });

  it("for a passkey asked with acr_values only when the Tobira sign-in used a passkey", () => {
    expect(maySkipSignIn(login(["tobira_passkey_required"]), {}, session, now)).toBe(false);
    expect(maySkipSignIn(login(["tobira_passkey_required"]), {}, { ...session, amr: ["hwk", "user"] }, now)).toBe(true);
    expect(maySkipSignIn(login(["tobira_passkey_required"]), {}, { ...session, amr: ["pwd", "swk", "user", "mfa"] }, now)).toBe(true);
  });

  it("never for a consent prompt", () => {
    expect(maySkipSignIn({ name: "consent", reasons: ["op_scopes_missing"] }, {}, session, now)).toBe(false);
  });

  it("not when max_age has passed", () => {
    expect(maySkipSignIn(login(["no_session", "max_age"]), { max_age: 99 }, session, now)).toBe(false);
  });

  it("never for max_age=0", () => {
    expect(maySkipSignIn(login(["no_session", "max_age"]), { max_age: 0 }, { ...session, authTime: now }, now)).toBe(false);
  });

  it("not for a max_age that is not a number", () => {
    expect(maySkipSignIn(login(["no_session", "max_age"]), { max_age: "soon" }, session, now)).toBe(false);
  });

  it("when max_age has not passed", () => {
    expect(maySkipSignIn(login(["no_session", "max_age"]), { max_age: 3600 }, session, now)).toBe(true);
  });

  it("not when id_token_hint names another user", () => {
    expect(maySkipSignIn(login(["no_session", "id_token_hint"]), { id_token_hint: idToken("user-2") }, session, now)).toBe(false);
  });

  it("not when id_token_hint cannot be read", () => {
    expect(maySkipSignIn(login(["no_session", "id_token_hint"]), { id_token_hint: "garbage" }, session, now)).toBe(false);
  });

  it("when id_token_hint names this user", () => {
    expect(maySkipSignIn(login(["no_session", "id_token_hint"]), { id_token_hint: idToken("user-1") }, session, now)).toBe(true);
  });
});

describe("claimsFromCognitoAttributes", () => {
  it("turns Cognito's string booleans into booleans and keeps standard claims", () => {
    expect(claimsFromCognitoAttributes({ sub: "s", email: "a@example.com", email_verified: "true", phone_number_verified: "false" })).toEqual({
      email: "a@example.com",
      email_verified: true,
      phone_number_verified: false,
    });
  });

  it("makes booleans only of the *_verified claims: a name spelled true stays a string", () => {
    expect(claimsFromCognitoAttributes({ name: "true", nickname: true, email_verified: true })).toEqual({ name: "true", nickname: "true", email_verified: true });
  });

  it("makes updated_at a number of seconds, and drops one that is not", () => {
    expect(claimsFromCognitoAttributes({ updated_at: "1700000000" })).toEqual({ updated_at: 1700000000 });
    expect(claimsFromCognitoAttributes({ updated_at: "yesterday" })).toEqual({});
  });

  it("keeps the profile and phone scopes' claims and drops address (a string in Cognito, an object in OIDC)", () => {
    expect(claimsFromCognitoAttributes({ given_name: "Ada", family_name: "Lovelace", locale: "en-GB", phone_number: "+15555550100", address: "1 Main St" })).toEqual({
      given_name: "Ada",
      family_name: "Lovelace",
      locale: "en-GB",
      phone_number: "+15555550100",
    });
  });

  it("drops the username and custom:/cognito: attributes", () => {
    expect(claimsFromCognitoAttributes({ username: "u", "custom:tier": "gold", "cognito:groups": "x", email: "a@example.com" })).toEqual({
      email: "a@example.com",
    });
  });
});

describe("acrFor", () => {
  it("maps a passkey to the passkey acr, mfa to the multi-factor acr and anything else to single factor", () => {
    expect(acrFor(["pwd", "otp", "mfa"])).toBe(acrValues.mfa);
    expect(acrFor(["hwk", "user"])).toBe(acrValues.passkey);
    expect(acrFor(["pwd", "swk", "user", "mfa"])).toBe(acrValues.passkey);
    expect(acrFor(["pwd"])).toBe(acrValues.singleFactor);
  });
});

describe("toClientMetadata", () => {
  it("registers a client with a secret for the code flow with refresh tokens", () => {
    expect(
      toClientMetadata({ clientId: "a", clientSecret: "s", name: "A", redirectUris: ["https://a.example/cb"], postLogoutRedirectUris: [], firstParty: true }),
    ).toMatchObject({ client_id: "a", client_secret: "s", client_name: "A", response_types: ["code"], grant_types: ["authorization_code", "refresh_token"] });
  });

  it("makes a client without a secret public (PKCE only)", () => {
    const metadata = toClientMetadata({ clientId: "p", name: "P", redirectUris: ["https://p.example/cb"], postLogoutRedirectUris: [], firstParty: false });
    expect(metadata.token_endpoint_auth_method).toBe("none");
    expect(metadata).not.toHaveProperty("client_secret");
  });
});

describe("local signing keys", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it("are generated once (RS256 and ES256, private, owner-only file) and read back afterwards", () => {
    dir = mkdtempSync(path.join(tmpdir(), "tobira-keys-"));
    const first = loadOrCreateLocalSigningKeys(dir);
    expect(first.keys.map((key) => key.alg)).toEqual(["RS256", "ES256"]);
    expect(first.keys.every((key) => typeof key.d === "string" && typeof key.kid === "string")).toBe(true);
    expect(statSync(path.join(dir, jwksFileName)).mode & 0o777).toBe(0o600);
    expect(loadOrCreateLocalSigningKeys(dir)).toEqual(first);
  });

  it("refuses a key file that holds no private keys", () => {
    dir = mkdtempSync(path.join(tmpdir(), "tobira-keys-"));
    const publicOnly = generateSigningKeys().keys.map(({ d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...rest }) => rest);
    writeFileSync(path.join(dir, jwksFileName), JSON.stringify({ keys: publicOnly }));
    expect(() => loadOrCreateLocalSigningKeys(dir!)).toThrow(/private JWKS/);
    expect(JSON.parse(readFileSync(path.join(dir, jwksFileName), "utf8")).keys).toHaveLength(2);
  });
});

describe("configuration (OIDC_CLIENTS, OIDC_JWKS)", () => {
  const awsEnv = {
    TOBIRA_MODE: "aws",
    COGNITO_USER_POOL_ID: "eu-west-1_AbCdEf123",
    COGNITO_CLIENT_ID: "abcdefghijklmnopqrstuvwxyz",
    COGNITO_CLIENT_SECRET: "s3cr3t",
    AWS_REGION: "eu-west-1",
    DYNAMODB_TABLE: "tobira",
    COOKIE_KEYS: "k".repeat(32),
    PASSKEY_PROOF_SECRET: "p".repeat(32),
    PUBLIC_URL: "https://id.example.com",
  };
  const client = { clientId: "app", clientSecret: "app-secret-0000000000000000000000000", name: "App", redirectUris: ["https://app.example.com/cb"] };
  const api = { clientId: "orders-api", clientSecret: "orders-api-secret-000000000000000000", name: "Orders API", audience: "https://api.example.com/orders" };
  const jwks = JSON.stringify(generateSigningKeys());

  function problemsOf(env: Record<string, string>): string[] {
    try {
      loadBffConfig(env);
    } catch (error) {
      if (error instanceof BffConfigError) return error.problems;
      throw error;
    }
    throw new Error("expected a BffConfigError");
  }

  it("local mode registers the demo RP from config/local.json and generates keys later", () => {
    const config = loadBffConfig({});
    expect(config.oidc.clients.map((entry) => entry.clientId)).toContain("demo-rp");
    expect(config.oidc.jwks).toBeUndefined();
  });

  it("aws mode reads the clients and keys from JSON variables", () => {
    const jwks = generateSigningKeys();
    const config = loadBffConfig({ ...awsEnv, OIDC_CLIENTS: JSON.stringify([client]), OIDC_JWKS: JSON.stringify(jwks) });
    expect(config.oidc.clients).toEqual([{ ...client, postLogoutRedirectUris: [], firstParty: false }]);
    expect(config.oidc.jwks).toEqual(jwks);
  });

  it("aws mode without OIDC_CLIENTS registers no client", () => {
    expect(loadBffConfig(awsEnv).oidc.clients).toEqual([]);
  });

  it("refuses OIDC_CLIENTS that is not JSON", () => {
    expect(problemsOf({ ...awsEnv, OIDC_CLIENTS: "[oops" })).toContain("OIDC_CLIENTS: not valid JSON");
  });

  it("refuses a client without redirect URIs", () => {
    expect(problemsOf({ ...awsEnv, OIDC_CLIENTS: JSON.stringify([{ ...client, redirectUris: [] }]), OIDC_JWKS: JSON.stringify(generateSigningKeys()) })).toEqual([
      expect.stringMatching(/^OIDC_CLIENTS\.0\.redirectUris: /),
    ]);
  });

  it("refuses clients without OIDC_JWKS in aws mode (instances must share keys)", () => {
    expect(problemsOf({ ...awsEnv, OIDC_CLIENTS: JSON.stringify([client]) })).toEqual([expect.stringMatching(/^OIDC_JWKS: required/)]);
  });

  it("refuses a client secret under 32 characters, naming the variable", () => {
    expect(problemsOf({ ...awsEnv, OIDC_CLIENTS: JSON.stringify([{ ...client, clientSecret: "s".repeat(31) }]), OIDC_JWKS: jwks })).toEqual([
      "OIDC_CLIENTS.0.clientSecret: must be at least 32 characters",
    ]);
    expect(loadBffConfig({ ...awsEnv, OIDC_CLIENTS: JSON.stringify([{ ...client, clientSecret: "s".repeat(32) }]), OIDC_JWKS: jwks }).oidc.clients).toHaveLength(1);
  });

  it("refuses a client secret under 32 characters in config/local.json", () => {
    const local = loadLocalConfig();
    const withShortSecret = { ...local, oidc: { ...local.oidc, clients: [{ ...client, clientSecret: "short" }] } };
    expect(localConfigSchema.safeParse(withShortSecret).error?.issues).toEqual([
      expect.objectContaining({ path: ["oidc", "clients", 0, "clientSecret"], message: "must be at least 32 characters" }),
    ]);
  });

  it("local mode registers the demo API from config/local.json; aws mode none without OIDC_RESOURCE_SERVERS", () => {
    expect(loadBffConfig({}).oidc.resourceServers.map((server) => server.clientId)).toEqual(["demo-api"]);
    expect(loadBffConfig(awsEnv).oidc.resourceServers).toEqual([]);
  });

  it("aws mode reads the registered APIs from OIDC_RESOURCE_SERVERS (JWT access tokens unless opaque)", () => {
    const config = loadBffConfig({ ...awsEnv, OIDC_RESOURCE_SERVERS: JSON.stringify([api]) });
    expect(config.oidc.resourceServers).toEqual([{ ...api, scopes: [], accessTokenFormat: "jwt" }]);
  });

  it("refuses OIDC_RESOURCE_SERVERS that is not JSON", () => {
    expect(problemsOf({ ...awsEnv, OIDC_RESOURCE_SERVERS: "{" })).toEqual(["OIDC_RESOURCE_SERVERS: not valid JSON"]);
  });

  it("refuses an API secret under 32 characters, naming the variable", () => {
    expect(problemsOf({ ...awsEnv, OIDC_RESOURCE_SERVERS: JSON.stringify([{ ...api, clientSecret: "s".repeat(31) }]) })).toEqual([
      "OIDC_RESOURCE_SERVERS.0.clientSecret: must be at least 32 characters",
    ]);
  });

  it("refuses an API audience with a fragment (RFC 8707 §2)", () => {
    expect(problemsOf({ ...awsEnv, OIDC_RESOURCE_SERVERS: JSON.stringify([{ ...api, audience: "https://api.example.com/#orders" }]) })).toEqual([
      "OIDC_RESOURCE_SERVERS.0.audience: must not contain a fragment (RFC 8707 §2)",
    ]);
  });

  it("refuses an API scope that is not a scope token (RFC 6749 §3.3)", () => {
    expect(problemsOf({ ...awsEnv, OIDC_RESOURCE_SERVERS: JSON.stringify([{ ...api, scopes: ["orders read"] }]) })).toEqual([
      expect.stringMatching(/^OIDC_RESOURCE_SERVERS\.0\.scopes\.0: /),
    ]);
  });

  it("refuses an API whose client id is an app's", () => {
    expect(
      problemsOf({ ...awsEnv, OIDC_CLIENTS: JSON.stringify([client]), OIDC_JWKS: jwks, OIDC_RESOURCE_SERVERS: JSON.stringify([{ ...api, clientId: client.clientId }]) }),
    ).toEqual(["OIDC_CLIENTS / OIDC_RESOURCE_SERVERS: the client id app is used twice"]);
  });

  it("refuses two APIs with the same audience", () => {
    expect(problemsOf({ ...awsEnv, OIDC_RESOURCE_SERVERS: JSON.stringify([api, { ...api, clientId: "orders-api-2" }]) })).toEqual([
      "OIDC_RESOURCE_SERVERS: the audience https://api.example.com/orders is registered twice",
    ]);
  });

  it("OIDC_RATE_LIMIT_PER_IP: 1000 by default, a positive whole number when set", () => {
    expect(loadBffConfig(awsEnv).oidc.rateLimitPerIp).toBe(1000);
    expect(loadBffConfig({ ...awsEnv, OIDC_RATE_LIMIT_PER_IP: "20" }).oidc.rateLimitPerIp).toBe(20);
    expect(problemsOf({ ...awsEnv, OIDC_RATE_LIMIT_PER_IP: "0" })).toEqual([expect.stringMatching(/^OIDC_RATE_LIMIT_PER_IP: /)]);
  });

  it("refuses an OIDC_JWKS of public keys", () => {
    const publicOnly = { keys: generateSigningKeys().keys.map(({ d: _d, ...rest }) => rest) };
    expect(problemsOf({ ...awsEnv, OIDC_JWKS: JSON.stringify(publicOnly) })).toEqual(
      expect.arrayContaining([expect.stringMatching(/^OIDC_JWKS\.keys\.0: every key must be a private JWK/)]),
    );
  });
});
