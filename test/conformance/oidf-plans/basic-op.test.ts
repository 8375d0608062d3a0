import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpClient } from "../../support/http-client";
import type { TestStack } from "../../support/stack";
import { basicAuth, follow, newUser, newUserWithAttributes, signIn, startOidcStack, testClients, type TestUser } from "../support";
import {
  checkAuthorizationError,
  checkTokenError,
  checkTokenResponse,
  checkUserInfo,
  exchangeCode,
  Findings,
  idTokenClaims,
  recordedFetch,
  recordingRp,
  suiteCodeFlow,
  suiteRequest,
  type RecordingRp,
  type SuiteRequest,
  type SuiteTokens,
} from "./suite-checks";

/**
 * The modules of the OpenID Foundation's oidcc-basic-certification-test-plan ("Basic OP"), with
 * its variants response_type=code, client_auth_type=client_secret_basic (client_secret_post for
 * oidcc-server-client-secret-post), response_mode=default and a static client: one test per
 * module, named by its module id, each checking what the module checks and failing on any of its
 * FAILURE or WARNING conditions (suite-checks.ts). The relying party is openid-client, unmodified;
 * the user signs in through the SPA's JSON API as in the other conformance tests.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let stack: TestStack;
let rp: RecordingRp;

/** Every standard attribute a Cognito user pool has for the profile and phone scopes (the suite's test user has them all). */
const fullProfile = {
  name: "Buffy Anne Summers",
  given_name: "Buffy",
  family_name: "Summers",
  middle_name: "Anne",
  nickname: "Buff",
  preferred_username: "buffy",
  profile: "https://profiles.example.com/buffy",
  picture: "https://profiles.example.com/buffy.png",
  website: "https://buffy.example.com",
  gender: "female",
  birthdate: "1981-01-19",
  zoneinfo: "America/Los_Angeles",
  locale: "en-US",
  updated_at: "1700000000",
  phone_number: "+15555550100",
};

beforeAll(async () => {
  stack = await startOidcStack();
  rp = await recordingRp(stack);
});

afterAll(async () => {
  // Let writes the provider makes after its last answer land before the store closes.
  await sleep(1_000);
  await stack?.close();
});

/** A fresh browser (no cookies) and the plain happy flow of AbstractOIDCCServerTest. */
async function firstAuthorization(
  findings: Findings,
  extra: Record<string, string | undefined> = {},
  options: { user?: TestUser; warnOnUnrequestedClaims?: boolean; relyingParty?: RecordingRp } = {},
): Promise<{ browser: HttpClient; user: TestUser; flow: SuiteTokens }> {
  const user = options.user ?? (await newUser(stack));
  const browser = stack.client();
  const relyingParty = options.relyingParty ?? rp;
  const request = suiteRequest(relyingParty, extra);
  const flow = await suiteCodeFlow(stack, findings, relyingParty, browser, user, request, {
    warnOnUnrequestedClaims: options.warnOnUnrequestedClaims,
    ...(extra.max_age === undefined ? {} : { maxAge: Number(extra.max_age) }),
  });
  return { browser, user, flow };
}

/** requestProtectedResource: the access token works at the userinfo endpoint (GET, Bearer). */
async function userInfoGet(findings: Findings, flow: SuiteTokens, relyingParty: RecordingRp = rp, scope?: string): Promise<Record<string, unknown>> {
  await oidc.fetchUserInfo(relyingParty.config, flow.tokens.access_token, flow.claims.sub as string);
  return checkUserInfo(findings, relyingParty.last("/oidc/me"), flow.claims.sub, scope);
}

/** A request the user must answer with a new sign-in (ExpectSecondLoginPage): the SPA's sign-in page, then back. */
async function authorizeWithNewSignIn(findings: Findings, browser: HttpClient, user: TestUser, request: SuiteRequest, maxAge?: number): Promise<SuiteTokens> {
  const first = await follow(browser, request.url);
  const askedToSignIn = first.location !== undefined && new URL(first.location).pathname === "/signin";
  findings.require(askedToSignIn, "ExpectSecondLoginPage: the user is asked to sign in again (OIDCC-3.1.2.1)", first.location);
  const done = await follow(browser, await signIn(stack, browser, user));
  return exchangeCode(findings, rp, request, new URL(done.location!), maxAge === undefined ? {} : { maxAge });
}

