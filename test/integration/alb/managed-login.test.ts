import { createHash, randomBytes } from "node:crypto";
import { decodeJwt } from "jose";
import type { AppClientConfig } from "../../../common/local-config";
import { AUTHORIZATION_CODE_TTL_MS } from "../../../emulator/hosted/oauth2-codes";
import { type TestEmulator, config, signUp, signUpConfirmed, startTestEmulator, testClock, uniqueEmail } from "../emulator/support";
import { CookieJar, PASSWORD, parseSignInForm } from "./alb-stack";

/**
 * The emulator's managed login, as an ALB's authenticate-cognito action uses it:
 * /oauth2/authorize → /login (sign-in page) → the callback with code and state → /oauth2/token.
 */

const albClient = config.userPool.clients.find((client) => client.name === "tobira-alb") as AppClientConfig & { clientSecret: string };
const CALLBACK = albClient.callbackUrls[0]!;
const clock = testClock();
let t: TestEmulator;

beforeAll(async () => {
  t = await startTestEmulator({ now: clock.now });
});
afterAll(async () => {
  await t.stop();
});

function authorizeQuery(overrides: Record<string, string | undefined> = {}): string {
  const params: Record<string, string | undefined> = {
    response_type: "code",
    client_id: albClient.clientId,
    redirect_uri: CALLBACK,
    scope: "openid",
    state: "state-123",
    ...overrides,
  };
  return new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined)).toString();
}

/** Opens the sign-in page for an authorization request; returns the jar (with the CSRF cookie) and the form. */
async function openSignInPage(overrides: Record<string, string | undefined> = {}) {
  const jar = new CookieJar();
  const authorize = await jar.fetch(`${t.emulator.url}/oauth2/authorize?${authorizeQuery(overrides)}`);
  expect(authorize.status).toBe(302);
  const page = await jar.fetch(new URL(authorize.headers.get("location")!, t.emulator.url).toString());
  expect(page.status).toBe(200);
  return { jar, html: await page.text(), page };
}

async function submit(jar: CookieJar, form: { action: string; csrf: string }, fields: Record<string, string>) {
  return jar.fetch(new URL(form.action, t.emulator.url).toString(), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ _csrf: form.csrf, ...fields }).toString(),
  });
}

/** Signs in on the page; returns the callback URL the browser is sent to. */
async function signInForCode(email: string, overrides: Record<string, string | undefined> = {}): Promise<URL> {
  const { jar, html } = await openSignInPage(overrides);
  const response = await submit(jar, parseSignInForm(html), { username: email, password: PASSWORD });
  expect(response.status).toBe(302);
  return new URL(response.headers.get("location")!);
}

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;
}

