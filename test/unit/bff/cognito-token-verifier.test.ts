import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { FetchError } from "aws-jwt-verify/error";
import { generateKeyPair, SignJWT, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCognitoTokenVerifier, InvalidTokenError, type CognitoTokenVerifier } from "../../../bff/cognito/cognito-token-verifier";
import { loadBffConfig, type CognitoSettings } from "../../../bff/config";
import { ApiError } from "../../../bff/errors";
import { loadLocalConfig } from "../../../common/local-config";
import { computeSecretHash } from "../../../emulator/secret-hash";
import { startEmulator, type RunningEmulator } from "../../../emulator/server";
import { loadSigningKeys, type SigningKeys } from "../../../emulator/state/key-store";

/**
 * The BFF's check of Cognito's ID and access tokens (Cognito DG, "Verifying a JSON Web Token":
 * signature against the pool's JWKS, `iss`, `exp`, `token_use`, `aud` on ID tokens and
 * `client_id` on access tokens), in both of its branches: AWS's issuer (the production path,
 * aws-jwt-verify's CognitoJwtVerifier) and any other issuer (the emulator). Each runs against the
 * emulator's JWKS over HTTP. Tokens come from the emulator, or are signed here with the
 * emulator's own keys (read from its data folder) when a test needs a claim Cognito would never
 * put there.
 */

const local = loadLocalConfig();
const poolId = local.userPool.id;
const bffClient = local.userPool.clients[0]!;
const otherClientId = local.userPool.clients[1]!.clientId;

interface Pool {
  emulator: RunningEmulator;
  keys: SigningKeys;
  dataDir: string;
  settings: CognitoSettings;
  /**
   * A verifier for the pool, built afresh where a test calls it: what its construction chooses
   * (the issuer's branch, the key cache and fetcher) then belongs to that test, for mutation
   * testing's per-test coverage as for the reader.
   */
  verifier(): CognitoTokenVerifier;
}

async function startPool(kind: "aws" | "emulator"): Promise<Pool> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "tobira-verifier-"));
  const awsIssuer = `https://cognito-idp.${local.region}.amazonaws.com/${poolId}`;
  const emulator = await startEmulator({ config: local, dataDir, port: 0, ...(kind === "aws" ? { issuer: awsIssuer } : {}) });
  const jwksUri = `${emulator.url}/${poolId}/.well-known/jwks.json`;
  // The settings as the BFF's configuration builds them: aws mode derives AWS's issuer from the
  // pool id; local mode takes the emulator's issuer at its endpoint.
  const settings =
    kind === "aws"
      ? loadBffConfig({
          TOBIRA_MODE: "aws",
          AWS_REGION: local.region,
          COGNITO_USER_POOL_ID: poolId,
          COGNITO_CLIENT_ID: bffClient.clientId,
          COGNITO_CLIENT_SECRET: bffClient.clientSecret!,
          COGNITO_JWKS_URI: jwksUri,
          DYNAMODB_TABLE: "tobira",
          COOKIE_KEYS: "k".repeat(32),
          PASSKEY_PROOF_SECRET: "p".repeat(32),
          PUBLIC_URL: "https://id.example.com",
        }).cognito
      : loadBffConfig({ COGNITO_ENDPOINT: emulator.url }).cognito;
  return { emulator, keys: await loadSigningKeys(path.join(dataDir, "keys.json")), dataDir, settings, verifier: () => createCognitoTokenVerifier(settings) };
}

async function stopPool(pool: Pool | undefined): Promise<void> {
  if (pool === undefined) return;
  await pool.emulator.close();
  rmSync(pool.dataDir, { recursive: true, force: true });
}

const now = () => Math.floor(Date.now() / 1000);

function idClaims(pool: Pool): JWTPayload {
  return {
    sub: "sub-1",
    iss: pool.settings.issuer,
    aud: bffClient.clientId,
    token_use: "id",
    "cognito:username": "sub-1",
    email: "a@example.com",
    iat: now(),
    exp: now() + 3600,
    auth_time: now(),
  };
}

function accessClaims(pool: Pool): JWTPayload {
  return {
    sub: "sub-1",
    iss: pool.settings.issuer,
    client_id: bffClient.clientId,
    token_use: "access",
    scope: "aws.cognito.signin.user.admin",
    username: "sub-1",
    iat: now(),
    exp: now() + 3600,
    auth_time: now(),
  };
}

/** A token signed by the pool's own ID or access key (as Cognito signs), with the claims given. */
function signed(pool: Pool, key: "id" | "access", claims: JWTPayload): Promise<string> {
  const { kid, privateKey } = pool.keys[key];
  return new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid }).sign(privateKey);
}

async function invalidReason(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => {
      throw new Error("the token was accepted");
    },
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(InvalidTokenError);
  return (error as InvalidTokenError).reason;
}

