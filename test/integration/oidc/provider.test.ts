import { createLocalJWKSet, jwtVerify } from "jose";
import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSigningKeys } from "../../../bff/oidc/signing-keys";
import { startBff } from "../../../bff/server";
import {
  authorizationRequest,
  authorizeInBrowser,
  codeFlow,
  discover,
  follow,
  newUser,
  queryOf,
  rawAuthorizationUrl,
  signIn,
  startOidcStack,
  testClients,
} from "../../conformance/support";
import type { TestStack } from "../../support/stack";

/**
 * The OpenID Provider inside the BFF, beyond the protocol rules (test/conformance): the SPA's
 * view of a pending request, the BFF logout ending single sign-on, state shared by instances and
 * kept across restarts, first-party grants, and key rotation.
 */

let stack: TestStack;

beforeAll(async () => {
  stack = await startOidcStack();
});

afterAll(async () => {
  await stack?.close();
});

describe("GET /api/interaction", () => {
  it("answers 404 not_found when no app is waiting", async () => {
    const response = await stack.client().get("/api/interaction");
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error: { code: "not_found" } });
  });

  it("names the waiting app and the prompt once the browser came from /authorize", async () => {
    const browser = stack.client();
    await follow(browser, await rawAuthorizationUrl(stack));
    const response = await browser.get("/api/interaction");
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ client: { id: testClients.confidential.clientId, name: testClients.confidential.name }, prompt: "login" });
  });

  it("answers 404 again once the request is finished", async () => {
    const user = await newUser(stack);
    const browser = stack.client();
    await codeFlow(stack, browser, user);
    expect((await browser.get("/api/interaction")).status).toBe(404);
  });
});

describe("sign-in answers for a pending request", () => {
  it("redirectTo is the interaction's completion URL, and /account without one", async () => {
    const user = await newUser(stack);
    const browser = stack.client();
    const start = await follow(browser, await rawAuthorizationUrl(stack));
    const uid = start.hops[0]!.location!.split("/").pop();
    expect(await signIn(stack, browser, user)).toBe(`/interaction/${uid}/complete`);
    expect(await signIn(stack, stack.client(), user)).toBe("/account");
  });

  it("an interaction page opened without the provider's cookie is a 400 page, not a completion", async () => {
    const browser = stack.client();
    const start = await follow(browser, await rawAuthorizationUrl(stack));
    const uid = start.hops[0]!.location!.split("/").pop();
    const stranger = await stack.client().get(`/interaction/${uid}/complete`);
    expect(stranger.status).toBe(400);
    expect(stranger.headers.get("content-type")).toMatch(/text\/html/);
    expect(stranger.headers.get("location")).toBeNull();
  });
});