/** `authorization: null` sends no Authorization header (client_secret_post). */
function token(body: Record<string, string>, authorization: string | null = basic(albClient.clientId, albClient.clientSecret)) {
  return fetch(`${t.emulator.url}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...(authorization === null ? {} : { authorization }) },
    body: new URLSearchParams(body).toString(),
  });
}

const codeGrant = (code: string, redirectUri = CALLBACK) => ({ grant_type: "authorization_code", code, redirect_uri: redirectUri });

describe("discovery", () => {
  it("names the managed-login endpoints in the pool's openid-configuration", async () => {
    const response = await fetch(`${t.emulator.url}/${config.userPool.id}/.well-known/openid-configuration`);
    expect(await response.json()).toMatchObject({
      authorization_endpoint: `${t.emulator.url}/oauth2/authorize`,
      token_endpoint: `${t.emulator.url}/oauth2/token`,
      response_types_supported: ["code"],
    });
  });
});

describe("GET /oauth2/authorize", () => {
  it("continues to the sign-in page with the validated request", async () => {
    const response = await fetch(`${t.emulator.url}/oauth2/authorize?${authorizeQuery()}`, { redirect: "manual" });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get("location")!, t.emulator.url);
    expect(location.pathname).toBe("/login");
    expect(Object.fromEntries(location.searchParams)).toEqual({
      client_id: albClient.clientId,
      redirect_uri: CALLBACK,
      response_type: "code",
      scope: "openid",
      state: "state-123",
    });
  });

  it("shows an error page, never a redirect, for a redirect_uri that is not registered exactly", async () => {
    for (const redirectUri of ["https://evil.example/cb", `${CALLBACK}/extra`, `${CALLBACK}?x=1`]) {
      const response = await fetch(`${t.emulator.url}/oauth2/authorize?${authorizeQuery({ redirect_uri: redirectUri })}`, { redirect: "manual" });
      expect(response.status).toBe(400);
      expect(response.headers.get("location")).toBeNull();
      expect(await response.text()).toContain("redirect_mismatch");
    }
  });

  it("shows an error page for an unknown client", async () => {
    const response = await fetch(`${t.emulator.url}/oauth2/authorize?${authorizeQuery({ client_id: "nosuchclient" })}`, { redirect: "manual" });
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
  });

  it("sends an unsupported response_type back to the client as an error, with the state", async () => {
    const response = await fetch(`${t.emulator.url}/oauth2/authorize?${authorizeQuery({ response_type: "id_token" })}`, { redirect: "manual" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`${CALLBACK}?error=unsupported_response_type&state=state-123`);
  });

  it("refuses a scope the client may not ask for as invalid_scope", async () => {
    const response = await fetch(`${t.emulator.url}/oauth2/authorize?${authorizeQuery({ scope: "openid aws.cognito.signin.user.admin" })}`, {
      redirect: "manual",
    });
    expect(response.headers.get("location")).toBe(`${CALLBACK}?error=invalid_scope&state=state-123`);
  });
});

describe("the sign-in page", () => {
  it("is an accessible form with labelled fields and a CSRF token, tied to a cookie", async () => {
    const { html, page } = await openSignInPage();
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(page.headers.get("content-security-policy")).toContain("form-action 'self' http://localhost:8080");
    expect(page.headers.getSetCookie().join("\n")).toMatch(/^XSRF-TOKEN=[\w-]+; Path=\/; HttpOnly; SameSite=Lax$/m);
    expect(html).toContain('<label for="username">Email</label>');
    expect(html).toContain('<label for="password">Password</label>');
    expect(html).toMatch(/<input type="hidden" name="_csrf" value="[\w-]{43}">/);
    expect(html).toContain('<html lang="en">');
  });

  it("escapes what the request and the form carry: markup in the state or the username cannot inject HTML", async () => {
    const { jar, html } = await openSignInPage({ state: `"><script>alert(1)</script>` });
    expect(html).not.toContain("<script>");
    const response = await submit(jar, parseSignInForm(html), { username: `"><script>alert(2)</script>`, password: "x" });
    const page = await response.text();
    expect(page).not.toContain("<script>");
    expect(page).toContain('value="&#34;&#62;&#60;script&#62;alert(2)&#60;&#47;script&#62;"');
  });

  it("redirects to the callback with a code and the state after a correct password", async () => {
    const email = uniqueEmail("managed");
    await signUpConfirmed(t, email);
    const callback = await signInForCode(email);
    expect(`${callback.origin}${callback.pathname}`).toBe(CALLBACK);
    expect(callback.searchParams.get("state")).toBe("state-123");
    expect(callback.searchParams.get("code")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers a wrong password with the generic message and no code", async () => {
    const email = uniqueEmail("managed");
    await signUpConfirmed(t, email);
    const { jar, html } = await openSignInPage();
    const response = await submit(jar, parseSignInForm(html), { username: email, password: "Wrong-Horse-9" });
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
    const page = await response.text();
    expect(page).toContain('role="alert">Incorrect username or password.</p>');
    expect(page).toContain(`value="${email}"`);
  });

  it("answers an unknown user with the same generic message", async () => {
    const { jar, html } = await openSignInPage();
    const response = await submit(jar, parseSignInForm(html), { username: uniqueEmail("nobody"), password: PASSWORD });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Incorrect username or password.");
  });

  it("tells an unconfirmed user so, but only after the right password", async () => {
    const email = uniqueEmail("unconfirmed");
    await signUp(t, email);
    const { jar, html } = await openSignInPage();
    const response = await submit(jar, parseSignInForm(html), { username: email, password: PASSWORD });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("User is not confirmed.");
  });

  it("shares the user pool's lockout: after five wrong passwords even the right one is refused for a while", async () => {
    const email = uniqueEmail("locked");
    await signUpConfirmed(t, email);
    for (let attempt = 0; attempt < 5; attempt++) {
      const { jar, html } = await openSignInPage();
      await submit(jar, parseSignInForm(html), { username: email, password: "Wrong-Horse-9" });
    }
    const { jar, html } = await openSignInPage();
    const response = await submit(jar, parseSignInForm(html), { username: email, password: PASSWORD });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Password attempts exceeded");
  });

  it("refuses a post without the CSRF cookie (a cross-site form) and issues no code", async () => {
    const email = uniqueEmail("managed");
    await signUpConfirmed(t, email);
    const { html } = await openSignInPage();
    const response = await submit(new CookieJar(), parseSignInForm(html), { username: email, password: PASSWORD });
    expect(response.status).toBe(403);
    expect(response.headers.get("location")).toBeNull();
  });
});

