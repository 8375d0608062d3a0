import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUpConfirmed, strongPassword, uniqueEmail } from "../integration/bff/flows";
import type { TestStack } from "../support/stack";
import { authorizationRequest, codeFlow, discover, follow, newUser, queryOf, rawAuthorizationUrl, signIn, startOidcStack } from "./support";

/**
 * What an app may say about the person (OpenID Connect Core §3.1.2.1): `login_hint` and
 * `ui_locales` reach the SPA through GET /api/interaction; and `prompt=create` (OpenID Connect
 * Initiating User Registration 1.0) opens the sign-up page and returns to the app once the new
 * account has signed in.
 */

let stack: TestStack;

beforeAll(async () => {
  stack = await startOidcStack();
});

afterAll(async () => {
  await stack?.close();
});

describe("login_hint and ui_locales", () => {
  it("reach the sign-in page: the hinted email and the app's languages, most preferred first", async () => {
    const browser = stack.client();
    const start = await follow(browser, await rawAuthorizationUrl(stack, { login_hint: "ada@example.com", ui_locales: "ja en-GB" }));
    expect(new URL(start.location!).pathname).toBe("/signin");
    const interaction = await browser.get("/api/interaction");
    expect(interaction.body).toMatchObject({ prompt: "login", loginHint: "ada@example.com", uiLocales: ["ja", "en-GB"] });
  });

  it("leave out a login_hint that is not an email address, and tags that are not language tags", async () => {
    const browser = stack.client();
    await follow(browser, await rawAuthorizationUrl(stack, { login_hint: "<script>alert(1)</script>", ui_locales: "!! ja" }));
    const interaction = (await browser.get<Record<string, unknown>>("/api/interaction")).body;
    expect(interaction.loginHint).toBeUndefined();
    expect(interaction.uiLocales).toEqual(["ja"]);
  });

  it("are absent when the app sent none", async () => {
    const browser = stack.client();
    await follow(browser, await rawAuthorizationUrl(stack));
    const interaction = (await browser.get<Record<string, unknown>>("/api/interaction")).body;
    expect(interaction).not.toHaveProperty("loginHint");
    expect(interaction).not.toHaveProperty("uiLocales");
  });
});

describe("prompt=create", () => {
  it("is announced in discovery's prompt_values_supported", async () => {
    const metadata = (await (await fetch(`${stack.bffUrl}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(metadata.prompt_values_supported).toEqual(expect.arrayContaining(["none", "login", "consent", "create"]));
  });

  it("opens the sign-up page, and once the new account signs in the app gets its code", async () => {
    const browser = stack.client();
    const config = await discover(stack);
    const request = await authorizationRequest(config, { prompt: "create" });
    const start = await follow(browser, request.url);
    expect(new URL(start.location!).pathname).toBe("/signup");
    expect((await browser.get("/api/interaction")).body).toMatchObject({ prompt: "create" });

    // The SPA's sign-up and confirmation, then the sign-in, in the same browser.
    const email = uniqueEmail("created");
    expect((await browser.post("/api/signup", { email, password: strongPassword })).status).toBe(201);
    expect((await browser.post("/api/signup/confirm", { email, code: await stack.latestCode(email) })).status).toBe(200);
    const finish = await follow(browser, await signIn(stack, browser, { email, password: strongPassword }));
    const tokens = await oidc.authorizationCodeGrant(config, new URL(finish.location!), {
      pkceCodeVerifier: request.verifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
      idTokenExpected: true,
    });
    expect(tokens.claims()!.email).toBe(email);
  });

  it("opens the sign-up page even in a browser already signed in (single sign-on does not answer it)", async () => {
    const browser = stack.client();
    await codeFlow(stack, browser, await newUser(stack));
    const start = await follow(browser, await rawAuthorizationUrl(stack, { prompt: "create" }));
    expect(new URL(start.location!).pathname).toBe("/signup");
  });

  it("with none → invalid_request, as any prompt with none", async () => {
    const response = await fetch(await rawAuthorizationUrl(stack, { prompt: "create none" }), { redirect: "manual" });
    expect(queryOf(response.headers.get("location"))).toMatchObject({ error: "invalid_request" });
  });

  it("an existing user who signs in instead of signing up also returns to the app", async () => {
    const user = await signUpConfirmed(stack);
    const browser = stack.client();
    await follow(browser, await rawAuthorizationUrl(stack, { prompt: "create" }));
    const finish = await follow(browser, await signIn(stack, browser, user));
    expect(queryOf(finish.location).code).toBeTruthy();
  });
});
