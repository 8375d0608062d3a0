import { randomBytes } from "node:crypto";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../../bff/logger";
import { startBff, type RunningBff } from "../../../bff/server";
import type { HttpClient, HttpResponse } from "../../support/http-client";
import type { TestStack } from "../../support/stack";
import { autoSubmittedForm, follow, newUser, postLogoutUri, startOidcStack, testClients } from "../support";
import { checkAuthorizationError, Findings, recordingRp, suiteCodeFlow, suiteRequest, type RecordingRp, type SuiteTokens } from "./suite-checks";

/**
 * The modules of the OpenID Foundation's oidcc-rp-initiated-logout-certification-test-plan
 * ("RP-Initiated OP"; variants server_metadata=discovery, client_secret_basic, response_mode=default):
 * a code flow, then the browser sent to the end_session_endpoint with the module's parameters
 * (by default id_token_hint, post_logout_redirect_uri and a random state, OpenID Connect
 * RP-Initiated Logout 1.0 §2). Where the module expects a redirect back it checks the state and
 * the parameters, then that prompt=none answers an error that needs the user (the session is
 * gone); where it expects none, the OP must show an error or ask the user, and never send the
 * browser to the post_logout_redirect_uri.
 */

let stack: TestStack;
let rp: RecordingRp;

beforeAll(async () => {
  stack = await startOidcStack();
  rp = await recordingRp(stack);
});

afterAll(async () => {
  await stack?.close();
});

/** CreateRandomEndSessionState: an RFC 6749 Appendix A VSCHAR string. */
function endSessionState(): string {
  return randomBytes(24).toString("base64url");
}

/** The first authorization of AbstractOIDCCRpInitiatedLogout, with a 128-character state. */
async function signedIn(findings: Findings): Promise<{ browser: HttpClient; flow: SuiteTokens }> {
  const user = await newUser(stack);
  const browser = stack.client();
  const request = suiteRequest(rp, { state: randomBytes(96).toString("base64url") });
  const flow = await suiteCodeFlow(stack, findings, rp, browser, user, request);
  return { browser, flow };
}

interface EndSessionOutcome {
  /** The end-session endpoint's own answer. */
  first: HttpResponse;
  /** After the page's self-submitting form, if it had one (the browser runs its script). */
  final: HttpResponse;
  /** Whether the page asked the user (a confirmation form that does not submit itself). */
  askedUser: boolean;
}

/** The browser at the end_session_endpoint with `params`; a page that submits itself is followed, a confirmation is not answered. */
async function endSession(browser: HttpClient, params: Record<string, string>): Promise<EndSessionOutcome> {
  const query = new URLSearchParams(params).toString();
  const first = await browser.get(`${new URL(rp.metadata.end_session_endpoint!).pathname}${query === "" ? "" : `?${query}`}`, { headers: { accept: "text/html" } });
  const form = first.status === 200 ? autoSubmittedForm(first.text) : undefined;
  if (form === undefined) return { first, final: first, askedUser: first.status === 200 && first.text.includes('name="xsrf"') };
  const final = await browser.request("POST", new URL(form.action, stack.bffUrl).pathname, undefined, {
    rawBody: new URLSearchParams(form.fields).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
  });
  return { first, final, askedUser: false };
}