/** A server that answers every request with `status`. */
async function answering(status: number): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((_req, res) => res.writeHead(status, { "content-type": "application/json" }).end("{}"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.each(["aws", "emulator"] as const)("the Cognito token verifier for %s's issuer", (kind) => {
  let pool: Pool;

  beforeAll(async () => {
    pool = await startPool(kind);
  });
  afterAll(() => stopPool(pool));

  it("takes the branch this issuer needs", () => {
    expect(pool.settings.awsIssuer).toBe(kind === "aws");
  });

  it("accepts the ID and access tokens the pool issues to the BFF's client", async () => {
    const email = `verifier-${kind}-${process.pid}@example.com`;
    const signUp = await fetch(pool.emulator.url, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSCognitoIdentityProviderService.SignUp" },
      body: JSON.stringify({
        ClientId: bffClient.clientId,
        SecretHash: computeSecretHash(bffClient.clientSecret!, email, bffClient.clientId),
        Username: email,
        Password: "Correct-Horse-9",
      }),
    });
    expect(signUp.status, await signUp.text()).toBe(200);
    const tokens = await pool.emulator.issueHostedTokens({ username: email, clientId: bffClient.clientId, scopes: ["openid", "email"] });

    expect(await pool.verifier().verifyIdToken(tokens.IdToken)).toMatchObject({ email, token_use: "id", aud: bffClient.clientId, iss: pool.settings.issuer });
    expect(await pool.verifier().verifyAccessToken(tokens.AccessToken)).toMatchObject({ token_use: "access", client_id: bffClient.clientId });
  });

  it("accepts tokens signed with the pool's keys and the claims Cognito gives them", async () => {
    await expect(pool.verifier().verifyIdToken(await signed(pool, "id", idClaims(pool)))).resolves.toMatchObject({ sub: "sub-1" });
    await expect(pool.verifier().verifyAccessToken(await signed(pool, "access", accessClaims(pool)))).resolves.toMatchObject({ sub: "sub-1" });
  });

  it("refuses an access token offered as the ID token, even one that names the client in aud (token_use)", async () => {
    const token = await signed(pool, "access", { ...accessClaims(pool), aud: bffClient.clientId });
    expect(await invalidReason(pool.verifier().verifyIdToken(token))).toMatch(/Error$/);
  });

  it("refuses an ID token offered as the access token, even one that names the client in client_id (token_use)", async () => {
    const token = await signed(pool, "id", { ...idClaims(pool), client_id: bffClient.clientId });
    await invalidReason(pool.verifier().verifyAccessToken(token));
  });

  it("refuses an access token issued to another app client (client_id)", async () => {
    await invalidReason(pool.verifier().verifyAccessToken(await signed(pool, "access", { ...accessClaims(pool), client_id: otherClientId })));
  });

  it("refuses an access token without client_id", async () => {
    const { client_id: _omitted, ...claims } = accessClaims(pool);
    await invalidReason(pool.verifier().verifyAccessToken(await signed(pool, "access", claims)));
  });

  it("refuses an ID token for another app client (aud)", async () => {
    await invalidReason(pool.verifier().verifyIdToken(await signed(pool, "id", { ...idClaims(pool), aud: otherClientId })));
  });

  it("refuses tokens from another issuer", async () => {
    const iss = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Someone";
    await invalidReason(pool.verifier().verifyIdToken(await signed(pool, "id", { ...idClaims(pool), iss })));
    await invalidReason(pool.verifier().verifyAccessToken(await signed(pool, "access", { ...accessClaims(pool), iss })));
  });

  it("refuses expired tokens", async () => {
    const past = { iat: now() - 7200, exp: now() - 3600 };
    await invalidReason(pool.verifier().verifyIdToken(await signed(pool, "id", { ...idClaims(pool), ...past })));
    await invalidReason(pool.verifier().verifyAccessToken(await signed(pool, "access", { ...accessClaims(pool), ...past })));
  });

  it("names what failed in the refusal's reason: an expired token reads JwtExpiredError, not a bare Error", async () => {
    const expired = await signed(pool, "access", { ...accessClaims(pool), iat: now() - 7200, exp: now() - 3600 });
    expect(await invalidReason(pool.verifier().verifyAccessToken(expired))).toBe("JwtExpiredError");
  });

  it("names the refusal's reason in its message (what the log shows)", async () => {
    const expired = await signed(pool, "id", { ...idClaims(pool), iat: now() - 7200, exp: now() - 3600 });
    const error = await pool
      .verifier()
      .verifyIdToken(expired)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidTokenError);
    const { name, reason, message } = error as InvalidTokenError;
    expect(name).toBe("InvalidTokenError");
    expect(reason).not.toBe("");
    expect(message).toBe(`Invalid Cognito token: ${reason}`);
  });

  it("refuses a token signed by a key the pool does not publish, under a published kid", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const forged = await new SignJWT(accessClaims(pool)).setProtectedHeader({ alg: "RS256", kid: pool.keys.access.kid }).sign(privateKey);
    await invalidReason(pool.verifier().verifyAccessToken(forged));
  });

  it("refuses something that is not a JWT as an invalid token, not an outage", async () => {
    await invalidReason(pool.verifier().verifyAccessToken("not-a-jwt"));
  });

  it("answers readiness while the JWKS answers", async () => {
    await expect(pool.verifier().ping()).resolves.toBeUndefined();
  });
});

