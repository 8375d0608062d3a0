import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpClient } from "../support/http-client";
import type { TestStack } from "../support/stack";
import {
  authorizationRequest,
  basicAuth,
  codeFlow,
  discover,
  follow,
  newUser,
  queryOf,
  signIn,
  startOidcStack,
  testClients,
  tokenRequest,
  type AuthorizationRequest,
  type TestUser,
} from "./support";

/**
 * Consent for apps that are not first party: the SPA's consent page names the app and what it
 * asks for; allow or deny; an allowed consent is remembered per user and app and listed as a
 * connected app, which the user can revoke (its grant and tokens end).
 */

let stack: TestStack;
let issuer: string;
const app = testClients.thirdParty;
const sameOrigin = () => ({ origin: stack.bffUrl, "sec-fetch-site": "same-origin" });

beforeAll(async () => {
  stack = await startOidcStack();
  issuer = stack.bffUrl;
});

afterAll(async () => {
  await stack?.close();
});

interface Pending {
  config: oidc.Configuration;
  request: AuthorizationRequest;
  browser: HttpClient;
  /** Where the provider sent the browser: the consent page, or the app's redirect URI. */
  location: URL;
}

/** An authorization request of the third-party app, signed in when the browser is not. */
async function askAsApp(browser: HttpClient, user: TestUser | undefined, params: Record<string, string> = {}): Promise<Pending> {
  const config = await discover(stack, app);
  const request = await authorizationRequest(config, params, app);
  let hop = await follow(browser, request.url);
  if (new URL(hop.location!).pathname === "/signin") {
    if (user === undefined) throw new Error("the provider asked for a sign-in");
    hop = await follow(browser, await signIn(stack, browser, user));
  }
  return { config, request, browser, location: new URL(hop.location!) };
}

async function decide(browser: HttpClient, decision: "allow" | "deny"): Promise<URL> {
  const answer = await browser.post<{ redirectTo: string }>("/api/consent", { decision }, { headers: sameOrigin() });
  expect(answer.status, answer.text).toBe(200);
  const hop = await follow(browser, answer.body.redirectTo);
  expect(hop.status).toBe(303);
  return new URL(hop.location!);
}

async function redeem(pending: Pending, callback: URL) {
  return oidc.authorizationCodeGrant(pending.config, callback, {
    pkceCodeVerifier: pending.request.verifier,
    expectedState: pending.request.state,
    expectedNonce: pending.request.nonce,
    idTokenExpected: true,
  });
}

describe("the consent page", () => {
  it("is where an app that is not first party sends the user once signed in, with the app and the scopes it asks for", async () => {
    const browser = stack.client();
    const pending = await askAsApp(browser, await newUser(stack), { scope: "openid email profile" });
    expect(pending.location.pathname).toBe("/consent");
    const interaction = await browser.get("/api/interaction");
    expect(interaction.body).toEqual({ client: { id: app.clientId, name: app.name }, prompt: "consent", scopes: ["openid", "email", "profile"] });
  });

  it("allow: the app gets its code, and the tokens carry the allowed scopes", async () => {
    const user = await newUser(stack);
    const pending = await askAsApp(stack.client(), user);
    const tokens = await redeem(pending, await decide(pending.browser, "allow"));
    expect(tokens.claims()!.email).toBe(user.email);
    expect(tokens.scope?.split(" ").sort()).toEqual(["email", "openid"]);
  });

  it("deny: the app gets access_denied with its state and iss", async () => {
    const pending = await askAsApp(stack.client(), await newUser(stack));
    const callback = await decide(pending.browser, "deny");
    expect(callback.origin + callback.pathname).toBe(app.redirectUris[0]);
    expect(queryOf(callback.href)).toMatchObject({ error: "access_denied", state: pending.request.state, iss: issuer });
  });
});

describe("a remembered consent", () => {
  it("is not asked again for the same scopes, in this browser or after a new sign-in elsewhere", async () => {
    const user = await newUser(stack);
    const first = await askAsApp(stack.client(), user);
    await redeem(first, await decide(first.browser, "allow"));

    const again = await askAsApp(first.browser, undefined);
    expect(again.location.origin + again.location.pathname).toBe(app.redirectUris[0]);
    await redeem(again, again.location);

    const elsewhere = await askAsApp(stack.client(), user);
    expect(elsewhere.location.origin + elsewhere.location.pathname).toBe(app.redirectUris[0]);
  });

  it("does not cover more scopes: asking for profile brings the consent page back", async () => {
    const user = await newUser(stack);
    const first = await askAsApp(stack.client(), user);
    await redeem(first, await decide(first.browser, "allow"));
    const wider = await askAsApp(first.browser, undefined, { scope: "openid email profile" });
    expect(wider.location.pathname).toBe("/consent");
    const tokens = await redeem(wider, await decide(wider.browser, "allow"));
    expect(tokens.scope?.split(" ").sort()).toEqual(["email", "openid", "profile"]);
  });

  it("is per user: another user of the same browser is asked", async () => {
    const first = await askAsApp(stack.client(), await newUser(stack));
    await redeem(first, await decide(first.browser, "allow"));
    const other = await askAsApp(stack.client(), await newUser(stack));
    expect(other.location.pathname).toBe("/consent");
  });

  it("is not made by a denial: a denied app is asked again next time", async () => {
    const user = await newUser(stack);
    const first = await askAsApp(stack.client(), user);
    await decide(first.browser, "deny");
    const again = await askAsApp(first.browser, user);
    expect(again.location.pathname).toBe("/consent");
  });
});

