import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { importJWK, SignJWT } from "jose";
import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CognitoGateway } from "../../bff/cognito/cognito-gateway";
import { jwksFileName, type PrivateJwks } from "../../bff/oidc/signing-keys";
import type { HttpClient, HttpResponse } from "../support/http-client";
import type { TestStack } from "../support/stack";
import {
  autoSubmittedForm,
  basicAuth,
  codeFlow,
  follow,
  newUser,
  signIn,
  postLogoutUri,
  queryOf,
  rawAuthorizationUrl,
  startOidcStack,
  testClients,
  tokenRequest,
  type TestUser,
} from "./support";

/** RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0). */

let stack: TestStack;
const revokedCognitoTokens: string[] = [];

beforeAll(async () => {
  stack = await startOidcStack({
    wrapCognito: (gateway: CognitoGateway) => ({
      ...gateway,
      async revokeToken(refreshToken) {
        revokedCognitoTokens.push(refreshToken);
        return gateway.revokeToken(refreshToken);
      },
    }),
  });
});

afterAll(async () => {
  await stack?.close();
});

interface SignedIn {
  browser: HttpClient;
  user: TestUser;
  tokens: Awaited<ReturnType<typeof codeFlow>>["tokens"];
  config: oidc.Configuration;
}

async function signedIn(): Promise<SignedIn> {
  const user = await newUser(stack);
  const browser = stack.client();
  const { tokens, config } = await codeFlow(stack, browser, user);
  return { browser, user, tokens, config };
}

function endSessionUrl(params: Record<string, string>): string {
  return `/oidc/session/end?${new URLSearchParams(params).toString()}`;
}

function xsrfOf(page: HttpResponse): string {
  const match = /name="xsrf" value="([^"]+)"/.exec(page.text);
  if (match === null) throw new Error(`no logout form in: ${page.text.slice(0, 300)}`);
  return match[1]!;
}

async function postForm(browser: HttpClient, target: string, form: Record<string, string>): Promise<HttpResponse> {
  return browser.request("POST", target, undefined, {
    rawBody: new URLSearchParams(form).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
  });
}

/** Shows the confirmation page for a logout request and confirms it. */
async function confirmLogout(browser: HttpClient, page: HttpResponse): Promise<HttpResponse> {
  expect(page.status, page.text).toBe(200);
  return postForm(browser, "/oidc/session/end/confirm", { xsrf: xsrfOf(page), logout: "yes" });
}

async function expectLogoutRefused(response: HttpResponse): Promise<void> {
  expect(response.status).toBe(400);
  expect(response.headers.get("location")).toBeNull();
  expect(response.text).not.toContain('name="xsrf"');
}

async function bffSession(browser: HttpClient): Promise<unknown> {
  return (await browser.get("/api/session")).body;
}

describe("the end-session endpoint", () => {
  it("accepts GET with id_token_hint, client_id, post_logout_redirect_uri and state", async () => {
    const { browser, tokens } = await signedIn();
    const page = await browser.get(
      endSessionUrl({ id_token_hint: tokens.id_token!, client_id: testClients.confidential.clientId, post_logout_redirect_uri: postLogoutUri, state: "s1" }),
    );
    const done = await confirmLogout(browser, page);
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe(`${postLogoutUri}?state=s1`);
  });

  it("accepts POST with the same parameters (answered with a 303 to the same request as a GET)", async () => {
    const { browser, tokens } = await signedIn();
    const posted = await postForm(browser, "/oidc/session/end", {
      id_token_hint: tokens.id_token!,
      client_id: testClients.confidential.clientId,
      post_logout_redirect_uri: postLogoutUri,
      state: "s2",
    });
    expect(posted.status).toBe(303);
    const done = await confirmLogout(browser, await browser.get(posted.headers.get("location")!));
    expect(done.headers.get("location")).toBe(`${postLogoutUri}?state=s2`);
  });

  it("openid-client's end-session URL works as built", async () => {
    const { browser, tokens, config } = await signedIn();
    const url = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: postLogoutUri });
    const done = await confirmLogout(browser, await browser.get(url.href));
    expect(done.headers.get("location")).toBe(postLogoutUri);
  });
});

