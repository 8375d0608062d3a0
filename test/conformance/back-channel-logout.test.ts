import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OidcClientConfig } from "../../common/local-config";
import type { HttpClient, HttpResponse } from "../support/http-client";
import type { TestStack } from "../support/stack";
import { codeFlow, newUser, startLogoutReceiver, startOidcStack, type LogoutReceiver, type TestUser } from "./support";

/**
 * OpenID Connect Back-Channel Logout 1.0: every sign-out scope of Tobira sends a logout token to
 * the relying parties the ended sessions signed in to (§2.5), signed and shaped as §2.4 says, in
 * the background (the user's sign-out never waits), with a brief retry.
 */

let stack: TestStack;
let receiver: LogoutReceiver;

const event = "http://schemas.openid.net/event/backchannel-logout";

function appWithBackChannel(name: string, extra: Partial<OidcClientConfig> = {}): OidcClientConfig {
  return {
    clientId: `bcl-${name}`,
    clientSecret: `bcl-${name}-secret-000000000000000000000`,
    name: `Back-channel app ${name}`,
    redirectUris: [`https://${name}.example.com/callback`],
    postLogoutRedirectUris: [`https://${name}.example.com/`],
    firstParty: true,
    backchannelLogoutUri: "http://placeholder.invalid/",
    ...extra,
  };
}

const apps = {
  a: appWithBackChannel("a"),
  b: appWithBackChannel("b", { backchannelLogoutSessionRequired: true }),
  flaky: appWithBackChannel("flaky"),
  down: appWithBackChannel("down"),
  slow: appWithBackChannel("slow"),
};

beforeAll(async () => {
  receiver = await startLogoutReceiver();
  for (const [name, app] of Object.entries(apps)) app.backchannelLogoutUri = `${receiver.url}/${name}`;
  stack = await startOidcStack({ configure: (config) => ({ ...config, oidc: { ...config.oidc, clients: [...config.oidc.clients, ...Object.values(apps)] } }) });
});

afterAll(async () => {
  await stack?.close();
  await receiver?.close();
});

/** Verifies a logout token as a relying party must (§2.6) and returns its claims. */
async function verifiedLogoutToken(token: string, app: OidcClientConfig): Promise<JWTPayload> {
  const { payload, protectedHeader } = await jwtVerify(token, createRemoteJWKSet(new URL(`${stack.bffUrl}/oidc/jwks`)), {
    issuer: stack.bffUrl,
    audience: app.clientId,
    typ: "logout+jwt",
  });
  expect(protectedHeader.alg).toBe("RS256");
  return payload;
}

async function signedInAt(app: OidcClientConfig, user?: TestUser, browser?: HttpClient) {
  const who = user ?? (await newUser(stack));
  const client = browser ?? stack.client();
  // The user signs in when the browser has no Tobira session yet; otherwise single sign-on.
  const { tokens } = await codeFlow(stack, client, who, { client: app });
  return { user: who, browser: client, claims: tokens.claims()! };
}

function logout(browser: HttpClient): Promise<HttpResponse> {
  return browser.post("/api/logout", {}, { headers: { origin: stack.bffUrl, "sec-fetch-site": "same-origin" } });
}

async function resetPassword(user: TestUser): Promise<void> {
  await stack.client().post("/api/password/forgot", { email: user.email });
  const reset = await stack.client().post("/api/password/reset", { email: user.email, code: await stack.latestCode(user.email), password: "New-Passw0rd!" });
  expect(reset.status, reset.text).toBe(200);
}

describe("the logout token (§2.4)", () => {
  it("is signed with a published key, typed logout+jwt, and carries iss, aud, iat, exp, jti, the event, sub and sid, and no nonce", async () => {
    const { browser, claims } = await signedInAt(apps.a);
    expect((await logout(browser)).status).toBe(200);
    const [token] = await tokensFor("/a", apps.a, claims.sub, 1);
    expect(token!.payload).toMatchObject({ iss: stack.bffUrl, aud: apps.a.clientId, sub: claims.sub, sid: claims.sid, events: { [event]: {} } });
    expect(typeof token!.payload.iat).toBe("number");
    expect(typeof token!.payload.exp).toBe("number");
    expect(typeof token!.payload.jti).toBe("string");
    expect(token!.payload).not.toHaveProperty("nonce");
    expect(decodeProtectedHeader(token!.raw).typ).toBe("logout+jwt");
  });

  it("has a fresh jti every time", async () => {
    const first = await signedInAt(apps.a);
    const second = await signedInAt(apps.a, first.user, stack.client());
    await Promise.all([logout(first.browser), logout(second.browser)]);
    const tokens = await tokensFor("/a", apps.a, first.claims.sub, 2);
    expect(new Set(tokens.map((token) => token.payload.jti)).size).toBe(2);
  });
});