describe("connected apps", () => {
  it("lists an allowed app; revoking it ends its refresh token and access token, and the next request asks again", async () => {
    const user = await newUser(stack);
    const first = await askAsApp(stack.client(), user, { scope: "openid email" });
    const tokens = await redeem(first, await decide(first.browser, "allow"));
    const browser = first.browser;

    const listed = await browser.get<{ clientId: string; name: string; scopes: string[]; grantedAt: number | null }[]>("/api/connected-apps");
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([expect.objectContaining({ clientId: app.clientId, name: app.name, scopes: expect.arrayContaining(["openid", "email"]) })]);

    const revoked = await browser.delete(`/api/connected-apps/${app.clientId}`, {}, { headers: sameOrigin() });
    expect(revoked.status, revoked.text).toBe(204);
    expect((await browser.get("/api/connected-apps")).body).toEqual([]);

    const me = await fetch(`${stack.bffUrl}/oidc/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(me.status).toBe(401);
    if (tokens.refresh_token !== undefined) {
      const refreshed = await tokenRequest(stack, new URLSearchParams({ grant_type: "refresh_token", refresh_token: tokens.refresh_token }), {
        authorization: basicAuth(app.clientId, app.clientSecret),
      });
      expect(((await refreshed.json()) as { error: string }).error).toBe("invalid_grant");
    }

    const again = await askAsApp(browser, undefined);
    expect(again.location.pathname).toBe("/consent");
  });

  it("also lists a first-party app the user signed in to, and revoking it ends its tokens", async () => {
    const user = await newUser(stack);
    const browser = stack.client();
    const { tokens } = await codeFlow(stack, browser, user);
    const listed = (await browser.get<{ clientId: string }[]>("/api/connected-apps")).body;
    expect(listed.map((entry) => entry.clientId)).toContain(testClients.confidential.clientId);
    expect((await browser.delete(`/api/connected-apps/${testClients.confidential.clientId}`, {}, { headers: sameOrigin() })).status).toBe(204);
    const refreshed = await tokenRequest(stack, new URLSearchParams({ grant_type: "refresh_token", refresh_token: tokens.refresh_token! }), {
      authorization: basicAuth(testClients.confidential.clientId, testClients.confidential.clientSecret),
    });
    expect(((await refreshed.json()) as { error: string }).error).toBe("invalid_grant");
  });

  it("revoking an app the user is not connected to is 404", async () => {
    const browser = stack.client();
    await codeFlow(stack, browser, await newUser(stack));
    expect((await browser.delete(`/api/connected-apps/${app.clientId}`, {}, { headers: sameOrigin() })).status).toBe(404);
  });

  it("are the signed-in user's only: without a session, 401", async () => {
    expect((await stack.client().get("/api/connected-apps")).status).toBe(401);
    expect((await stack.client().delete(`/api/connected-apps/${app.clientId}`, {}, { headers: sameOrigin() })).status).toBe(401);
  });
});

describe("POST /api/consent refuses", () => {
  it("a browser that is not signed in (401)", async () => {
    expect((await stack.client().post("/api/consent", { decision: "allow" }, { headers: sameOrigin() })).status).toBe(401);
  });

  it("a signed-in browser with no consent waiting (404)", async () => {
    const browser = stack.client();
    await codeFlow(stack, browser, await newUser(stack));
    expect((await browser.post("/api/consent", { decision: "allow" }, { headers: sameOrigin() })).status).toBe(404);
  });

  it("an answer other than allow or deny (400)", async () => {
    const pending = await askAsApp(stack.client(), await newUser(stack));
    expect((await pending.browser.post("/api/consent", { decision: "maybe" }, { headers: sameOrigin() })).status).toBe(400);
  });

  it("a cross-site request (403), and the app is not granted", async () => {
    const pending = await askAsApp(stack.client(), await newUser(stack));
    const forged = await pending.browser.post("/api/consent", { decision: "allow" }, { headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" } });
    expect(forged.status).toBe(403);
    // Reaching the interaction without a recorded decision shows the consent page again.
    const uid = (await pending.browser.get<{ prompt: string }>("/api/interaction")).body;
    expect(uid.prompt).toBe("consent");
  });

  it("a decision for another user's consent: the interaction asks again instead of granting", async () => {
    const pending = await askAsApp(stack.client(), await newUser(stack));
    // Another user signs in in the same browser over the waiting consent.
    const intruder = await newUser(stack);
    await signIn(stack, pending.browser, intruder);
    expect((await pending.browser.post("/api/consent", { decision: "allow" }, { headers: sameOrigin() })).status).toBe(404);
  });
});

describe("first-party apps", () => {
  it("are never asked, even with prompt=consent", async () => {
    const browser = stack.client();
    await codeFlow(stack, browser, await newUser(stack));
    const { tokens } = await codeFlow(stack, browser, undefined, { params: { prompt: "consent" } });
    expect(tokens.access_token).toBeTruthy();
  });
});
