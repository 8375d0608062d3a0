import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpClient, HttpResponse } from "../support/http-client";
import type { TestStack } from "../support/stack";
import { authorizationRequest, codeFlow, discover, follow, newUser, queryOf, rawAuthorizationUrl, redirectUri, signIn, startOidcStack } from "./support";

/**
 * The authorization endpoint accepts POST (OpenID Connect Core §3.1.2.1: GET and POST MUST be
 * supported), with the same rules as GET: the posted parameters are answered with a 303 to the
 * same request as a GET, which the session's SameSite=Lax cookies accompany.
 */

let stack: TestStack;
let issuer: string;

beforeAll(async () => {
  stack = await startOidcStack();
  issuer = stack.bffUrl;
});

afterAll(async () => {
  await stack?.close();
});

/** A browser's form post of an authorization request (the parameters of `url`, form-encoded). */
function postAuthorization(browser: HttpClient, url: URL, contentType = "application/x-www-form-urlencoded"): Promise<HttpResponse> {
  return browser.request("POST", "/oidc/auth", undefined, {
    rawBody: url.searchParams.toString(),
    headers: { "content-type": contentType, accept: "text/html" },
  });
}

describe("POST at the authorization endpoint", () => {
  it("answers with a 303 to the same request as a GET, every parameter kept", async () => {
    const url = await rawAuthorizationUrl(stack, { login_hint: "a b+c@example.com", ui_locales: "en" });
    const response = await postAuthorization(stack.client(), url);
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get("location")!, issuer);
    expect(location.pathname).toBe("/oidc/auth");
    expect(Object.fromEntries(location.searchParams)).toEqual(Object.fromEntries(url.searchParams));
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("signs the user in and returns a code that openid-client redeems (state, nonce, PKCE, iss checked)", async () => {
    const user = await newUser(stack);
    const browser = stack.client();
    const config = await discover(stack);
    const request = await authorizationRequest(config);
    const posted = await postAuthorization(browser, request.url);
    let hop = await follow(browser, posted.headers.get("location")!);
    expect(new URL(hop.location!).pathname).toBe("/signin");
    hop = await follow(browser, await signIn(stack, browser, user));
    const tokens = await oidc.authorizationCodeGrant(config, new URL(hop.location!), {
      pkceCodeVerifier: request.verifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
      idTokenExpected: true,
    });
    expect(tokens.claims()!.email).toBe(user.email);
  });

  it("reuses the Tobira session (single sign-on) as a GET does", async () => {
    const user = await newUser(stack);
    const browser = stack.client();
    await codeFlow(stack, browser, user);
    const config = await discover(stack);
    const request = await authorizationRequest(config);
    const posted = await postAuthorization(browser, request.url);
    const hop = await follow(browser, posted.headers.get("location")!);
    expect(hop.status).toBe(303);
    expect(queryOf(hop.location).code).toBeTruthy();
  });

  it("refuses an unregistered redirect_uri with an error page, never a redirect, as a GET does", async () => {
    const posted = await postAuthorization(stack.client(), await rawAuthorizationUrl(stack, { redirect_uri: `${redirectUri}/` }));
    const response = await fetch(new URL(posted.headers.get("location")!, issuer), { redirect: "manual" });
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
  });

  it("keeps repeated parameters repeated, so they are refused with invalid_request as in a GET", async () => {
    const url = await rawAuthorizationUrl(stack);
    url.searchParams.append("state", "second-state");
    const posted = await postAuthorization(stack.client(), url);
    const response = await fetch(new URL(posted.headers.get("location")!, issuer), { redirect: "manual" });
    expect(response.status).toBe(303);
    expect(queryOf(response.headers.get("location"))).toMatchObject({ error: "invalid_request", iss: issuer });
  });

  it("refuses a body that is not form-encoded with a 400 page", async () => {
    const response = await postAuthorization(stack.client(), await rawAuthorizationUrl(stack), "application/json");
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toMatch(/text\/html/);
    expect(response.headers.get("location")).toBeNull();
  });
});