/** The user answers a confirmation page "Yes, sign me out". */
async function confirm(browser: HttpClient, page: HttpResponse): Promise<HttpResponse> {
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(page.text)?.[1] ?? "";
  return browser.request("POST", "/oidc/session/end/confirm", undefined, {
    rawBody: new URLSearchParams({ xsrf, logout: "yes" }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
  });
}

function redirectsToRp(response: HttpResponse): boolean {
  const location = response.headers.get("location");
  return location !== null && new URL(location, stack.bffUrl).origin === new URL(postLogoutUri).origin;
}

/** The modules that expect no redirect: an error page or a question to the user, and never the post_logout_redirect_uri. */
function expectNoRedirectBack(findings: Findings, outcome: EndSessionOutcome, placeholder: string): void {
  findings.require(
    !redirectsToRp(outcome.first) && !redirectsToRp(outcome.final),
    "the OP must not call the post_logout_redirect_uri",
    outcome.final.headers.get("location"),
  );
  const errorPage = outcome.final.status === 400 && /text\/html/.test(outcome.final.headers.get("content-type") ?? "");
  findings.require(errorPage || outcome.askedUser, `${placeholder}: an error page or a confirmation`, outcome.final.status);
}

/** After a logout, prompt=none must answer an error that needs the user (CheckErrorFromAuthorizationEndpointIsOneThatRequiredAUserInterface). */
async function expectLoggedOut(findings: Findings, browser: HttpClient): Promise<void> {
  const request = suiteRequest(rp, { prompt: "none", state: randomBytes(96).toString("base64url") });
  const hop = await follow(browser, request.url);
  checkAuthorizationError(findings, rp, hop.location, request.state, ["interaction_required", "login_required", "account_selection_required", "consent_required"]);
}

/** The logged-out page of the modules that expect one (ExpectSuccessfulLogoutPage). */
function expectSignedOutPage(findings: Findings, response: HttpResponse): void {
  const location = response.headers.get("location");
  findings.require(!redirectsToRp(response), "the OP must not call the post_logout_redirect_uri", location);
  findings.require(
    response.status === 200 || (response.status === 303 && location !== null && new URL(location, stack.bffUrl).origin === new URL(stack.bffUrl).origin),
    "ExpectSuccessfulLogoutPage",
    response.status,
  );
}

describe("oidcc-rp-initiated-logout-certification-test-plan (server_metadata=discovery)", () => {
  it("oidcc-rp-initiated-logout-discovery-endpoint-verification: end_session_endpoint present, every endpoint https", async () => {
    const publicUrl = "https://id.tobira.example";
    const deployed: RunningBff = await startBff({
      config: { ...stack.config, publicUrl, trustedOrigins: [publicUrl] },
      store: stack.store,
      logger: createLogger("silent"),
      port: 0,
      host: "127.0.0.1",
    });
    try {
      const metadata = (await (await fetch(`${deployed.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
      const findings = new Findings();
      const plain = Object.entries(metadata).filter(([name, value]) => name.endsWith("_endpoint") && !(typeof value === "string" && value.startsWith("https://")));
      findings.require(plain.length === 0, "CheckDiscEndpointAllEndpointsAreHttps", plain);
      findings.require(
        typeof metadata.end_session_endpoint === "string" && metadata.end_session_endpoint.startsWith("https://"),
        "CheckDiscEndSessionEndpoint (OIDCRIL-2.1)",
      );
      findings.expectClean();
    } finally {
      await deployed.close();
    }
  });
});

describe("oidcc-rp-initiated-logout-certification-test-plan (client_secret_basic, response_mode=default)", () => {
  it("oidcc-rp-initiated-logout: back to the post_logout_redirect_uri with the state and nothing else; prompt=none then needs the user", async () => {
    const findings = new Findings();
    const { browser, flow } = await signedIn(findings);
    const state = endSessionState();
    const outcome = await endSession(browser, { id_token_hint: flow.idToken, post_logout_redirect_uri: postLogoutUri, state });
    const location = outcome.final.headers.get("location");
    findings.require(outcome.final.status === 303 && location !== null && location.startsWith(postLogoutUri), "the OP calls the post_logout_redirect_uri", location);
    const back = new URL(location ?? postLogoutUri);
    findings.require(back.origin + back.pathname === postLogoutUri, "the registered post_logout_redirect_uri, exactly");
    findings.require(back.searchParams.get("state") === state, "CheckPostLogoutState (OIDCRIL-2)");
    const unexpected = [...back.searchParams.keys()].filter((name) => name !== "state");
    findings.recommend(unexpected.length === 0, "CheckForUnexpectedParametersInPostLogoutRedirect (OIDCRIL-2)", unexpected);
    await expectLoggedOut(findings, browser);
    findings.expectClean();
  });

  it("oidcc-rp-initiated-logout-bad-post-logout-redirect-uri: an unregistered post_logout_redirect_uri → no redirect back", async () => {
    const findings = new Findings();
    const { browser, flow } = await signedIn(findings);
    const outcome = await endSession(browser, {
      id_token_hint: flow.idToken,
      post_logout_redirect_uri: "https://rp.example.com/bad_post_logout_redirect_uri",
      state: endSessionState(),
    });
    expectNoRedirectBack(findings, outcome, "ExpectPostLogoutRedirectUriNotRegisteredErrorPage");
    findings.expectClean();
  });

  it("oidcc-rp-initiated-logout-modified-id-token-hint: the hint changed to alg none → no redirect back", async () => {
    const findings = new Findings();
    const { browser, flow } = await signedIn(findings);
    const [, payload] = flow.idToken.split(".");
    const unsigned = `${Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url")}.${payload}.`;
    const outcome = await endSession(browser, { id_token_hint: unsigned, post_logout_redirect_uri: postLogoutUri, state: endSessionState() });
    expectNoRedirectBack(findings, outcome, "ExpectInvalidIdTokenHintErrorPage");
    findings.expectClean();
  });

  it("oidcc-rp-initiated-logout-no-id-token-hint: post_logout_redirect_uri without a hint → the user is asked, and even confirming does not go back", async () => {
    const findings = new Findings();
    const { browser } = await signedIn(findings);
    const outcome = await endSession(browser, { post_logout_redirect_uri: postLogoutUri, state: endSessionState() });
    expectNoRedirectBack(findings, outcome, "ExpectIdTokenHintRequiredErrorPage");
    if (outcome.askedUser) {
      // Without a hint nothing proves which app sent the user: the OP's own page, not the app's URI.
      const confirmed = await confirm(browser, outcome.final);
      findings.require(!redirectsToRp(confirmed), "the OP must not call the post_logout_redirect_uri", confirmed.headers.get("location"));
    }
    findings.expectClean();
  });

  it("oidcc-rp-initiated-logout-no-params: no parameters → the user is logged out (after confirming) and sees the logged-out page", async () => {
    const findings = new Findings();
    const { browser } = await signedIn(findings);
    const outcome = await endSession(browser, {});
    findings.require(!redirectsToRp(outcome.final), "the OP must not call the post_logout_redirect_uri");
    const done = outcome.askedUser ? await confirm(browser, outcome.final) : outcome.final;
    expectSignedOutPage(findings, done);
    await expectLoggedOut(findings, browser);
    findings.expectClean();
  });

  it("oidcc-rp-initiated-logout-no-post-logout-redirect-uri: id_token_hint and state only → logged out, the logged-out page, no redirect", async () => {
    const findings = new Findings();
    const { browser, flow } = await signedIn(findings);
    const outcome = await endSession(browser, { id_token_hint: flow.idToken, state: endSessionState() });
    const done = outcome.askedUser ? await confirm(browser, outcome.final) : outcome.final;
    expectSignedOutPage(findings, done);
    await expectLoggedOut(findings, browser);
    findings.expectClean();
  });

  it("oidcc-rp-initiated-logout-no-state: back to the post_logout_redirect_uri with no state and no other parameter; prompt=none then needs the user", async () => {
    const findings = new Findings();
    const { browser, flow } = await signedIn(findings);
    const outcome = await endSession(browser, { id_token_hint: flow.idToken, post_logout_redirect_uri: postLogoutUri });
    const location = outcome.final.headers.get("location");
    findings.require(location !== null && location.startsWith(postLogoutUri), "the OP calls the post_logout_redirect_uri", location);
    const back = new URL(location ?? postLogoutUri);
    findings.require(!back.searchParams.has("state"), "CheckNoPostLogoutState (OIDCRIL-2)");
    findings.recommend([...back.searchParams.keys()].length === 0, "CheckForUnexpectedParametersInPostLogoutRedirect (OIDCRIL-3)", [...back.searchParams.keys()]);
    await expectLoggedOut(findings, browser);
    findings.expectClean();
  });

  it("oidcc-rp-initiated-logout-only-state: state alone → logged out (after confirming), the logged-out page, no redirect", async () => {
    const findings = new Findings();
    const { browser } = await signedIn(findings);
    const outcome = await endSession(browser, { state: endSessionState() });
    findings.require(!redirectsToRp(outcome.final), "the OP must not call the post_logout_redirect_uri");
    const done = outcome.askedUser ? await confirm(browser, outcome.final) : outcome.final;
    expectSignedOutPage(findings, done);
    await expectLoggedOut(findings, browser);
    findings.expectClean();
  });

  it("oidcc-rp-initiated-logout-query-added-to-post-logout-redirect-uri: ?foo=bar added → no redirect back", async () => {
    const findings = new Findings();
    const { browser, flow } = await signedIn(findings);
    const outcome = await endSession(browser, { id_token_hint: flow.idToken, post_logout_redirect_uri: `${postLogoutUri}?foo=bar`, state: endSessionState() });
    expectNoRedirectBack(findings, outcome, "ExpectPostLogoutRedirectUriNotRegisteredErrorPage");
    findings.expectClean();
  });

  it("oidcc-rp-initiated-logout-bad-id-token-hint: a hint the suite signed itself (iss = client, HS256 with the client secret) → no redirect back", async () => {
    const findings = new Findings();
    const { browser } = await signedIn(findings);
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({ iss: testClients.confidential.clientId, sub: "SubjectID", aud: rp.metadata.issuer, nonce: "flibble", iat: now, exp: now + 300 })
      .setProtectedHeader({ alg: "HS256" })
      .sign(new TextEncoder().encode(testClients.confidential.clientSecret));
    const outcome = await endSession(browser, { id_token_hint: forged, post_logout_redirect_uri: postLogoutUri, state: endSessionState() });
    expectNoRedirectBack(findings, outcome, "ExpectInvalidIdTokenHintErrorPage");
    findings.expectClean();
  });

  it("oidcc-rp-initiated-logout-query-added-to-post-logout-redirect-uri, afterwards: the refused logout left the session as it was", async () => {
    const findings = new Findings();
    const { browser } = await signedIn(findings);
    await endSession(browser, { post_logout_redirect_uri: `${postLogoutUri}?foo=bar`, state: endSessionState() });
    expect((await browser.get("/api/session")).body).toMatchObject({ authenticated: true });
    findings.expectClean();
  });
});