describe("id_token_hint is verified", () => {
  it("a tampered hint → an error page, no redirect", async () => {
    const { browser, tokens } = await signedIn();
    const [header, payload, signature] = tokens.id_token!.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString()) as Record<string, unknown>;
    const tampered = [header, Buffer.from(JSON.stringify({ ...claims, sub: "someone-else" })).toString("base64url"), signature].join(".");
    await expectLogoutRefused(await browser.get(endSessionUrl({ id_token_hint: tampered, post_logout_redirect_uri: postLogoutUri })));
  });

  it("an alg:none hint → an error page, no redirect", async () => {
    const { browser, tokens } = await signedIn();
    const claims = tokens.claims()!;
    const unsigned = `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.`;
    await expectLogoutRefused(await browser.get(endSessionUrl({ id_token_hint: unsigned, post_logout_redirect_uri: postLogoutUri })));
  });

  it("an expired but genuine hint is accepted", async () => {
    const { browser, tokens } = await signedIn();
    const jwks = JSON.parse(readFileSync(path.join(stack.config.dataDir, jwksFileName), "utf8")) as PrivateJwks;
    const rsa = jwks.keys.find((key) => key.alg === "RS256")!;
    const claims = tokens.claims()!;
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({ sub: claims.sub })
      .setProtectedHeader({ alg: "RS256", kid: rsa.kid! })
      .setIssuer(stack.bffUrl)
      .setAudience(testClients.confidential.clientId)
      .setIssuedAt(now - 7200)
      .setExpirationTime(now - 3600)
      .sign(await importJWK(rsa, "RS256"));
    const done = await confirmLogout(browser, await browser.get(endSessionUrl({ id_token_hint: expired, post_logout_redirect_uri: postLogoutUri })));
    expect(done.headers.get("location")).toBe(postLogoutUri);
  });
});

describe("post_logout_redirect_uri", () => {
  it("an added query string → an error page, no redirect", async () => {
    const { browser, tokens } = await signedIn();
    await expectLogoutRefused(await browser.get(endSessionUrl({ id_token_hint: tokens.id_token!, post_logout_redirect_uri: `${postLogoutUri}?next=/evil` })));
  });

  it("an unregistered URI → an error page, no redirect", async () => {
    const { browser, tokens } = await signedIn();
    await expectLogoutRefused(await browser.get(endSessionUrl({ id_token_hint: tokens.id_token!, post_logout_redirect_uri: "https://evil.example/" })));
  });

  it("another client's registered URI → an error page, no redirect", async () => {
    const { browser, tokens } = await signedIn();
    await expectLogoutRefused(
      await browser.get(endSessionUrl({ id_token_hint: tokens.id_token!, post_logout_redirect_uri: testClients.other.postLogoutRedirectUris[0]! })),
    );
  });

  it("without a client to check it against, no redirect is made (Tobira's own page instead)", async () => {
    const { browser } = await signedIn();
    const done = await confirmLogout(browser, await browser.get(endSessionUrl({ post_logout_redirect_uri: postLogoutUri })));
    expect(new URL(done.headers.get("location")!, stack.bffUrl).origin).toBe(stack.bffUrl);
  });
});

describe("state", () => {
  it("is echoed byte for byte", async () => {
    const { browser, tokens } = await signedIn();
    const state = "a b+c/%=é~&x";
    const done = await confirmLogout(browser, await browser.get(endSessionUrl({ id_token_hint: tokens.id_token!, post_logout_redirect_uri: postLogoutUri, state })));
    expect(queryOf(done.headers.get("location")).state).toBe(state);
  });
});

