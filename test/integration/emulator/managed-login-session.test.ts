import { createHash } from "node:crypto";
import { GlobalSignOutCommand, InitiateAuthCommand } from "@aws-sdk/client-cognito-identity-provider";
import { decodeJwt } from "jose";
import type { AppClientConfig } from "../../../common/local-config";
import { MANAGED_LOGIN_SESSION_MS } from "../../../emulator/hosted/managed-login-session";
import { CookieJar, parseSignInForm } from "../alb/alb-stack";
import {
  PASSWORD,
  type TestEmulator,
  bff,
  config,
  passwordClient,
  passwordClientSecretHash,
  passwordSignIn,
  signUp,
  signUpConfirmed,
  startTestEmulator,
  testClock,
  uniqueEmail,
} from "./support";

/**
 * The managed login as strict as Cognito's (docs/cognito-behaviour.md, "Managed login"): its own
 * session cookie (an hour; ended by /logout, not by GlobalSignOut), /logout's redirect_uri form,
 * /oauth2/revoke, nonce and at_hash in its ID tokens, scopes without openid, and an unconfirmed
 * account named whatever the password.
 */

const albClient = config.userPool.clients.find((client) => client.name === "tobira-alb") as AppClientConfig & { clientSecret: string };
const CALLBACK = albClient.callbackUrls[0]!;
const LOGOUT_URI = albClient.logoutUrls[0]!;
const clock = testClock();
let t: TestEmulator;

beforeAll(async () => {
  t = await startTestEmulator({ now: clock.now });
});
afterAll(async () => {
  await t.stop();
});

function authorizeUrl(overrides: Record<string, string | undefined> = {}): string {
  const params = { response_type: "code", client_id: albClient.clientId, redirect_uri: CALLBACK, scope: "openid", state: "st-1", ...overrides };
  const query = new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined));
  return `${t.emulator.url}/oauth2/authorize?${query}`;
}

/** Follows /oauth2/authorize (and the sign-in page, if shown) as a browser would, posting `password` when asked. */
async function authorize(jar: CookieJar, email: string, overrides: Record<string, string | undefined> = {}) {
  const first = await jar.fetch(authorizeUrl(overrides));
  const location = new URL(first.headers.get("location")!, t.emulator.url);
  if (location.pathname !== "/login") return { askedForPassword: false, callback: location };
  const page = await jar.fetch(location.toString());
  const form = parseSignInForm(await page.text());
  const posted = await jar.fetch(new URL(form.action, t.emulator.url).toString(), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ _csrf: form.csrf, username: email, password: PASSWORD }).toString(),
  });
  expect(posted.status).toBe(302);
  return { askedForPassword: true, callback: new URL(posted.headers.get("location")!) };
}

function basic(client: { clientId: string; clientSecret: string }): string {
  return `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64")}`;
}

