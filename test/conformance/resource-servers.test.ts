import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestStack } from "../support/stack";
import {
  authorizationRequest,
  authorizeInBrowser,
  basicAuth,
  discover,
  newUser,
  queryOf,
  rawAuthorizationUrl,
  startOidcStack,
  testApis,
  testClients,
  type TestUser,
} from "./support";

/**
 * Registered APIs (resource servers): RFC 8707 resource indicators, RFC 9068 JWT access tokens
 * that an API checks against the provider's JWKS, and RFC 7662 introspection of opaque ones by
 * the API they were issued for. openid-client, unmodified, plays the app.
 */

let stack: TestStack;
let user: TestUser;
let metadata: Record<string, unknown>;

beforeAll(async () => {
  stack = await startOidcStack();
  user = await newUser(stack);
  metadata = (await (await fetch(`${stack.bffUrl}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
});

afterAll(async () => {
  await stack?.close();
});

/**
 * The app's code flow asking for `resource` at the authorization endpoint, and for `tokenResource`
 * (the same unless given; null: none) at the token endpoint.
 */
async function tokensFor(scope: string, resource: string | undefined, tokenResource: string | null = resource ?? null) {
  const config = await discover(stack);
  const request = await authorizationRequest(config, { scope, ...(resource === undefined ? {} : { resource }) });
  const callback = await authorizeInBrowser(stack, stack.client(), request.url, user);
  return oidc.authorizationCodeGrant(
    config,
    callback,
    { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce, idTokenExpected: true },
    tokenResource === null ? undefined : { resource: tokenResource },
  );
}

async function introspect(token: string, credentials: { clientId: string; clientSecret: string }): Promise<Response> {
  return fetch(String(metadata.introspection_endpoint), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(credentials.clientId, credentials.clientSecret) },
    body: new URLSearchParams({ token }).toString(),
  });
}

async function introspection(token: string, credentials: { clientId: string; clientSecret: string }): Promise<Record<string, unknown>> {
  const response = await introspect(token, credentials);
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

describe("discovery", () => {
  it("lists the introspection endpoint and how an API authenticates there (RFC 8414 §2)", () => {
    expect(metadata.introspection_endpoint).toBe(`${stack.bffUrl}/oidc/token/introspection`);
    expect(metadata.introspection_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(["client_secret_basic"]));
  });
});

describe("JWT access tokens for a registered API (RFC 8707, RFC 9068)", () => {
  it("carry the API as audience and only its scopes, typed at+jwt and verifiable against the JWKS (RFC 9068 §4)", async () => {
    const tokens = await tokensFor("openid email orders:read ledger:read", testApis.orders.audience);
    expect(decodeProtectedHeader(tokens.access_token).typ).toBe("at+jwt");
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(String(metadata.jwks_uri))), {
      issuer: String(metadata.issuer),
      audience: testApis.orders.audience,
      typ: "at+jwt",
      algorithms: ["RS256"],
    });
    expect(protectedHeader.alg).toBe("RS256");
    expect(payload).toMatchObject({ sub: tokens.claims()!.sub, client_id: testClients.confidential.clientId, scope: "orders:read" });
    expect(typeof payload.jti).toBe("string");
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(10 * 60);
    expect(tokens.scope?.split(" ")).toEqual(["orders:read"]);
  });

  it("are not accepted by /userinfo, which serves the provider's own tokens only", async () => {
    const tokens = await tokensFor("openid email orders:read", testApis.orders.audience);
    const response = await fetch(String(metadata.userinfo_endpoint), { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(response.status).toBe(401);
  });

  it("are not issued when the token request leaves out the resource: the app gets its /userinfo token (RFC 8707 §2.2)", async () => {
    const tokens = await tokensFor("openid email orders:read", testApis.orders.audience, null);
    expect(tokens.access_token.split(".")).toHaveLength(1);
    const config = await discover(stack);
    const claims = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
    expect(claims.email).toBe(user.email);
  });
});

describe("invalid_target (RFC 8707 §2)", () => {
  it("an unknown resource at the authorization endpoint", async () => {
    const response = await fetch(await rawAuthorizationUrl(stack, { resource: "https://unknown.example.com/" }), { redirect: "manual" });
    expect(queryOf(response.headers.get("location"))).toMatchObject({ error: "invalid_target" });
  });

  it("a resource that is not an absolute URI", async () => {
    const response = await fetch(await rawAuthorizationUrl(stack, { resource: "orders" }), { redirect: "manual" });
    expect(queryOf(response.headers.get("location"))).toMatchObject({ error: "invalid_target" });
  });

  it("a registered API asked for by an app that is not first party (its consent page does not ask about API scopes)", async () => {
    const third = testClients.thirdParty;
    const url = await rawAuthorizationUrl(stack, { client_id: third.clientId, redirect_uri: third.redirectUris[0], resource: testApis.orders.audience });
    const response = await fetch(url, { redirect: "manual" });
    expect(queryOf(response.headers.get("location"))).toMatchObject({ error: "invalid_target" });
  });

  it("a resource at the token endpoint that the authorization request did not name", async () => {
    await expect(tokensFor("openid orders:read", testApis.orders.audience, testApis.ledger.audience)).rejects.toMatchObject({ error: "invalid_target" });
  });
});

describe("introspection of opaque access tokens (RFC 7662)", () => {
  it("tells the API the token was issued for: active, with scope, aud, sub and client_id", async () => {
    const tokens = await tokensFor("openid email ledger:read orders:read", testApis.ledger.audience);
    expect(tokens.access_token.split(".")).toHaveLength(1);
    const answer = await introspection(tokens.access_token, testApis.ledger);
    expect(answer).toMatchObject({
      active: true,
      scope: "ledger:read",
      aud: testApis.ledger.audience,
      sub: tokens.claims()!.sub,
      client_id: testClients.confidential.clientId,
      iss: String(metadata.issuer),
      token_type: "Bearer",
    });
  });

  it("answers active: false to another API (RFC 7662 §2.2: nothing about a token not meant for it)", async () => {
    const tokens = await tokensFor("openid ledger:read", testApis.ledger.audience);
    expect(await introspection(tokens.access_token, testApis.orders)).toEqual({ active: false });
  });

  it("answers active: false to an app, even the one the token was issued to", async () => {
    const tokens = await tokensFor("openid ledger:read", testApis.ledger.audience);
    const other = testClients.other;
    expect(await introspection(tokens.access_token, { clientId: other.clientId, clientSecret: other.clientSecret })).toEqual({ active: false });
    const app = testClients.confidential;
    expect(await introspection(tokens.access_token, { clientId: app.clientId, clientSecret: app.clientSecret })).toEqual({ active: false });
  });

  it("answers active: false for the app's /userinfo token and its refresh token, which are for no API", async () => {
    const tokens = await tokensFor("openid email offline_access", undefined);
    expect(await introspection(tokens.access_token, testApis.ledger)).toEqual({ active: false });
    expect(tokens.refresh_token).toBeTruthy();
    expect(await introspection(tokens.refresh_token!, testApis.ledger)).toEqual({ active: false });
  });

  it("answers active: false once the token is revoked", async () => {
    const tokens = await tokensFor("openid ledger:read", testApis.ledger.audience);
    await oidc.tokenRevocation(await discover(stack), tokens.access_token);
    expect(await introspection(tokens.access_token, testApis.ledger)).toEqual({ active: false });
  });

  it("refuses an API with a wrong secret: 401 invalid_client", async () => {
    const response = await introspect("anything", { clientId: testApis.ledger.clientId, clientSecret: `${testApis.ledger.clientSecret}x` });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "invalid_client" });
  });
});

describe("an API's credentials", () => {
  it("cannot start a sign-in (no redirect URI, no response type)", async () => {
    const response = await fetch(await rawAuthorizationUrl(stack, { client_id: testApis.orders.clientId }), { redirect: "manual" });
    expect(response.status).toBe(400);
  });

  it("cannot obtain tokens at the token endpoint", async () => {
    const response = await fetch(String(metadata.token_endpoint), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(testApis.orders.clientId, testApis.orders.clientSecret) },
      body: new URLSearchParams({ grant_type: "client_credentials" }).toString(),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/^(unsupported_grant_type|unauthorized_client)$/);
  });
});
