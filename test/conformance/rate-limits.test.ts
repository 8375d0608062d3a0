import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestStack } from "../support/stack";
import { authorizationRequest, authorizeInBrowser, basicAuth, discover, newUser, rawAuthorizationUrl, startOidcStack, testClients, tokenRequest } from "./support";

/**
 * Rate limits on the provider, per client IP: every request to the browser's endpoints
 * (/oidc/auth, /interaction/*) and every failed one to the back channel (/oidc/token and its
 * revocation and introspection, /oidc/me) counts; past the budget the answer is 429 with
 * Retry-After, as an HTML page for a browser and as OAuth error JSON for an app. The stack trusts
 * one proxy, so each test speaks from an address of its own (X-Forwarded-For).
 */

const budget = 5;
let stack: TestStack;

beforeAll(async () => {
  stack = await startOidcStack({ bffEnv: { TRUST_PROXY: "1", OIDC_RATE_LIMIT_PER_IP: String(budget) } });
});

afterAll(async () => {
  await stack?.close();
});

const from = (ip: string) => ({ "x-forwarded-for": ip });

function failedTokenRequest(ip: string): Promise<Response> {
  const { clientId, clientSecret } = testClients.confidential;
  return tokenRequest(stack, new URLSearchParams({ grant_type: "authorization_code", code: "not-a-code", redirect_uri: testClients.confidential.redirectUris[0]! }), {
    authorization: basicAuth(clientId, clientSecret),
    ...from(ip),
  });
}

async function expectOAuthRateLimited(response: Response): Promise<void> {
  expect(response.status).toBe(429);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(response.headers.get("cache-control")).toBe("no-store");
  expect(await response.json()).toEqual({ error: "temporarily_unavailable", error_description: expect.any(String) });
}

async function expectPageRateLimited(response: Response): Promise<void> {
  expect(response.status).toBe(429);
  expect(response.headers.get("content-type")).toMatch(/^text\/html/);
  expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(response.headers.get("x-frame-options")).toBe("DENY");
  expect(await response.text()).toContain("temporarily_unavailable");
}

describe("the back channel: failed requests count", () => {
  it("/oidc/token: past the budget of failures, 429 temporarily_unavailable as OAuth JSON", async () => {
    for (let i = 0; i < budget; i += 1) expect((await failedTokenRequest("198.51.100.1")).status).toBe(400);
    await expectOAuthRateLimited(await failedTokenRequest("198.51.100.1"));
  });

  it("another address keeps its own budget", async () => {
    for (let i = 0; i < budget + 1; i += 1) await failedTokenRequest("198.51.100.2");
    expect((await failedTokenRequest("198.51.100.3")).status).toBe(400);
  });

  it("/oidc/me: past the budget of refused tokens, 429 as OAuth JSON", async () => {
    const userinfo = () => fetch(`${stack.bffUrl}/oidc/me`, { headers: { authorization: "Bearer not-a-token", ...from("198.51.100.4") } });
    for (let i = 0; i < budget; i += 1) expect((await userinfo()).status).toBe(401);
    await expectOAuthRateLimited(await userinfo());
  });

  it("/oidc/token/introspection shares the token endpoint's budget (guessed API secrets)", async () => {
    const introspect = () =>
      fetch(`${stack.bffUrl}/oidc/token/introspection`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth("orders-api", "wrong-secret"), ...from("198.51.100.5") },
        body: "token=x",
      });
    for (let i = 0; i < budget; i += 1) expect((await introspect()).status).toBe(401);
    await expectOAuthRateLimited(await introspect());
  });

  it("successful requests do not count: an app may refresh as often as it needs", async () => {
    const user = await newUser(stack);
    const config = await discover(stack);
    config[oidc.customFetch] = (url, options) => {
      const headers = new Headers(options.headers);
      headers.set("x-forwarded-for", "198.51.100.6");
      return fetch(url, { method: options.method, body: options.body as BodyInit | undefined, redirect: options.redirect, signal: options.signal, headers });
    };
    const request = await authorizationRequest(config, { scope: "openid email" });
    const callback = await authorizeInBrowser(stack, stack.client(), request.url, user);
    const first = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
    let refreshToken = first.refresh_token!;
    for (let i = 0; i < budget + 2; i += 1) refreshToken = (await oidc.refreshTokenGrant(config, refreshToken)).refresh_token!;
    expect(refreshToken).toBeTruthy();
  });
});

describe("the browser's endpoints: every request counts", () => {
  it("/oidc/auth: past the budget, 429 as an HTML page", async () => {
    const authorize = async () => fetch(await rawAuthorizationUrl(stack), { redirect: "manual", headers: from("198.51.100.7") });
    for (let i = 0; i < budget; i += 1) expect((await authorize()).status).toBe(303);
    await expectPageRateLimited(await authorize());
  });

  it("POST /oidc/auth counts against the same budget", async () => {
    const url = await rawAuthorizationUrl(stack);
    const post = () =>
      fetch(`${stack.bffUrl}/oidc/auth`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded", ...from("198.51.100.8") },
        body: url.searchParams.toString(),
      });
    for (let i = 0; i < budget; i += 1) expect((await post()).status).toBe(303);
    await expectPageRateLimited(await post());
  });

  it("/interaction/*: past the budget, 429 as an HTML page", async () => {
    const open = () => fetch(`${stack.bffUrl}/interaction/unknown-uid`, { redirect: "manual", headers: from("198.51.100.9") });
    for (let i = 0; i < budget; i += 1) expect((await open()).status).toBe(400);
    await expectPageRateLimited(await open());
  });

  it("discovery and the JWKS are not limited", async () => {
    for (let i = 0; i < budget + 2; i += 1) {
      expect((await fetch(`${stack.bffUrl}/.well-known/openid-configuration`, { headers: from("198.51.100.10") })).status).toBe(200);
      expect((await fetch(`${stack.bffUrl}/oidc/jwks`, { headers: from("198.51.100.10") })).status).toBe(200);
    }
  });
});