describe("the Cognito token verifier for AWS's issuer, in the log", () => {
  let pool: Pool;

  beforeAll(async () => {
    pool = await startPool("aws");
  });
  afterAll(() => stopPool(pool));

  it("names Cognito's own token_use and client checks in the refusal's reason (aws-jwt-verify's Cognito verifier runs them)", async () => {
    const accessAsId = await signed(pool, "access", { ...accessClaims(pool), aud: bffClient.clientId });
    expect(await invalidReason(pool.verifier().verifyIdToken(accessAsId))).toBe("CognitoJwtInvalidTokenUseError");
    const otherClient = await signed(pool, "access", { ...accessClaims(pool), client_id: otherClientId });
    expect(await invalidReason(pool.verifier().verifyAccessToken(otherClient))).toBe("CognitoJwtInvalidClientIdError");
  });
});

describe("the Cognito token verifier for AWS's issuer with COGNITO_JWKS_URI set", () => {
  let pool: Pool;

  beforeAll(async () => {
    pool = await startPool("aws");
  });
  afterAll(() => stopPool(pool));

  it("fetches the pool's keys from COGNITO_JWKS_URI, not from the address it would derive from the pool id", async () => {
    const requested: string[] = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = async (input, init) => {
      requested.push(String(input instanceof Request ? input.url : input));
      return realFetch(input, init);
    };
    try {
      const verifier = createCognitoTokenVerifier(pool.settings);
      await verifier.verifyAccessToken(await signed(pool, "access", accessClaims(pool)));
    } finally {
      globalThis.fetch = realFetch;
    }
    expect(requested).toEqual([pool.settings.jwksUri]);
    expect(pool.settings.jwksUri).not.toContain("amazonaws.com");
  });
});

describe("the Cognito token verifier when the pool's keys cannot be fetched", () => {
  let pool: Pool;

  beforeAll(async () => {
    pool = await startPool("aws");
  });
  afterAll(() => stopPool(pool));

  it.each([500, 404])("answers 503 service_unavailable, not a 401, when the JWKS answers %i", async (status) => {
    const server = await answering(status);
    try {
      const verifier = createCognitoTokenVerifier({ ...pool.settings, jwksUri: server.url });
      const error = await verifier.verifyAccessToken(await signed(pool, "access", accessClaims(pool))).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status: 503, code: "service_unavailable", expose: true, message: "Sign-in is temporarily unavailable. Try again shortly." });
      // The log's cause says what the JWKS address answered.
      expect((error as ApiError).cause).toBeInstanceOf(FetchError);
      expect((error as ApiError).cause).toMatchObject({ message: expect.stringContaining(`JWKS request answered ${status}`) });
      await expect(verifier.ping()).rejects.toThrow();
    } finally {
      await server.close();
    }
  });

  it("does not follow a redirect from the JWKS address (503, the keys are not fetched elsewhere)", async () => {
    let redirected = 0;
    const server = createServer((_req, res) => {
      redirected += 1;
      res.writeHead(302, { location: pool.settings.jwksUri }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const verifier = createCognitoTokenVerifier({ ...pool.settings, jwksUri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json` });
      await expect(verifier.verifyAccessToken(await signed(pool, "access", accessClaims(pool)))).rejects.toMatchObject({ status: 503, code: "service_unavailable" });
      expect(redirected).toBeGreaterThan(0);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("asks the JWKS address for JSON", async () => {
    const accepted: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      accepted.push(req.headers.accept);
      res.writeHead(200, { "content-type": "application/json" }).end('{"keys":[]}');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      await createCognitoTokenVerifier({ ...pool.settings, jwksUri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json` }).ping();
      expect(accepted).toEqual(["application/json"]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("answers 503 service_unavailable, not a 401, when the JWKS answer stalls past the fetch's time limit", async () => {
    // Headers arrive, the body never ends: the time limit (5 s) ends the read with a TimeoutError.
    const server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
      res.write('{"keys":[');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const verifier = createCognitoTokenVerifier({ ...pool.settings, jwksUri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json` });
      const error = await verifier.verifyAccessToken(await signed(pool, "access", accessClaims(pool))).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status: 503, code: "service_unavailable" });
      expect((error as ApiError).cause).toMatchObject({ name: "TimeoutError" });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 15_000);

  it("answers 503 service_unavailable when nothing listens at the JWKS address", async () => {
    const server = await answering(200);
    await server.close();
    const verifier = createCognitoTokenVerifier({ ...pool.settings, jwksUri: server.url });
    await expect(verifier.verifyIdToken(await signed(pool, "id", idClaims(pool)))).rejects.toMatchObject({ status: 503, code: "service_unavailable" });
  });
});
