import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpClient } from "../support/http-client";
import type { TestStack } from "../support/stack";
import { basicAuth, codeFlow, discover, newUser, startOidcStack, testClients, tokenRequest, type TestUser } from "./support";

/** Refresh tokens (RFC 6749 §6) and /userinfo (OpenID Connect Core §5.3). */

let stack: TestStack;
let user: TestUser;
let browser: HttpClient;

beforeAll(async () => {
  stack = await startOidcStack();
  user = await newUser(stack);
  browser = stack.client();
  await codeFlow(stack, browser, user);
});

afterAll(async () => {
  await stack?.close();
});

const confidential = testClients.confidential;
const confidentialBasic = { authorization: basicAuth(confidential.clientId, confidential.clientSecret) };

async function signedInTokens(params: Record<string, string> = {}) {
  return codeFlow(stack, browser, undefined, { params });
}

async function refresh(refreshToken: string, extra: Record<string, string> = {}, headers = confidentialBasic): Promise<Response> {
  return tokenRequest(stack, new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken, ...extra }), headers);
}

async function errorOf(response: Response): Promise<string> {
  expect(response.status).toBeGreaterThanOrEqual(400);
  return ((await response.json()) as { error: string }).error;
}

async function userInfo(accessToken: string | undefined, method: "GET" | "POST" = "GET"): Promise<Response> {
  return fetch(`${stack.bffUrl}/oidc/me`, { method, headers: accessToken === undefined ? {} : { authorization: `Bearer ${accessToken}` } });
}

describe("a refresh token is bound to its client", () => {
  it("another client's refresh token → invalid_grant", async () => {
    const { tokens } = await signedInTokens();
    const other = testClients.other;
    expect(await errorOf(await refresh(tokens.refresh_token!, {}, { authorization: basicAuth(other.clientId, other.clientSecret) }))).toBe("invalid_grant");
  });
});

describe("scope can only shrink", () => {
  it("a narrower scope is granted", async () => {
    const { tokens } = await signedInTokens();
    const response = await refresh(tokens.refresh_token!, { scope: "openid" });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { scope: string }).scope).toBe("openid");
  });

  it("a wider scope is refused", async () => {
    const { tokens } = await signedInTokens({ scope: "openid" });
    expect(await errorOf(await refresh(tokens.refresh_token!, { scope: "openid email" }))).toBe("invalid_scope");
  });
});

describe("the refreshed ID token", () => {
  it("keeps iss, sub, aud and auth_time, with a new iat", async () => {
    const { tokens, config } = await signedInTokens();
    const before = tokens.claims()!;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    const after = refreshed.claims()!;
    expect(after.iss).toBe(before.iss);
    expect(after.sub).toBe(before.sub);
    expect(after.aud).toEqual(before.aud);
    expect(after.auth_time).toBe(before.auth_time);
    expect(after.iat).toBeGreaterThan(before.iat);
  });
});

describe("revoked, expired and replayed refresh tokens", () => {
  it("a revoked refresh token → invalid_grant", async () => {
    const { tokens, config } = await signedInTokens();
    await oidc.tokenRevocation(config, tokens.refresh_token!, { token_type_hint: "refresh_token" });
    expect(await errorOf(await refresh(tokens.refresh_token!))).toBe("invalid_grant");
  });

  it("an expired refresh token → invalid_grant", async () => {
    const { tokens } = await signedInTokens();
    const stored = await stack.store.get<Record<string, unknown>>("oidc-RefreshToken", tokens.refresh_token!);
    expect(stored).toBeDefined();
    await stack.store.put("oidc-RefreshToken", tokens.refresh_token!, { ...stored, exp: Math.floor(Date.now() / 1000) - 1 }, { ttlSeconds: 60 });
    expect(await errorOf(await refresh(tokens.refresh_token!))).toBe("invalid_grant");
  });

  it("rotates: the old token is refused after use, and its reuse revokes the whole chain", async () => {
    const { tokens, config } = await signedInTokens();
    const rotated = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(rotated.refresh_token).toBeTruthy();
    expect(rotated.refresh_token).not.toBe(tokens.refresh_token);

    expect(await errorOf(await refresh(tokens.refresh_token!))).toBe("invalid_grant");
    // The replay revoked the grant: the newest refresh token and access token die with it.
    expect(await errorOf(await refresh(rotated.refresh_token!))).toBe("invalid_grant");
    expect((await userInfo(rotated.access_token)).status).toBe(401);
  });
});

describe("/userinfo", () => {
  it("answers GET with a Bearer token: 200 JSON, the ID token's sub, email_verified a boolean", async () => {
    const { tokens, config } = await signedInTokens();
    const response = await userInfo(tokens.access_token, "GET");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.sub).toBe(tokens.claims()!.sub);
    expect(body.email).toBe(user.email);
    expect(body.email_verified).toBe(true);
    // And openid-client accepts it as is.
    await expect(oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub)).resolves.toMatchObject({ email: user.email });
  });

  it("answers POST with a Bearer token", async () => {
    const { tokens } = await signedInTokens();
    const response = await userInfo(tokens.access_token, "POST");
    expect(response.status).toBe(200);
    expect(((await response.json()) as { sub: string }).sub).toBe(tokens.claims()!.sub);
  });

  it("returns only the granted scopes' claims", async () => {
    const { tokens } = await signedInTokens({ scope: "openid" });
    const body = (await (await userInfo(tokens.access_token)).json()) as Record<string, unknown>;
    expect(body).toEqual({ sub: tokens.claims()!.sub });
  });
});

describe("/userinfo refuses bad tokens with 401 and WWW-Authenticate", () => {
  async function expectInvalidToken(response: Response): Promise<void> {
    expect(response.status).toBe(401);
    const challenge = response.headers.get("www-authenticate") ?? "";
    expect(challenge).toMatch(/^Bearer /);
    expect(challenge).toContain('error="invalid_token"');
  }

  it("a missing token", async () => {
    const response = await userInfo(undefined);
    await expectInvalidToken(response);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer realm="[^"]+", error="invalid_token"/);
  });

  it("an invalid token", async () => {
    await expectInvalidToken(await userInfo("not-a-token"));
  });

  it("a revoked token", async () => {
    const { tokens } = await signedInTokens();
    const config = await discover(stack);
    await oidc.tokenRevocation(config, tokens.access_token, { token_type_hint: "access_token" });
    await expectInvalidToken(await userInfo(tokens.access_token));
  });
});
