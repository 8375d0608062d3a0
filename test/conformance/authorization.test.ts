import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpClient } from "../support/http-client";
import type { TestStack } from "../support/stack";
import {
  authorizationRequest,
  authorizeInBrowser,
  codeFlow,
  discover,
  follow,
  jwtPayload,
  newUser,
  queryOf,
  rawAuthorizationUrl,
  rawGet,
  redirectUri,
  signIn,
  startOidcStack,
  testClients,
  type TestUser,
} from "./support";

/** The authorization endpoint (RFC 6749 §4.1, RFC 9700, RFC 9207, OIDC Core §3.1.2). */

let stack: TestStack;
let issuer: string;

beforeAll(async () => {
  stack = await startOidcStack();
  issuer = stack.bffUrl;
});

afterAll(async () => {
  await stack?.close();
});

/** A browser signed in to Tobira through one completed code flow (so the provider has a session too). */
async function signedInBrowser(): Promise<{ browser: HttpClient; user: TestUser; idToken: string }> {
  const user = await newUser(stack);
  const browser = stack.client();
  const { tokens } = await codeFlow(stack, browser, user);
  return { browser, user, idToken: tokens.id_token! };
}

async function expectErrorPage(url: URL): Promise<void> {
  const response = await rawGet(url);
  expect(response.status).toBe(400);
  expect(response.headers.get("location")).toBeNull();
  expect(response.headers.get("content-type")).toMatch(/text\/html/);
}

async function expectErrorRedirect(url: URL, error: string, expectedRedirectUri = redirectUri): Promise<Record<string, string>> {
  const response = await rawGet(url);
  expect(response.status).toBe(303);
  const location = new URL(response.headers.get("location")!);
  expect(location.origin + location.pathname).toBe(expectedRedirectUri);
  // Response types with a token answer in the fragment (OAuth 2.0 Multiple Response Types §5).
  const params = Object.fromEntries(location.hash === "" ? location.searchParams : new URLSearchParams(location.hash.slice(1)));
  expect(params).toMatchObject({ error, state: "state-123", iss: issuer });
  expect(params.error_description).toBeTruthy();
  return params;
}

describe("unknown client or unregistered redirect_uri: an error page, never a redirect", () => {
  it("refuses an unknown client_id", async () => {
    await expectErrorPage(await rawAuthorizationUrl(stack, { client_id: "no-such-client" }));
  });

  it("refuses a missing redirect_uri", async () => {
    await expectErrorPage(await rawAuthorizationUrl(stack, { redirect_uri: undefined }));
  });

  const lookAlikes: Record<string, string> = {
    "a trailing slash": "https://rp.example.com/callback/",
    "an added query": "https://rp.example.com/callback?x=1",
    "a changed path case": "https://rp.example.com/Callback",
    "http for https": "http://rp.example.com/callback",
    "a fragment": "https://rp.example.com/callback#x",
    "another port": "https://rp.example.com:8443/callback",
    "a look-alike host": "https://rp.example.com.evil.example/callback",
    "a look-alike domain": "https://rp-example.com/callback",
    "an unregistered URI": "https://evil.example/callback",
  };
  for (const [label, uri] of Object.entries(lookAlikes)) {
    it(`refuses a redirect_uri with ${label}`, async () => {
      await expectErrorPage(await rawAuthorizationUrl(stack, { redirect_uri: uri }));
    });
  }
});

describe("redirect_uri is an exact match and required", () => {
  it("requires redirect_uri even though the client registered only one", async () => {
    expect(testClients.confidential.redirectUris).toHaveLength(1);
    await expectErrorPage(await rawAuthorizationUrl(stack, { redirect_uri: undefined }));
  });

  it("accepts the registered URI byte for byte (the request goes on to sign-in)", async () => {
    const response = await rawGet(await rawAuthorizationUrl(stack));
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toMatch(/^\/interaction\/[\w-]+$/);
  });
});