async function redeem(code: string) {
  const response = await fetch(`${t.emulator.url}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic(albClient) },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: CALLBACK }).toString(),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { id_token?: string; access_token: string; refresh_token: string };
}

describe("the managed-login session", () => {
  test("after a sign-in, /oauth2/authorize issues a new code at once, without the sign-in page", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const jar = new CookieJar();
    expect((await authorize(jar, email)).askedForPassword).toBe(true);
    expect(jar.names(t.emulator.url)).toContain("cognito");

    const again = await authorize(jar, email, { state: "st-2" });
    expect(again.askedForPassword).toBe(false);
    expect(`${again.callback.origin}${again.callback.pathname}`).toBe(CALLBACK);
    expect(again.callback.searchParams.get("state")).toBe("st-2");
    const tokens = await redeem(again.callback.searchParams.get("code")!);
    expect(decodeJwt(tokens.id_token!).email).toBe(email);
  });

  test("sets the session cookie HttpOnly, for an hour", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const jar = new CookieJar();
    const first = await jar.fetch(authorizeUrl());
    const page = await jar.fetch(new URL(first.headers.get("location")!, t.emulator.url).toString());
    const form = parseSignInForm(await page.text());
    const posted = await jar.fetch(new URL(form.action, t.emulator.url).toString(), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: form.csrf, username: email, password: PASSWORD }).toString(),
    });
    expect(posted.headers.getSetCookie()).toContainEqual(expect.stringMatching(/^cognito=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=3600$/));
  });

  test("keeps the original sign-in time in tokens issued silently", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const jar = new CookieJar();
    const first = await redeem((await authorize(jar, email)).callback.searchParams.get("code")!);
    clock.advance(10 * 60_000);
    const later = await redeem((await authorize(jar, email)).callback.searchParams.get("code")!);
    expect(decodeJwt(later.id_token!).auth_time).toBe(decodeJwt(first.id_token!).auth_time);
    expect(decodeJwt(later.id_token!).iat).toBeGreaterThan(decodeJwt(first.id_token!).iat!);
  });

  test("serves another app client of the pool silently too", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const jar = new CookieJar();
    await authorize(jar, email);
    const other = await authorize(jar, email, { client_id: bff.clientId, redirect_uri: bff.callbackUrls[0]! });
    expect(other.askedForPassword).toBe(false);
    expect(other.callback.searchParams.get("code")).toMatch(/^[\w-]{36}$/);
  });

  test("ends at /logout: the next authorization asks for the password", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const jar = new CookieJar();
    await authorize(jar, email);
    const logout = await jar.fetch(`${t.emulator.url}/logout?client_id=${albClient.clientId}&logout_uri=${encodeURIComponent(LOGOUT_URI)}`);
    expect(logout.status).toBe(302);
    expect(logout.headers.getSetCookie()).toContainEqual(expect.stringMatching(/^cognito=; .*Max-Age=0/));
    expect((await authorize(jar, email)).askedForPassword).toBe(true);
  });

  test("ends on the server too: the old cookie replayed after /logout signs nobody in", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const jar = new CookieJar();
    await authorize(jar, email);
    const cookie = jar.header(t.emulator.url);
    await jar.fetch(`${t.emulator.url}/logout?client_id=${albClient.clientId}&logout_uri=${encodeURIComponent(LOGOUT_URI)}`);
    const replayed = await fetch(authorizeUrl(), { headers: { cookie }, redirect: "manual" });
    expect(new URL(replayed.headers.get("location")!, t.emulator.url).pathname).toBe("/login");
  });

  test("survives a refused /logout (a logout_uri not registered exactly): the browser is still signed in", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const jar = new CookieJar();
    await authorize(jar, email);
    const refused = await jar.fetch(`${t.emulator.url}/logout?client_id=${albClient.clientId}&logout_uri=${encodeURIComponent(`${LOGOUT_URI}signed-out`)}`);
    expect(refused.status).toBe(400);
    expect((await authorize(jar, email)).askedForPassword).toBe(false);
  });

  test("is not ended by GlobalSignOut", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const jar = new CookieJar();
    await authorize(jar, email);
    const { AccessToken } = await passwordSignIn(t, email);
    await t.cognito.send(new GlobalSignOutCommand({ AccessToken }));
    expect((await authorize(jar, email)).askedForPassword).toBe(false);
  });

  test("expires after an hour", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const jar = new CookieJar();
    await authorize(jar, email);
    clock.advance(MANAGED_LOGIN_SESSION_MS + 1000);
    expect((await authorize(jar, email)).askedForPassword).toBe(true);
  });

  test("prompt=login asks for the password despite the session; prompt=none answers login_required without one", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const jar = new CookieJar();
    const none = await jar.fetch(authorizeUrl({ prompt: "none" }));
    expect(none.headers.get("location")).toBe(`${CALLBACK}?error=login_required&state=st-1`);
    await authorize(jar, email);
    expect((await authorize(jar, email, { prompt: "login" })).askedForPassword).toBe(true);
    expect((await authorize(jar, email, { prompt: "none" })).askedForPassword).toBe(false);
  });
});

describe("/logout with redirect_uri and response_type", () => {
  test("ends the session and shows the sign-in page of that authorization request", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const jar = new CookieJar();
    await authorize(jar, email);
    const logout = await jar.fetch(
      `${t.emulator.url}/logout?${new URLSearchParams({ client_id: albClient.clientId, redirect_uri: CALLBACK, response_type: "code", scope: "openid", state: "st-9" })}`,
    );
    expect(logout.status).toBe(302);
    const location = new URL(logout.headers.get("location")!, t.emulator.url);
    expect(location.pathname).toBe("/login");
    expect(Object.fromEntries(location.searchParams)).toMatchObject({ client_id: albClient.clientId, redirect_uri: CALLBACK, state: "st-9" });
    expect((await authorize(jar, email)).askedForPassword).toBe(true);
  });

  test("refuses a redirect_uri that is not a callback URL of the client, and never redirects there", async () => {
    const response = await fetch(
      `${t.emulator.url}/logout?${new URLSearchParams({ client_id: albClient.clientId, redirect_uri: "https://evil.example/cb", response_type: "code" })}`,
      { redirect: "manual" },
    );
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
  });
});

describe("ID tokens from the token endpoint", () => {
  test("carry the authorization request's nonce and at_hash of the access token", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const { callback } = await authorize(new CookieJar(), email, { nonce: "n-0S6_WzA2Mj" });
    const tokens = await redeem(callback.searchParams.get("code")!);
    const claims = decodeJwt(tokens.id_token!);
    expect(claims.nonce).toBe("n-0S6_WzA2Mj");
    const digest = createHash("sha256").update(tokens.access_token).digest();
    expect(claims.at_hash).toBe(digest.subarray(0, 16).toString("base64url"));
  });

  test("carry no nonce when the request had none", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const tokens = await redeem((await authorize(new CookieJar(), email)).callback.searchParams.get("code")!);
    expect(decodeJwt(tokens.id_token!)).not.toHaveProperty("nonce");
  });
});

describe("scopes without openid", () => {
  const adminScope = "aws.cognito.signin.user.admin";

  test("are granted where Cognito grants them: an access token and no ID token", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const jar = new CookieJar();
    const { callback } = await authorize(jar, email, { client_id: bff.clientId, redirect_uri: bff.callbackUrls[0]!, scope: adminScope });
    const response = await fetch(`${t.emulator.url}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic(bff) },
      body: new URLSearchParams({ grant_type: "authorization_code", code: callback.searchParams.get("code")!, redirect_uri: bff.callbackUrls[0]! }).toString(),
    });
    const tokens = (await response.json()) as Record<string, string>;
    expect(response.status).toBe(200);
    expect(tokens).not.toHaveProperty("id_token");
    expect(decodeJwt(tokens.access_token!).scope).toBe(adminScope);
  });

  test("refuse email, phone or profile without openid (invalid_scope)", async () => {
    const response = await fetch(authorizeUrl({ scope: "email" }), { redirect: "manual" });
    expect(response.headers.get("location")).toBe(`${CALLBACK}?error=invalid_scope&state=st-1`);
  });
});