describe("single sign-on and the BFF's own logout", () => {
  it("a browser signed in to Tobira directly reaches an app without signing in again", async () => {
    const user = await newUser(stack);
    const browser = stack.client();
    await signIn(stack, browser, user);
    const { tokens } = await codeFlow(stack, browser, undefined);
    expect(tokens.claims()!.email).toBe(user.email);
  });

  it("a second app gets a code at once (first-party: no consent), even with prompt=none", async () => {
    const user = await newUser(stack);
    const browser = stack.client();
    await codeFlow(stack, browser, user);
    const { tokens } = await codeFlow(stack, browser, undefined, { client: testClients.other, params: { prompt: "none" } });
    expect(tokens.claims()!.aud).toBe(testClients.other.clientId);
  });

  it("POST /api/logout ends the provider session: prompt=none → login_required, tokens revoked", async () => {
    const user = await newUser(stack);
    const browser = stack.client();
    const { tokens } = await codeFlow(stack, browser, user);
    const logout = await browser.post("/api/logout", {});
    expect(logout.status).toBe(200);
    const silent = await follow(browser, await rawAuthorizationUrl(stack, { prompt: "none" }));
    expect(queryOf(silent.location)).toMatchObject({ error: "login_required" });
    const info = await fetch(`${stack.bffUrl}/oidc/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(info.status).toBe(401);
  });

  it("when the BFF session has ended but the provider's has not, the provider asks for a sign-in", async () => {
    const user = await newUser(stack);
    const browser = stack.client();
    await codeFlow(stack, browser, user);
    // Only the BFF session goes (as when it expires): the provider cookie stays.
    browser.setCookie("tobira", "");
    browser.setCookie("tobira.sig", "");
    const silent = await follow(browser, await rawAuthorizationUrl(stack, { prompt: "none" }));
    expect(queryOf(silent.location)).toMatchObject({ error: "login_required" });
  });
});

describe("state shared through the store", () => {
  it("another BFF instance on the same store redeems a code this one issued", async () => {
    const other = await startBff({ config: stack.config, store: stack.store, port: 0, host: "127.0.0.1" });
    try {
      const user = await newUser(stack);
      const config = await discover(stack);
      const request = await authorizationRequest(config);
      const callback = await authorizeInBrowser(stack, stack.client(), request.url, user);
      const response = await fetch(`${other.url}/oidc/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "authorization_code",
          code: callback.searchParams.get("code")!,
          code_verifier: request.verifier,
          redirect_uri: testClients.confidential.redirectUris[0]!,
          client_id: testClients.confidential.clientId,
          client_secret: testClients.confidential.clientSecret,
        }),
      });
      expect(response.status).toBe(200);
      const { id_token: idToken } = (await response.json()) as { id_token: string };
      // Same keys (kept under the data folder), same issuer: verifiable with the published JWKS.
      const jwks = (await (await fetch(`${stack.bffUrl}/oidc/jwks`)).json()) as { keys: never[] };
      await expect(jwtVerify(idToken, createLocalJWKSet({ keys: jwks.keys }), { issuer: stack.bffUrl })).resolves.toBeDefined();
    } finally {
      await other.close();
    }
  });

  it("a restart loses no session: SSO and refresh tokens keep working, with the same keys", async () => {
    const user = await newUser(stack);
    const browser = stack.client();
    const { tokens, config } = await codeFlow(stack, browser, user);
    const kidBefore = JSON.parse(Buffer.from(tokens.id_token!.split(".")[0]!, "base64url").toString()).kid as string;
    await stack.restartBff();
    // The old server's keep-alive sockets are gone: retry once on a closed socket, as browsers do.
    config[oidc.customFetch] = async (url, options) => {
      const init = options as RequestInit;
      try {
        return await fetch(url, init);
      } catch {
        return fetch(url, init);
      }
    };
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.claims()!.sub).toBe(tokens.claims()!.sub);
    const again = await codeFlow(stack, browser, undefined, { params: { prompt: "none" } });
    const kidAfter = JSON.parse(Buffer.from(again.tokens.id_token!.split(".")[0]!, "base64url").toString()).kid as string;
    expect(kidAfter).toBe(kidBefore);
  });
});

describe("signing keys from configuration", () => {
  it("signs with the first key and keeps publishing the older ones (rotation without downtime)", async () => {
    const older = generateSigningKeys();
    const newer = generateSigningKeys();
    const rotated = await startOidcStackWithKeys({ keys: [...newer.keys, ...older.keys] });
    try {
      const user = await newUser(rotated);
      const { tokens } = await codeFlow(rotated, rotated.client(), user);
      const header = JSON.parse(Buffer.from(tokens.id_token!.split(".")[0]!, "base64url").toString()) as { kid: string; alg: string };
      expect(header.kid).toBe(newer.keys.find((key) => key.alg === header.alg)!.kid);
      const published = ((await (await fetch(`${rotated.bffUrl}/oidc/jwks`)).json()) as { keys: { kid: string }[] }).keys.map((key) => key.kid);
      expect(published.sort()).toEqual([...newer.keys, ...older.keys].map((key) => key.kid).sort());
    } finally {
      await rotated.close();
    }
  });
});

async function startOidcStackWithKeys(jwks: { keys: Record<string, unknown>[] }): Promise<TestStack> {
  const { startTestStack } = await import("../../support/stack");
  return startTestStack({
    configure: (config) => ({ ...config, oidc: { ...config.oidc, clients: [...config.oidc.clients, testClients.confidential], jwks } }),
  });
}

describe("another user signing in over an existing provider session", () => {
  it("the app gets the new user, whose Tobira session stays", async () => {
    const first = await newUser(stack);
    const second = await newUser(stack);
    const browser = stack.client();
    await codeFlow(stack, browser, first);
    await signIn(stack, browser, second); // straight at Tobira: the provider still holds the first user
    const { tokens } = await codeFlow(stack, browser, undefined);
    expect(tokens.claims()!.email).toBe(second.email);
    expect((await browser.get("/api/session")).body).toMatchObject({ authenticated: true, user: { email: second.email } });
  });
});

describe("consent", () => {
  it("a first-party app asking with prompt=consent is granted without a screen", async () => {
    const user = await newUser(stack);
    const browser = stack.client();
    await codeFlow(stack, browser, user);
    const { tokens } = await codeFlow(stack, browser, undefined, { params: { prompt: "consent" } });
    expect(tokens.scope?.split(" ").sort()).toEqual(["email", "openid"]);
  });
});