describe("other errors redirect with error, error_description, state and iss", () => {
  it("missing response_type → invalid_request", async () => {
    await expectErrorRedirect(await rawAuthorizationUrl(stack, { response_type: undefined }), "invalid_request");
  });

  for (const responseType of ["token", "id_token", "code id_token", "code token"]) {
    it(`response_type=${responseType} → unsupported_response_type`, async () => {
      await expectErrorRedirect(await rawAuthorizationUrl(stack, { response_type: responseType }), "unsupported_response_type");
    });
  }

  for (const method of ["plain", "S512"]) {
    it(`code_challenge_method=${method} → invalid_request`, async () => {
      await expectErrorRedirect(await rawAuthorizationUrl(stack, { code_challenge_method: method }), "invalid_request");
    });
  }

  const withoutPkce = { code_challenge: undefined, code_challenge_method: undefined };

  it("missing code_challenge from a public client (PKCE is required) → invalid_request", async () => {
    const { clientId, redirectUris } = testClients.public;
    const url = await rawAuthorizationUrl(stack, { ...withoutPkce, client_id: clientId, redirect_uri: redirectUris[0] });
    await expectErrorRedirect(url, "invalid_request", redirectUris[0]);
  });

  it("missing code_challenge from a confidential client configured with requirePkce → invalid_request", async () => {
    const { clientId, redirectUris } = testClients.strictPkce;
    const url = await rawAuthorizationUrl(stack, { ...withoutPkce, client_id: clientId, redirect_uri: redirectUris[0] });
    await expectErrorRedirect(url, "invalid_request", redirectUris[0]);
  });

  it("a confidential client may leave PKCE out: the request goes on to sign-in", async () => {
    const response = await rawGet(await rawAuthorizationUrl(stack, withoutPkce));
    expect(response.status).toBe(303);
    expect(new URL(response.headers.get("location")!, stack.bffUrl).pathname).toMatch(/^\/interaction\//);
  });

  it("prompt=none with another value → invalid_request", async () => {
    await expectErrorRedirect(await rawAuthorizationUrl(stack, { prompt: "none login" }), "invalid_request");
  });

  it("prompt=none without a session → login_required", async () => {
    await expectErrorRedirect(await rawAuthorizationUrl(stack, { prompt: "none" }), "login_required");
  });

  it("a user who cancels the sign-in → access_denied", async () => {
    const browser = stack.client();
    const start = await follow(browser, await rawAuthorizationUrl(stack));
    expect(new URL(start.location!).pathname).toBe("/signin");
    const cancelled = await follow(browser, "/interaction/cancel");
    expect(cancelled.status).toBe(303);
    expect(queryOf(cancelled.location)).toMatchObject({ error: "access_denied", state: "state-123", iss: issuer });
  });

  it("a client that is not first party: the user is asked for consent (consent.test.ts has the rest)", async () => {
    const user = await newUser(stack);
    const browser = stack.client();
    const config = await discover(stack, testClients.thirdParty);
    const request = await authorizationRequest(config, {}, testClients.thirdParty);
    await follow(browser, request.url);
    const hop = await follow(browser, await signIn(stack, browser, user));
    expect(new URL(hop.location!).pathname).toBe("/consent");
  });

  it("ignores unknown parameters and the order of scopes", async () => {
    const { browser } = await signedInBrowser();
    const { tokens } = await codeFlow(stack, browser, undefined, { params: { scope: "email openid", unknown_param: "whatever" } });
    expect(tokens.scope?.split(" ").sort()).toEqual(["email", "openid"]);
  });
});

describe("state", () => {
  it("is echoed byte for byte on success", async () => {
    const { browser } = await signedInBrowser();
    const state = "a b+c/%=é~&x";
    const response = await follow(browser, await rawAuthorizationUrl(stack, { state }));
    expect(queryOf(response.location).state).toBe(state);
  });

  it("is echoed byte for byte on an error", async () => {
    const state = "a b+c/%=é~&x";
    const response = await rawGet(await rawAuthorizationUrl(stack, { state, prompt: "none" }));
    expect(queryOf(response.headers.get("location")).state).toBe(state);
  });

  it("is not added when the request had none", async () => {
    const response = await rawGet(await rawAuthorizationUrl(stack, { state: undefined, prompt: "none" }));
    const params = queryOf(response.headers.get("location"));
    expect(params.error).toBe("login_required");
    expect("state" in params).toBe(false);
  });
});

describe("iss on every authorization response (RFC 9207)", () => {
  it("is announced in discovery", async () => {
    const config = await discover(stack);
    expect(config.serverMetadata().authorization_response_iss_parameter_supported).toBe(true);
  });

  it("is on a successful response and equals the discovery issuer", async () => {
    const { browser } = await signedInBrowser();
    const response = await follow(browser, await rawAuthorizationUrl(stack));
    const params = queryOf(response.location);
    expect(params.code).toBeTruthy();
    expect(params.iss).toBe((await discover(stack)).serverMetadata().issuer);
  });

  it("is on an error response", async () => {
    const response = await rawGet(await rawAuthorizationUrl(stack, { prompt: "none" }));
    expect(queryOf(response.headers.get("location")).iss).toBe(issuer);
  });
});

describe("prompt=login and max_age force a fresh sign-in", () => {
  it("prompt=login sends a signed-in user to the sign-in page, then issues a code with the new auth_time", async () => {
    const { browser, user, idToken } = await signedInBrowser();
    const config = await discover(stack);
    const request = await authorizationRequest(config, { prompt: "login" });
    const first = await follow(browser, request.url);
    expect(new URL(first.location!).pathname).toBe("/signin");
    // Following the completion URL without signing in again does not finish the request.
    const uid = (first.hops[0]!.location ?? "").split("/").pop();
    const early = await follow(browser, `/interaction/${uid}/complete`);
    expect(new URL(early.location!).pathname).toBe("/signin");
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const done = await follow(browser, await signIn(stack, browser, user));
    const tokens = await oidc.authorizationCodeGrant(config, new URL(done.location!), {
      pkceCodeVerifier: request.verifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
    });
    expect(tokens.claims()!.auth_time).toBeGreaterThan(jwtPayload(idToken).auth_time as number);
  });

  it("max_age=0 forces a sign-in, and the ID token carries auth_time", async () => {
    const { browser, user } = await signedInBrowser();
    const request = await rawAuthorizationUrl(stack, { max_age: "0" });
    const first = await follow(browser, request);
    expect(new URL(first.location!).pathname).toBe("/signin");
    const { tokens } = await codeFlow(stack, browser, user, { params: { max_age: "0" } });
    expect(typeof tokens.claims()!.auth_time).toBe("number");
  });

  it("a max_age that has passed forces a sign-in", async () => {
    const { browser } = await signedInBrowser();
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const response = await follow(browser, await rawAuthorizationUrl(stack, { max_age: "1" }));
    expect(new URL(response.location!).pathname).toBe("/signin");
  });

  it("a max_age that has not passed reuses the session, and auth_time is in the ID token", async () => {
    const { browser } = await signedInBrowser();
    const { tokens } = await codeFlow(stack, browser, undefined, { params: { max_age: "3600" } });
    expect(typeof tokens.claims()!.auth_time).toBe("number");
  });
});

describe("optional parameters", () => {
  it("accepts display, ui_locales, login_hint, id_token_hint and acr_values", async () => {
    const { browser, user, idToken } = await signedInBrowser();
    const { tokens } = await codeFlow(stack, browser, undefined, {
      params: { display: "page", ui_locales: "en ja", login_hint: user.email, id_token_hint: idToken, acr_values: "urn:tobira:acr:mfa" },
    });
    expect(tokens.claims()!.email).toBe(user.email);
  });

  it("prompt=none with an id_token_hint for another user → login_required", async () => {
    const { idToken: otherUsersToken } = await signedInBrowser();
    const { browser } = await signedInBrowser();
    const response = await follow(browser, await rawAuthorizationUrl(stack, { prompt: "none", id_token_hint: otherUsersToken }));
    expect(queryOf(response.location)).toMatchObject({ error: "login_required", iss: issuer });
  });
});

describe("redirects after credentials are 303", () => {
  it("answers every hop from the sign-in to the client with 303", async () => {
    const user = await newUser(stack);
    const browser = stack.client();
    const start = await follow(browser, await rawAuthorizationUrl(stack));
    expect(start.hops.map((hop) => hop.status)).toEqual([303, 303]);
    const finish = await follow(browser, await signIn(stack, browser, user));
    expect(finish.hops.map((hop) => hop.status)).toEqual([303, 303]);
    expect(queryOf(finish.location).code).toBeTruthy();
  });
});

describe("framing, referrer and CORS", () => {
  it("the authorization endpoint and the interaction page forbid framing and referrers", async () => {
    const browser = stack.client();
    const start = await follow(browser, await rawAuthorizationUrl(stack));
    for (const hop of start.hops) {
      expect(hop.response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(hop.response.headers.get("x-frame-options")).toBe("DENY");
      expect(hop.response.headers.get("referrer-policy")).toBe("no-referrer");
    }
  });

  it("the SPA's sign-in page forbids framing and referrers too", async () => {
    const response = await rawGet(new URL("/signin", stack.bffUrl));
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
  });

  it("answers no CORS on the authorization endpoint", async () => {
    const response = await rawGet(await rawAuthorizationUrl(stack), { origin: "https://rp.example.com" });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("nonce", () => {
  it("is in the ID token unchanged", async () => {
    const { browser } = await signedInBrowser();
    const config = await discover(stack);
    const nonce = oidc.randomNonce();
    const request = await authorizationRequest(config, { nonce });
    const callback = await authorizeInBrowser(stack, browser, request.url);
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: nonce });
    expect(jwtPayload(tokens.id_token!).nonce).toBe(nonce);
  });
});