describe("POST /oauth2/token", () => {
  it("exchanges a code for ID, access and refresh tokens with the openid scope", async () => {
    const email = uniqueEmail("managed");
    const sub = await signUpConfirmed(t, email);
    const code = (await signInForCode(email)).searchParams.get("code")!;
    const response = await token(codeGrant(code));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["access_token", "expires_in", "id_token", "refresh_token", "token_type"]);
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    expect(decodeJwt(body.access_token as string)).toMatchObject({ sub, client_id: albClient.clientId, token_use: "access", scope: "openid" });
    expect(decodeJwt(body.id_token as string)).toMatchObject({ sub, aud: albClient.clientId, token_use: "id", email });
    const userInfo = await fetch(`${t.emulator.url}/oauth2/userInfo`, { headers: { authorization: `Bearer ${body.access_token as string}` } });
    expect(userInfo.status).toBe(200);
  });

  it("accepts the client secret in the body (client_secret_post) as well", async () => {
    const email = uniqueEmail("managed");
    await signUpConfirmed(t, email);
    const code = (await signInForCode(email)).searchParams.get("code")!;
    const response = await token({ ...codeGrant(code), client_id: albClient.clientId, client_secret: albClient.clientSecret }, null);
    expect(response.status).toBe(200);
  });

  it("refuses a code used a second time as invalid_grant", async () => {
    const email = uniqueEmail("managed");
    await signUpConfirmed(t, email);
    const code = (await signInForCode(email)).searchParams.get("code")!;
    expect((await token(codeGrant(code))).status).toBe(200);
    const replay = await token(codeGrant(code));
    expect(replay.status).toBe(400);
    expect(await replay.json()).toEqual({ error: "invalid_grant" });
  });

  it("refuses a code redeemed with another redirect_uri as invalid_grant", async () => {
    const email = uniqueEmail("managed");
    await signUpConfirmed(t, email);
    const code = (await signInForCode(email)).searchParams.get("code")!;
    const response = await token(codeGrant(code, "http://localhost:8080/other"));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "invalid_grant" });
  });

  it("refuses a code older than five minutes as invalid_grant", async () => {
    const email = uniqueEmail("managed");
    await signUpConfirmed(t, email);
    const code = (await signInForCode(email)).searchParams.get("code")!;
    clock.advance(AUTHORIZATION_CODE_TTL_MS + 1000);
    const response = await token(codeGrant(code));
    expect(await response.json()).toEqual({ error: "invalid_grant" });
  });

  it("refuses a wrong client secret as invalid_client", async () => {
    const email = uniqueEmail("managed");
    await signUpConfirmed(t, email);
    const code = (await signInForCode(email)).searchParams.get("code")!;
    const response = await token(codeGrant(code), basic(albClient.clientId, "not-the-secret"));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "invalid_client" });
  });

  it("refuses a code issued to another client as invalid_grant", async () => {
    const email = uniqueEmail("managed");
    await signUpConfirmed(t, email);
    const code = (await signInForCode(email)).searchParams.get("code")!;
    const other = config.userPool.clients[0]!;
    const response = await token(codeGrant(code), basic(other.clientId, other.clientSecret!));
    expect(await response.json()).toEqual({ error: "invalid_grant" });
  });

  it("checks the PKCE verifier when the authorization request carried a challenge", async () => {
    const email = uniqueEmail("managed");
    await signUpConfirmed(t, email);
    const verifier = randomBytes(32).toString("base64url");
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const pkce = { code_challenge: challenge, code_challenge_method: "S256" };
    const wrong = (await signInForCode(email, pkce)).searchParams.get("code")!;
    expect(await (await token({ ...codeGrant(wrong), code_verifier: randomBytes(32).toString("base64url") })).json()).toEqual({ error: "invalid_grant" });
    const right = (await signInForCode(email, pkce)).searchParams.get("code")!;
    expect((await token({ ...codeGrant(right), code_verifier: verifier })).status).toBe(200);
  });

  it("answers an unknown grant type with unsupported_grant_type", async () => {
    const response = await token({ grant_type: "password", username: "x", password: "y" });
    expect(await response.json()).toEqual({ error: "unsupported_grant_type" });
  });

  it("issues new ID and access tokens for the refresh token, without a new refresh token", async () => {
    const email = uniqueEmail("managed");
    await signUpConfirmed(t, email);
    const code = (await signInForCode(email)).searchParams.get("code")!;
    const first = (await (await token(codeGrant(code))).json()) as { refresh_token: string };
    const refreshed = await token({ grant_type: "refresh_token", refresh_token: first.refresh_token });
    expect(refreshed.status).toBe(200);
    const body = (await refreshed.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["access_token", "expires_in", "id_token", "token_type"]);
  });
});
