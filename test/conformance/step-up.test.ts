import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedInClient } from "../integration/bff/flows";
import { signInOptions, userWithPasskey } from "../integration/passkeys/passkey-flows";
import type { HttpClient } from "../support/http-client";
import type { SoftwareAuthenticator } from "../support/software-authenticator";
import type { TestStack } from "../support/stack";
import { authorizationRequest, discover, follow, queryOf, rawAuthorizationUrl, startOidcStack, type AuthorizationRequest } from "./support";

/**
 * Step-up to a passkey: an app that sends `acr_values=urn:tobira:acr:passkey` (OpenID Connect
 * Core §3.1.2.1) gets a passkey sign-in, even inside a single sign-on whose sign-in used none; the
 * ID token's acr and amr say what happened; a user without a passkey gets a page that says so,
 * never a silent downgrade.
 */

const passkeyAcr = "urn:tobira:acr:passkey";
let stack: TestStack;
let config: oidc.Configuration;

beforeAll(async () => {
  stack = await startOidcStack();
  config = await discover(stack);
});

afterAll(async () => {
  await stack?.close();
});

async function redeem(request: AuthorizationRequest, callback: string) {
  return oidc.authorizationCodeGrant(config, new URL(callback), {
    pkceCodeVerifier: request.verifier,
    expectedState: request.state,
    expectedNonce: request.nonce,
    idTokenExpected: true,
  });
}

/** A code flow in a browser that is already signed in to Tobira (single sign-on). */
async function ssoCodeFlow(browser: HttpClient, params: Record<string, string> = {}) {
  const request = await authorizationRequest(config, params);
  const hop = await follow(browser, request.url);
  return { request, hop };
}

/** Passkey-first sign-in in this browser (the sign-in page's "Sign in with a passkey"); returns redirectTo. */
async function signInWithPasskey(browser: HttpClient, authenticator: SoftwareAuthenticator): Promise<string> {
  const done = await browser.post<{ redirectTo: string }>("/api/signin/passkey", { credential: authenticator.authenticate(await signInOptions(browser)) });
  expect(done.status, done.text).toBe(200);
  return done.body.redirectTo;
}

describe("discovery", () => {
  it("names the passkey level in acr_values_supported", async () => {
    const metadata = (await (await fetch(`${stack.bffUrl}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(metadata.acr_values_supported).toEqual(expect.arrayContaining([passkeyAcr, "urn:tobira:acr:mfa", "urn:tobira:acr:sfa"]));
  });
});

describe("acr_values=urn:tobira:acr:passkey", () => {
  it("inside a single sign-on made with password and code: the sign-in page again, then a passkey; acr and amr say passkey", async () => {
    const { client: browser, authenticator } = await userWithPasskey(stack);
    const first = await ssoCodeFlow(browser);
    expect((await redeem(first.request, first.hop.location!)).claims()!.acr).toBe("urn:tobira:acr:mfa");

    const stepUp = await ssoCodeFlow(browser, { acr_values: passkeyAcr });
    expect(new URL(stepUp.hop.location!).pathname).toBe("/signin");
    const finish = await follow(browser, await signInWithPasskey(browser, authenticator));
    const claims = (await redeem(stepUp.request, finish.location!)).claims()!;
    expect(claims.acr).toBe(passkeyAcr);
    expect(claims.amr).toEqual(expect.arrayContaining(["swk"]));
  });

  it("a password and code instead of the passkey do not satisfy it: back to the sign-in page", async () => {
    const { client: browser, email } = await userWithPasskey(stack);
    await ssoCodeFlow(browser);
    const stepUp = await ssoCodeFlow(browser, { acr_values: passkeyAcr });
    expect(new URL(stepUp.hop.location!).pathname).toBe("/signin");
    // The person signs in with a code again (a user with a passkey is offered the choice).
    const password = await browser.post("/api/signin", { email, password: "Correct-Horse-9" });
    expect(password.status, password.text).toBe(200);
    await browser.post("/api/signin/otp/send", {});
    const done = await browser.post<{ redirectTo: string }>("/api/signin/otp", { code: await stack.latestCode(email) });
    const hop = await follow(browser, done.body.redirectTo);
    expect(new URL(hop.location!).pathname).toBe("/signin");
  });

  it("within a single sign-on made with a passkey: no sign-in needed", async () => {
    const { authenticator } = await userWithPasskey(stack);
    const browser = stack.client();
    await signInWithPasskey(browser, authenticator);
    const { request, hop } = await ssoCodeFlow(browser, { acr_values: passkeyAcr });
    expect(hop.status).toBe(303);
    expect((await redeem(request, hop.location!)).claims()!.acr).toBe(passkeyAcr);
  });

  it("a user without a passkey gets a page that says so, and going back gives the app access_denied", async () => {
    const { client: browser } = await signedInClient(stack);
    const request = await authorizationRequest(config, { acr_values: passkeyAcr });
    const hop = await follow(browser, request.url);
    expect(hop.status).toBe(200);
    expect(hop.response.headers.get("content-type")).toMatch(/text\/html/);
    expect(hop.response.text).toContain("This app needs a passkey");
    const back = /href="(\/interaction\/[^"]+\/no-passkey)"/.exec(hop.response.text)?.[1];
    expect(back).toBeDefined();
    const answer = await follow(browser, back!);
    expect(queryOf(answer.location)).toMatchObject({ error: "access_denied", state: request.state, iss: stack.bffUrl });
  });

  it("with prompt=none and a session without a passkey → login_required, no downgrade", async () => {
    const { client: browser } = await userWithPasskey(stack);
    await ssoCodeFlow(browser);
    const hop = await follow(browser, await rawAuthorizationUrl(stack, { prompt: "none", acr_values: passkeyAcr }));
    expect(queryOf(hop.location)).toMatchObject({ error: "login_required" });
  });

  it("reaches the sign-in page in GET /api/interaction, so it can offer the passkey", async () => {
    const browser = stack.client();
    await follow(browser, await rawAuthorizationUrl(stack, { acr_values: passkeyAcr }));
    expect((await browser.get("/api/interaction")).body).toMatchObject({ prompt: "login", acrValues: [passkeyAcr] });
  });
});