/** A second authorization inside the same session that must not ask the user anything. */
async function authorizeSilently(findings: Findings, browser: HttpClient, request: SuiteRequest, maxAge?: number): Promise<SuiteTokens> {
  const hop = await follow(browser, request.url);
  findings.require(
    hop.status === 303 && hop.location !== undefined && new URL(hop.location).origin !== new URL(stack.bffUrl).origin,
    "no user interaction",
    hop.location,
  );
  return exchangeCode(findings, rp, request, new URL(hop.location!), maxAge === undefined ? {} : { maxAge });
}

/** AbstractOIDCCSameAuthTwiceServerTest: sub equal, auth_time equal when present. */
function sameAuthentication(findings: Findings, first: SuiteTokens, second: SuiteTokens): void {
  findings.require(second.claims.sub === first.claims.sub, "CheckIdTokenSubConsistentForSecondAuthorization (OIDCC-2)");
  if (first.claims.auth_time !== undefined && second.claims.auth_time !== undefined) {
    findings.require(second.claims.auth_time === first.claims.auth_time, "CheckIdTokenAuthTimeClaimsSameIfPresent (OIDCC-2)", [
      first.claims.auth_time,
      second.claims.auth_time,
    ]);
  }
}

describe("oidcc-basic-certification-test-plan (response_type=code, client_secret_basic)", () => {
  it("oidcc-server: the happy flow — code, token response, ID token (no claim nobody asked for), userinfo", async () => {
    const findings = new Findings();
    const { flow } = await firstAuthorization(findings, {}, { warnOnUnrequestedClaims: true });
    await userInfoGet(findings, flow);
    findings.expectClean();
  });

  it("oidcc-response-type-missing: invalid_request (or unsupported_response_type) back at the redirect URI", async () => {
    const findings = new Findings();
    const request = suiteRequest(rp, { response_type: undefined });
    const response = await recordedFetch(request.url);
    findings.require(response.status === 303, "a redirect back to the client", response.status);
    checkAuthorizationError(findings, rp, response.headers.get("location") ?? undefined, request.state, ["invalid_request", "unsupported_response_type"]);
    findings.expectClean();
  });

  it("oidcc-idtoken-signature (dynamic registration only): the default ID token is RS256 with a kid", async () => {
    // Not in the static-client variant of the plan; the kid and RS256 checks run on every ID token here (checkIdToken).
    const findings = new Findings();
    const { flow } = await firstAuthorization(findings);
    const header = JSON.parse(Buffer.from(flow.idToken.split(".")[0]!, "base64url").toString("utf8")) as Record<string, unknown>;
    expect(header).toMatchObject({ alg: "RS256", kid: expect.any(String) });
    findings.expectClean();
  });

  it("oidcc-idtoken-unsigned (dynamic registration only): skipped by the suite because discovery does not offer alg none", async () => {
    // OIDCCCheckIdTokenSigningAlgValuesSupportedAlgNone: without "none" the module is skipped, which certification accepts.
    expect(rp.metadata.id_token_signing_alg_values_supported).not.toContain("none");
  });

  it("oidcc-userinfo-get: GET with the Bearer header answers JSON with the ID token's sub", async () => {
    const findings = new Findings();
    const { flow } = await firstAuthorization(findings);
    await userInfoGet(findings, flow);
    findings.expectClean();
  });

  it("oidcc-userinfo-post-header: POST with the Bearer header answers the same", async () => {
    const findings = new Findings();
    const { flow } = await firstAuthorization(findings);
    const response = await recordedFetch(rp.metadata.userinfo_endpoint!, { method: "POST", headers: { authorization: `Bearer ${flow.tokens.access_token}` } });
    checkUserInfo(findings, response, flow.claims.sub, undefined);
    findings.expectClean();
  });

  it("oidcc-userinfo-post-body: POST with access_token in the form body is answered (else the suite warns)", async () => {
    const findings = new Findings();
    const { flow } = await firstAuthorization(findings);
    const response = await recordedFetch(rp.metadata.userinfo_endpoint!, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ access_token: flow.tokens.access_token }).toString(),
    });
    findings.recommend(response.status >= 200 && response.status < 300, "UserInfoEndpointWithAccessTokenInBodyNotSupported", response.status);
    if (response.status === 200) checkUserInfo(findings, response, flow.claims.sub, undefined);
    findings.expectClean();
  });

  it("oidcc-ensure-request-without-nonce-succeeds-for-code-flow: a code without a nonce (OIDCC-3.1.2.1: nonce is optional for code)", async () => {
    const findings = new Findings();
    const user = await newUser(stack);
    const browser = stack.client();
    const request = suiteRequest(rp, {}, { withoutNonce: true });
    const flow = await suiteCodeFlow(stack, findings, rp, browser, user, request);
    expect(flow.claims.nonce).toBeUndefined();
    findings.expectClean();
  });

  for (const [moduleId, scope] of [
    ["oidcc-scope-profile", "openid profile"],
    ["oidcc-scope-email", "openid email"],
    ["oidcc-scope-phone", "openid phone"],
  ] as const) {
    it(`${moduleId}: userinfo returns every standard claim of "${scope}" (OIDCC-5.4)`, async () => {
      const findings = new Findings();
      const user = await newUserWithAttributes(stack, fullProfile);
      const { flow } = await firstAuthorization(findings, { scope }, { user });
      await userInfoGet(findings, flow, rp, scope);
      findings.expectClean();
    });
  }

  it("oidcc-scope-address: skipped by the suite because scopes_supported has no address (Cognito's address is not Core §5.1.1's object)", async () => {
    // OIDCCCheckScopesSupportedContainScopeTest fails → fireTestSkipped. An RP asking anyway gets no address.
    expect(rp.metadata.scopes_supported).not.toContain("address");
    const findings = new Findings();
    const { flow } = await firstAuthorization(findings, { scope: "openid address" });
    const claims = await userInfoGet(findings, flow);
    expect(claims.address).toBeUndefined();
    findings.expectClean();
  });

  it("oidcc-scope-all: skipped by the suite (it needs address); every other scope's claims come back together", async () => {
    expect(rp.metadata.scopes_supported).not.toContain("address");
    const findings = new Findings();
    const user = await newUserWithAttributes(stack, fullProfile);
    const scope = "openid email phone profile";
    const { flow } = await firstAuthorization(findings, { scope }, { user });
    await userInfoGet(findings, flow, rp, scope);
    findings.expectClean();
  });

  it("oidcc-alternate-happy-flow: scopes reversed and parameters in another order (RFC 6749 §3.3)", async () => {
    const findings = new Findings();
    const user = await newUser(stack);
    const browser = stack.client();
    const base = suiteRequest(rp, { scope: "email openid" });
    const reordered = new URL(base.url.origin + base.url.pathname);
    for (const name of [...base.url.searchParams.keys()].sort().reverse()) reordered.searchParams.set(name, base.url.searchParams.get(name)!);
    const flow = await suiteCodeFlow(stack, findings, rp, browser, user, { ...base, url: reordered });
    await userInfoGet(findings, flow, rp, "email openid");
    findings.expectClean();
  });

  for (const display of ["page", "popup"]) {
    it(`oidcc-display-${display}: display=${display} does not cause an error (OIDCC-15.1)`, async () => {
      const findings = new Findings();
      await firstAuthorization(findings, { display });
      findings.expectClean();
    });
  }

  it("oidcc-prompt-login: a second request with prompt=login asks for a new sign-in, and auth_time is later", async () => {
    const findings = new Findings();
    const { browser, user, flow: first } = await firstAuthorization(findings);
    await sleep(1_100);
    const second = await authorizeWithNewSignIn(findings, browser, user, suiteRequest(rp, { prompt: "login" }));
    findings.require(
      first.claims.auth_time === undefined || (second.claims.auth_time as number) > (first.claims.auth_time as number),
      "CheckSecondIdTokenAuthTimeIsLaterIfPresent (OIDCC-2)",
    );
    findings.expectClean();
  });

  it("oidcc-prompt-none-not-logged-in: prompt=none without a session → login_required (OIDCC-3.1.2.6), a 128-character state echoed", async () => {
    const findings = new Findings();
    const state = "s".repeat(64) + oidc.randomState().slice(0, 64).padEnd(64, "x");
    const request = suiteRequest(rp, { prompt: "none", state });
    const response = await recordedFetch(request.url);
    checkAuthorizationError(findings, rp, response.headers.get("location") ?? undefined, state, [
      "interaction_required",
      "login_required",
      "account_selection_required",
      "consent_required",
    ]);
    findings.expectClean();
  });

  it("oidcc-prompt-none-logged-in: prompt=none inside the session issues a code at once; same sub and auth_time", async () => {
    const findings = new Findings();
    const { browser, flow: first } = await firstAuthorization(findings);
    const second = await authorizeSilently(findings, browser, suiteRequest(rp, { prompt: "none" }));
    sameAuthentication(findings, first, second);
    findings.expectClean();
  });

  it("oidcc-max-age-1: after 2 s, max_age=1 asks for a new sign-in; auth_time present, later and recent", async () => {
    const findings = new Findings();
    const { browser, user, flow: first } = await firstAuthorization(findings);
    await sleep(2_100);
    const second = await authorizeWithNewSignIn(findings, browser, user, suiteRequest(rp, { max_age: "1" }), 1);
    const authTime = second.claims.auth_time;
    findings.require(typeof authTime === "number", "CheckIdTokenAuthTimeClaimPresentDueToMaxAge (OIDCC-3.1.2.1)");
    findings.require(first.claims.auth_time === undefined || (authTime as number) > (first.claims.auth_time as number), "CheckSecondIdTokenAuthTimeIsLaterIfPresent");
    findings.require(Math.abs(Date.now() / 1000 - (authTime as number)) < 5 * 60, "CheckIdTokenAuthTimeIsRecentIfPresent");
    findings.expectClean();
  });

  it("oidcc-max-age-10000: max_age=15000 then max_age=10000 reuse the session; auth_time present in both and equal", async () => {
    const findings = new Findings();
    const { browser, flow: first } = await firstAuthorization(findings, { max_age: "15000" });
    findings.require(typeof first.claims.auth_time === "number", "CheckIdTokenAuthTimeClaimPresentDueToMaxAge (first)");
    const second = await authorizeSilently(findings, browser, suiteRequest(rp, { max_age: "10000" }), 10000);
    findings.require(typeof second.claims.auth_time === "number", "CheckIdTokenAuthTimeClaimPresentDueToMaxAge (second)");
    sameAuthentication(findings, first, second);
    findings.expectClean();
  });

  it("oidcc-ensure-request-with-unknown-parameter-succeeds: an unknown parameter is ignored (RFC 6749 §3.1)", async () => {
    const findings = new Findings();
    await firstAuthorization(findings, { extra: "foobar" });
    findings.expectClean();
  });

  it("oidcc-id-token-hint: prompt=none with the first ID token as id_token_hint succeeds silently; same sub and auth_time", async () => {
    const findings = new Findings();
    const { browser, flow: first } = await firstAuthorization(findings);
    const second = await authorizeSilently(findings, browser, suiteRequest(rp, { prompt: "none", id_token_hint: first.idToken }));
    sameAuthentication(findings, first, second);
    findings.expectClean();
  });

  it("oidcc-login-hint: login_hint does not cause an error (the sign-in page is prefilled)", async () => {
    const findings = new Findings();
    const user = await newUser(stack);
    await firstAuthorization(findings, { login_hint: user.email }, { user });
    findings.expectClean();
  });

  it("oidcc-ui-locales: ui_locales=se does not cause an error", async () => {
    const findings = new Findings();
    await firstAuthorization(findings, { ui_locales: "se" });
    findings.expectClean();
  });

  it("oidcc-claims-locales: claims_locales=se does not cause an error (OIDCC-5.2)", async () => {
    const findings = new Findings();
    await firstAuthorization(findings, { claims_locales: "se" });
    findings.expectClean();
  });

  it("oidcc-ensure-request-with-acr-values-succeeds: acr_values with every advertised value succeeds, and acr is one of them", async () => {
    const findings = new Findings();
    const advertised = (rp.metadata.acr_values_supported ?? []) as string[];
    expect(advertised.length).toBeGreaterThan(0);
    const { flow } = await firstAuthorization(findings, { acr_values: advertised.join(" ") });
    findings.recommend(advertised.includes(flow.claims.acr as string), "ValidateIdTokenACRClaimAgainstAcrValuesRequest (OIDCC-3.1.2.1)", flow.claims.acr);
    findings.expectClean();
  });

  it("oidcc-codereuse: a code used twice → 400 invalid_grant the second time", async () => {
    const findings = new Findings();
    const { flow } = await firstAuthorization(findings);
    const again = await oidc
      .authorizationCodeGrant(rp.config, flow.callback, { expectedState: flow.request.state, expectedNonce: flow.request.nonce })
      .catch((error: unknown) => error);
    expect(again).toBeInstanceOf(Error);
    checkTokenError(findings, rp.last("/oidc/token"));
    findings.expectClean();
  });

  it("oidcc-codereuse-30seconds: a code used again after 30 s → invalid_grant, and the access token it gave is revoked (RFC 6749 §4.1.2)", async () => {
    const findings = new Findings();
    const { flow } = await firstAuthorization(findings);
    await sleep(30_000);
    await oidc.authorizationCodeGrant(rp.config, flow.callback, { expectedState: flow.request.state, expectedNonce: flow.request.nonce }).catch(() => undefined);
    checkTokenError(findings, rp.last("/oidc/token"));
    const info = await recordedFetch(rp.metadata.userinfo_endpoint!, { headers: { authorization: `Bearer ${flow.tokens.access_token}` } });
    findings.recommend(info.status >= 400 && info.status < 500, "EnsureHttpStatusCodeIs4xx: the first access token still works (RFC6749-4.1.2)", info.status);
    findings.expectClean();
  }, 90_000);

  it("oidcc-ensure-registered-redirect-uri: an unregistered redirect_uri gets an error page, never a redirect", async () => {
    const findings = new Findings();
    const request = suiteRequest(rp, { redirect_uri: `${testClients.confidential.redirectUris[0]}${oidc.randomState().slice(0, 10)}` });
    const response = await recordedFetch(request.url);
    findings.require(
      response.headers.get("location") === null,
      "the authorization server must not redirect to an unregistered redirect_uri",
      response.headers.get("location"),
    );
    findings.require(response.status === 400 && /text\/html/.test(response.headers.get("content-type") ?? ""), "ExpectRedirectUriErrorPage", response.status);
    findings.expectClean();
  });

  it("oidcc-ensure-post-request-succeeds: the authorization request as a form POST completes (OIDCC-3.1.2.1)", async () => {
    const findings = new Findings();
    const user = await newUser(stack);
    const browser = stack.client();
    const request = suiteRequest(rp);
    const posted = await browser.request("POST", new URL(request.url.pathname, stack.bffUrl).pathname, undefined, {
      rawBody: request.url.searchParams.toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
    });
    findings.require(posted.status === 303 || posted.status === 302, "the POST is answered", posted.status);
    let hop = await follow(browser, posted.headers.get("location")!);
    if (new URL(hop.location!).pathname === "/signin") hop = await follow(browser, await signIn(stack, browser, user));
    await exchangeCode(findings, rp, request, new URL(hop.location!));
    findings.expectClean();
  });
});