/** The tokens that arrived at `path` for this user (by sub), verified; waits up to 5 s for `count`. */
async function tokensFor(path: string, app: OidcClientConfig, sub: string, count: number): Promise<{ payload: JWTPayload; raw: string }[]> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const all = await Promise.all(
      receiver.received
        .filter((token) => token.path === path)
        .map(async (token) => ({ payload: await verifiedLogoutToken(token.logoutToken, app), raw: token.logoutToken })),
    );
    const mine = all.filter((token) => token.payload.sub === sub);
    if (mine.length >= count || Date.now() > deadline) return mine;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("every sign-out scope notifies the relying parties", () => {
  it("signing out of Tobira in this browser: each app of this browser's session, with its sid", async () => {
    const { user, browser, claims } = await signedInAt(apps.a);
    const atB = await signedInAt(apps.b, user, browser);
    await logout(browser);
    expect((await tokensFor("/a", apps.a, claims.sub, 1)).map((token) => token.payload.sid)).toEqual([claims.sid]);
    expect((await tokensFor("/b", apps.b, claims.sub, 1)).map((token) => token.payload.sid)).toEqual([atB.claims.sid]);
  });

  it("an RP-initiated logout confirmed by the user: the apps of the provider session", async () => {
    const { browser, claims } = await signedInAt(apps.a);
    const page = await browser.get(`/oidc/session/end?client_id=${apps.a.clientId}`, { headers: { accept: "text/html" } });
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page.text)?.[1];
    expect(xsrf, page.text).toBeTruthy();
    await browser.request("POST", "/oidc/session/end/confirm", undefined, {
      rawBody: new URLSearchParams({ xsrf: xsrf!, logout: "yes" }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
    });
    expect((await tokensFor("/a", apps.a, claims.sub, 1)).map((token) => token.payload.sid)).toEqual([claims.sid]);
  });

  it("a password reset: every session of the user, in every browser, each with its own sid", async () => {
    const first = await signedInAt(apps.a);
    const second = await signedInAt(apps.a, first.user, stack.client());
    await resetPassword(first.user);
    const tokens = await tokensFor("/a", apps.a, first.claims.sub, 2);
    expect(tokens.map((token) => token.payload.sid).sort()).toEqual([first.claims.sid, second.claims.sid].sort());
  });

  it("does not notify apps of other users", async () => {
    const mine = await signedInAt(apps.a);
    const someoneElse = await signedInAt(apps.a);
    await logout(mine.browser);
    await tokensFor("/a", apps.a, mine.claims.sub, 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await tokensFor("/a", apps.a, someoneElse.claims.sub, 0)).toEqual([]);
  });
});

describe("delivery (§2.5)", () => {
  it("is retried briefly when the app answers 503, and arrives", async () => {
    receiver.answer("/flaky", { status: 503 });
    const { browser, claims } = await signedInAt(apps.flaky);
    await logout(browser);
    expect(await tokensFor("/flaky", apps.flaky, claims.sub, 1)).toHaveLength(1);
    expect(receiver.attempts("/flaky")).toBeGreaterThanOrEqual(2);
  });

  it("gives up after a few attempts on an app that keeps failing, and the sign-out still succeeds", async () => {
    receiver.answer("/down", { status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }, { status: 500 });
    const { browser } = await signedInAt(apps.down);
    const response = await logout(browser);
    expect(response.status).toBe(200);
    expect((await browser.get("/api/session")).body).toEqual({ authenticated: false });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(receiver.attempts("/down")).toBe(3);
  });

  it("never makes the user's sign-out wait for a slow app", async () => {
    // The app answers well inside the delivery timeout (2 s), so one delivery succeeds; the
    // sign-out must answer before the app does — an ordering, not a speed target.
    const appDelayMs = 1_500;
    receiver.answer("/slow", { status: 200, delayMs: appDelayMs });
    const { browser, claims } = await signedInAt(apps.slow);
    const started = Date.now();
    expect((await logout(browser)).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(appDelayMs);
    expect(await tokensFor("/slow", apps.slow, claims.sub, 1)).toHaveLength(1);
  });
});

describe("discovery", () => {
  it("announces back-channel logout with session support", async () => {
    const metadata = (await (await fetch(`${stack.bffUrl}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({ backchannel_logout_supported: true, backchannel_logout_session_supported: true });
  });
});