describe("afterwards the session is gone", () => {
  it("prompt=none → login_required, the refresh token → invalid_grant, /userinfo with the old access token → 401", async () => {
    const { browser, tokens } = await signedIn();
    await confirmLogout(browser, await browser.get(endSessionUrl({ id_token_hint: tokens.id_token!, post_logout_redirect_uri: postLogoutUri })));

    const silent = await follow(browser, await rawAuthorizationUrl(stack, { prompt: "none" }));
    expect(queryOf(silent.location)).toMatchObject({ error: "login_required" });

    const refreshed = await tokenRequest(stack, new URLSearchParams({ grant_type: "refresh_token", refresh_token: tokens.refresh_token! }), {
      authorization: basicAuth(testClients.confidential.clientId, testClients.confidential.clientSecret),
    });
    expect(refreshed.status).toBe(400);
    expect(((await refreshed.json()) as { error: string }).error).toBe("invalid_grant");

    const info = await fetch(`${stack.bffUrl}/oidc/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(info.status).toBe(401);
  });

  it("the BFF session ends too and its Cognito refresh token is revoked", async () => {
    const { browser, tokens } = await signedIn();
    expect(await bffSession(browser)).toMatchObject({ authenticated: true });
    const revokedBefore = revokedCognitoTokens.length;
    await confirmLogout(browser, await browser.get(endSessionUrl({ id_token_hint: tokens.id_token!, post_logout_redirect_uri: postLogoutUri })));
    expect(await bffSession(browser)).toEqual({ authenticated: false });
    expect(revokedCognitoTokens.length).toBe(revokedBefore + 1);
  });

  it("answering “No, stay signed in” keeps the Tobira session", async () => {
    const { browser } = await signedIn();
    const page = await browser.get(endSessionUrl({ client_id: testClients.confidential.clientId, post_logout_redirect_uri: postLogoutUri }));
    expect(page.text).toContain("No, stay signed in");
    const kept = await postForm(browser, "/oidc/session/end/confirm", { xsrf: xsrfOf(page) });
    expect(kept.status).toBe(303);
    expect(await bffSession(browser)).toMatchObject({ authenticated: true });
  });
});

describe("no confirmation when the id_token_hint names the signed-in user (RP-Initiated Logout 1.0 §2)", () => {
  it("the page submits the logout by itself (its one script allowed by hash), and the sign-out happens", async () => {
    const { browser, tokens } = await signedIn();
    const page = await browser.get(endSessionUrl({ id_token_hint: tokens.id_token!, post_logout_redirect_uri: postLogoutUri, state: "s9" }));
    expect(page.status).toBe(200);
    expect(page.text).not.toContain("Yes, sign me out");
    const script = /<script>([^<]*)<\/script>/.exec(page.text)?.[1];
    expect(script).toBeDefined();
    const hash = createHash("sha256").update(script!).digest("base64");
    expect(page.headers.get("content-security-policy")).toMatch(new RegExp(`script-src [^;]*'sha256-${hash.replace(/[+/]/g, "\\$&")}'`));
    const form = autoSubmittedForm(page.text);
    expect(form?.fields).toMatchObject({ logout: "yes" });
    const done = await postForm(browser, new URL(form!.action, stack.bffUrl).pathname, form!.fields);
    expect(done.headers.get("location")).toBe(`${postLogoutUri}?state=s9`);
    expect(await bffSession(browser)).toEqual({ authenticated: false });
  });

  it("another user's genuine hint still asks", async () => {
    const other = await signedIn();
    const { browser } = await signedIn();
    const page = await browser.get(endSessionUrl({ id_token_hint: other.tokens.id_token!, post_logout_redirect_uri: postLogoutUri }));
    expect(page.text).toContain("Yes, sign me out");
    expect(autoSubmittedForm(page.text)).toBeUndefined();
  });
});

describe("the provider's pages", () => {
  it("wear the SPA's look: its markup, a main landmark and one h1, colour schemes, no inline style", async () => {
    const { browser } = await signedIn();
    const page = await browser.get("/oidc/session/end", { headers: { accept: "text/html" } });
    expect(page.text).toContain('<meta name="color-scheme" content="light dark">');
    expect(page.text).toContain('<main id="main" class="app-main"');
    expect(page.text.match(/<h1\b/g)).toHaveLength(1);
    expect(page.text).toContain('class="button button--primary button--block"');
    expect(page.text).not.toMatch(/<style|style="/);
    expect(page.headers.get("x-frame-options")).toBe("DENY");
  });
});

describe("the provider's pages in the user's language", () => {
  it("ui_locales=ja on the logout request: the confirmation in Japanese, with lang=ja", async () => {
    const { browser } = await signedIn();
    const page = await browser.get(endSessionUrl({ ui_locales: "ja" }), { headers: { accept: "text/html", "accept-language": "en" } });
    expect(page.text).toContain('<html lang="ja">');
    expect(page.text).toContain("Tobira からサインアウトしますか？");
    expect(page.text).toContain("はい、サインアウトします");
    expect(page.text).not.toContain("Yes, sign me out");
  });

  it("without ui_locales, a Japanese browser (Accept-Language) gets Japanese, and after confirming, the signed-out page in Japanese", async () => {
    const { browser } = await signedIn();
    const headers = { accept: "text/html", "accept-language": "ja-JP,ja;q=0.9,en;q=0.8" };
    const page = await browser.get("/oidc/session/end", { headers });
    expect(page.text).toContain("Tobira からサインアウトしますか？");
    const done = await browser.request("POST", "/oidc/session/end/confirm", undefined, {
      rawBody: new URLSearchParams({ xsrf: xsrfOf(page), logout: "yes" }).toString(),
      headers: { ...headers, "content-type": "application/x-www-form-urlencoded" },
    });
    const location = done.headers.get("location");
    const signedOut = location === null ? done : await browser.get(location, { headers });
    expect(signedOut.text).toContain('<html lang="ja">');
    expect(signedOut.text).toContain("サインアウトしました");
  });

  it("an English browser gets English", async () => {
    const { browser } = await signedIn();
    const page = await browser.get("/oidc/session/end", { headers: { accept: "text/html", "accept-language": "en-GB,en;q=0.9,ja;q=0.5" } });
    expect(page.text).toContain('<html lang="en">');
    expect(page.text).toContain("Sign out of Tobira?");
  });

  it("the error page follows the language too: ui_locales before the browser's", async () => {
    const { browser, tokens } = await signedIn();
    const refused = await browser.get(endSessionUrl({ id_token_hint: tokens.id_token!, post_logout_redirect_uri: "https://evil.example/" }), {
      headers: { accept: "text/html", "accept-language": "ja" },
    });
    await expectLogoutRefused(refused);
    expect(refused.text).toContain('<html lang="ja">');
    expect(refused.text).toContain("このリクエストは続行できません");
    const english = await browser.get(endSessionUrl({ id_token_hint: tokens.id_token!, post_logout_redirect_uri: "https://evil.example/", ui_locales: "en" }), {
      headers: { accept: "text/html", "accept-language": "ja" },
    });
    expect(english.text).toContain("This request cannot continue");
  });
});

describe("a logout must be confirmed (logout CSRF)", () => {
  it("a request without a hint shows a confirmation form and ends nothing by itself", async () => {
    const { browser, tokens, config } = await signedIn();
    const page = await browser.get("/oidc/session/end");
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="xsrf"');
    expect(page.text).toContain("Yes, sign me out");
    expect(await bffSession(browser)).toMatchObject({ authenticated: true });
    await expect(oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub)).resolves.toBeDefined();
  });

  it("a user signed in at Tobira alone is not signed out by a bare link to the end-session endpoint", async () => {
    // No provider session: oidc-provider answers with a form that submits itself (no confirmation).
    const browser = stack.client();
    await signIn(stack, browser, await newUser(stack));
    const page = await browser.get("/oidc/session/end");
    const form = autoSubmittedForm(page.text);
    expect(form).toBeDefined();
    await postForm(browser, new URL(form!.action, stack.bffUrl).pathname, form!.fields);
    expect(await bffSession(browser)).toMatchObject({ authenticated: true });
  });

  it("a confirmation without the form's xsrf value is refused and ends nothing", async () => {
    const { browser } = await signedIn();
    await browser.get("/oidc/session/end");
    const forged = await postForm(browser, "/oidc/session/end/confirm", { xsrf: "forged", logout: "yes" });
    expect(forged.status).toBe(400);
    expect(await bffSession(browser)).toMatchObject({ authenticated: true });
  });
});