describe("oidcc-basic-certification-test-plan (client_secret_post)", () => {
  it("oidcc-server-client-secret-post: the happy flow with the secret in the form body", async () => {
    const findings = new Findings();
    const postRp = await recordingRp(stack, testClients.confidential, oidc.ClientSecretPost(testClients.confidential.clientSecret));
    const { flow } = await firstAuthorization(findings, {}, { relyingParty: postRp, warnOnUnrequestedClaims: true });
    const tokenRequest = postRp.last("/oidc/token");
    expect(tokenRequest.status).toBe(200);
    expect(postRp.metadata.token_endpoint_auth_methods_supported).toContain("client_secret_post");
    await userInfoGet(findings, flow, postRp);
    findings.expectClean();
  });
});

describe("oidcc-basic-certification-test-plan (request objects, claims, refresh, PKCE)", () => {
  it("oidcc-request-uri-unsigned-supported-correctly-or-rejected-as-unsupported (dynamic registration only): request_uri → request_uri_not_supported", async () => {
    // Not in the static-client variant; where it runs, request_uri_not_supported makes it skip (permitted, OIDCC-3.1.2.6).
    const findings = new Findings();
    expect(rp.metadata.request_uri_parameter_supported).toBe(false);
    const request = suiteRequest(rp, { request_uri: "https://rp.example.com/request.jwt" });
    const response = await recordedFetch(request.url);
    checkAuthorizationError(findings, rp, response.headers.get("location") ?? undefined, request.state, ["request_uri_not_supported"]);
    findings.expectClean();
  });

  /** An unsigned request object (alg none) carrying the request, with the required duplicates outside it (OIDCC-6.1). */
  function unsignedRequestObject(claims: Record<string, string>): string {
    const header = Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url");
    return `${header}.${Buffer.from(JSON.stringify({ ...claims, iss: testClients.confidential.clientId, aud: rp.metadata.issuer })).toString("base64url")}.`;
  }

  function requestObjectUrl(objectClaims: Record<string, string>, outer: Record<string, string>): URL {
    const url = new URL(rp.metadata.authorization_endpoint!);
    for (const [name, value] of Object.entries({ ...outer, request: unsignedRequestObject(objectClaims) }).sort(([a], [b]) => a.localeCompare(b))) {
      url.searchParams.set(name, value);
    }
    return url;
  }

  it("oidcc-unsigned-request-object-supported-correctly-or-rejected-as-unsupported: request → request_not_supported (the suite then skips)", async () => {
    const findings = new Findings();
    const state = oidc.randomState();
    const claims = {
      client_id: testClients.confidential.clientId,
      redirect_uri: testClients.confidential.redirectUris[0]!,
      response_type: "code",
      scope: "openid",
      state,
      nonce: oidc.randomNonce(),
    };
    const outer = { client_id: claims.client_id, redirect_uri: claims.redirect_uri, response_type: "code", scope: "openid" };
    const response = await recordedFetch(requestObjectUrl(claims, outer));
    const location = response.headers.get("location") ?? undefined;
    // Never silently ignored: the request object's state would be lost (the module fails an OP that ignores it).
    const params = location === undefined ? {} : Object.fromEntries(new URL(location).searchParams);
    findings.require(params.error === "request_not_supported", "request_not_supported (OIDCC-3.1.2.6)", params);
    expect(rp.metadata.request_parameter_supported).toBe(false);
    findings.expectClean();
  });

  it("oidcc-ensure-request-object-with-redirect-uri: an invalid outer redirect_uri beside a request object gets an error page, not the registered URI", async () => {
    const findings = new Findings();
    const registered = testClients.confidential.redirectUris[0]!;
    const claims = {
      client_id: testClients.confidential.clientId,
      redirect_uri: registered,
      response_type: "code",
      scope: "openid",
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
    };
    const outer = { client_id: claims.client_id, redirect_uri: `${registered}/_invalid`, response_type: "code", scope: "openid" };
    const response = await recordedFetch(requestObjectUrl(claims, outer));
    const location = response.headers.get("location");
    findings.require(location === null || !location.startsWith(registered), "EnsureOPDoesNotUseDefaultRedirectUriInCaseOfInvalidRedirectUri", location);
    findings.require(location === null || !location.startsWith(outer.redirect_uri), "never to the unregistered redirect_uri", location);
    findings.require(response.status === 400, "ExpectRedirectUriErrorPage (RFC6749-3.1.2)", response.status);
    findings.expectClean();
  });

  it("oidcc-claims-essential: claims={userinfo:{name:{essential:true}}} succeeds, and userinfo has name (else the suite warns)", async () => {
    const findings = new Findings();
    const user = await newUserWithAttributes(stack, fullProfile);
    const claimsParameter = JSON.stringify({ userinfo: { name: { essential: true } } });
    const { flow } = await firstAuthorization(findings, { claims: claimsParameter }, { user });
    const info = await userInfoGet(findings, flow, rp, "openid");
    findings.recommend(typeof info.name === "string", "EnsureUserInfoContainsName (OIDCC-5.5)");
    findings.recommend(flow.claims.name === undefined, "EnsureIdTokenDoesNotContainName (OIDCC-5.5)");
    findings.expectClean();
  });

  it("oidcc-claims-essential, as a third-party app: the claims parameter is refused (a claim by name would bypass the consented scopes)", async () => {
    const thirdParty = await recordingRp(stack, testClients.thirdParty);
    const request = suiteRequest(thirdParty, { claims: JSON.stringify({ userinfo: { email: null, phone_number: { essential: true } } }) });
    const response = await recordedFetch(request.url);
    const findings = new Findings();
    checkAuthorizationError(findings, thirdParty, response.headers.get("location") ?? undefined, request.state, ["invalid_request"]);
    findings.expectClean();
  });

  it("oidcc-refresh-token: offline_access + prompt=consent gives a refresh token that works for its client only; the new ID token keeps iss/sub/aud/auth_time", async () => {
    const findings = new Findings();
    expect(rp.metadata.scopes_supported).toContain("offline_access");
    findings.recommend((rp.metadata.grant_types_supported ?? []).includes("refresh_token"), "EnsureServerConfigurationSupportsRefreshToken (OIDCD-3)");
    const scope = "openid offline_access";
    const user = await newUser(stack);

    // Client 1.
    const { flow } = await firstAuthorization(findings, { scope, prompt: "consent" }, { user });
    const refreshToken = flow.tokens.refresh_token;
    findings.require(typeof refreshToken === "string", "a refresh token was issued (else the module is skipped)");
    await sleep(1_000);
    const refreshed = await oidc.refreshTokenGrant(rp.config, refreshToken!, { scope });
    const body = checkTokenResponse(findings, rp.last("/oidc/token"));
    // RFC 6749 §10.10: refresh tokens long and random enough.
    if (typeof body.refresh_token === "string") findings.require(body.refresh_token.length >= 22, "EnsureMinimumRefreshTokenLength (RFC6749-10.10)");
    if (refreshed.id_token !== undefined) {
      const second = idTokenClaims(refreshed.id_token);
      for (const claim of ["iss", "sub"]) findings.require(second[claim] === flow.claims[claim], `CompareIdTokenClaims: ${claim} (OIDCC-12.2)`);
      findings.require(JSON.stringify(second.aud) === JSON.stringify(flow.claims.aud), "CompareIdTokenClaims: aud (OIDCC-12.2)");
      findings.require(second.iat !== flow.claims.iat, "CompareIdTokenClaims: a new iat (OIDCC-12.2)");
      if (second.auth_time !== undefined) findings.require(second.auth_time === flow.claims.auth_time, "CompareIdTokenClaims: auth_time (OIDCC-12.2)");
      findings.require(second.azp === flow.claims.azp, "CompareIdTokenClaims: azp (OIDCC-12.2)");
    }
    const info = await recordedFetch(rp.metadata.userinfo_endpoint!, { headers: { authorization: `Bearer ${refreshed.access_token}` } });
    findings.require(info.status === 200, "requestProtectedResource with the refreshed access token", info.status);

    // Client 2 (AbstractOIDCCMultipleClient), then its refresh token presented by client 1.
    const secondRp = await recordingRp(stack, testClients.other);
    const browser = stack.client();
    const request = suiteRequest(secondRp, { scope, prompt: "consent" });
    const secondFlow = await suiteCodeFlow(stack, findings, secondRp, browser, user, request);
    const otherRefreshToken = secondFlow.tokens.refresh_token;
    findings.require(typeof otherRefreshToken === "string", "client 2 got a refresh token");
    const crossed = await recordedFetch(rp.metadata.token_endpoint!, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: basicAuth(testClients.confidential.clientId, testClients.confidential.clientSecret),
      },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: otherRefreshToken!, scope }).toString(),
    });
    checkTokenError(findings, crossed);
    findings.expectClean();
  });

  it("oidcc-ensure-request-with-valid-pkce-succeeds: a valid S256 PKCE request succeeds (RFC 7636)", async () => {
    const findings = new Findings();
    const user = await newUser(stack);
    const verifier = oidc.randomPKCECodeVerifier();
    const request = suiteRequest(rp, { code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: "S256" });
    await suiteCodeFlow(stack, findings, rp, stack.client(), user, { ...request, verifier });
    findings.expectClean();
  });
});