describe("/oauth2/revoke", () => {
  async function hostedTokens() {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    return redeem((await authorize(new CookieJar(), email)).callback.searchParams.get("code")!);
  }
  const revoke = (body: Record<string, string>, authorization: string | undefined = basic(albClient)) =>
    fetch(`${t.emulator.url}/oauth2/revoke`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...(authorization === undefined ? {} : { authorization }) },
      body: new URLSearchParams(body).toString(),
    });

  test("revokes the refresh token: 200 with an empty body, and the token no longer refreshes", async () => {
    const { refresh_token: refreshToken } = await hostedTokens();
    const response = await revoke({ token: refreshToken });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
    const refreshed = await fetch(`${t.emulator.url}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic(albClient) },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken }).toString(),
    });
    expect(await refreshed.json()).toEqual({ error: "invalid_grant" });
  });

  test("refuses wrong client credentials with 401 invalid_client", async () => {
    const { refresh_token: refreshToken } = await hostedTokens();
    const response = await revoke({ token: refreshToken }, basic({ clientId: albClient.clientId, clientSecret: "wrong" }));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "invalid_client" });
  });

  test("refuses an access token (unsupported_token_type) and a missing token (invalid_request)", async () => {
    const { access_token: accessToken } = await hostedTokens();
    expect(await (await revoke({ token: accessToken })).json()).toEqual({ error: "unsupported_token_type" });
    expect(await (await revoke({})).json()).toEqual({ error: "invalid_request" });
  });

  test("answers an unknown token with success (RFC 7009 §2.2)", async () => {
    expect((await revoke({ token: "not-a-token-we-issued" })).status).toBe(200);
  });
});

describe("the sign-in page and an unconfirmed account", () => {
  test("says the account is not confirmed whatever the password, as the API does", async () => {
    const email = uniqueEmail();
    await signUp(t, email);
    for (const password of ["Wrong-Password-1", PASSWORD]) {
      const jar = new CookieJar();
      const first = await jar.fetch(authorizeUrl());
      const page = await jar.fetch(new URL(first.headers.get("location")!, t.emulator.url).toString());
      const form = parseSignInForm(await page.text());
      const posted = await jar.fetch(new URL(form.action, t.emulator.url).toString(), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ _csrf: form.csrf, username: email, password }).toString(),
      });
      expect(posted.status).toBe(400);
      expect(await posted.text()).toContain("User is not confirmed.");
    }
    // The API agrees.
    await expect(
      t.cognito.send(
        new InitiateAuthCommand({
          AuthFlow: "USER_PASSWORD_AUTH",
          ClientId: passwordClient.clientId,
          AuthParameters: { USERNAME: email, PASSWORD: "Wrong-Password-1", SECRET_HASH: passwordClientSecretHash(email) },
        }),
      ),
    ).rejects.toMatchObject({ name: "UserNotConfirmedException" });
  });
});
