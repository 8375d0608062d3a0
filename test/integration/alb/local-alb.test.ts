import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createAlbRequestVerifierFromConfig } from "../../../bff/alb/alb-app";
import { startLocalAlbProxy } from "../../../emulator/local/local-alb-proxy";
import { CookieJar, signInThroughAlb, startAlbTestStack, uniqueEmail, type AlbTestStack } from "./alb-stack";

/**
 * The local ALB stand-in in front of the BFF in ALB mode: the redirect to the managed login, the
 * callback, the sharded session cookies, the headers it adds (and the ones it never lets through).
 */

let stack: AlbTestStack;
let email: string;
let sub: string;

beforeAll(async () => {
  // Small shards, so that the session really is split across several cookies.
  stack = await startAlbTestStack({ proxy: { shardSize: 600 } });
  email = uniqueEmail("proxy");
  sub = await stack.signUpConfirmed(email);
});
afterAll(async () => {
  await stack?.close();
});

const albUrl = () => stack.alb!.url;

describe("local ALB", () => {
  it("sends a browser without a session to the managed login's /oauth2/authorize", async () => {
    const response = await new CookieJar().fetch(`${albUrl()}/account`);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe(`${stack.emulator.url}/oauth2/authorize`);
    expect(Object.fromEntries(location.searchParams)).toEqual({
      response_type: "code",
      client_id: stack.albClient.clientId,
      redirect_uri: `${albUrl()}/oauth2/idpresponse`,
      scope: "openid",
      state: expect.stringMatching(/^[\w-]{40,}$/),
    });
  });

  it("signs in, keeps the session in sharded HttpOnly Secure cookies and forwards the verified user to the BFF", async () => {
    const jar = new CookieJar();
    const callback = await signInThroughAlb(stack, jar, email);
    expect(callback.status).toBe(302);
    expect(callback.headers.get("location")).toBe("/account");
    const shards = callback.headers.getSetCookie().filter((line) => line.startsWith("AWSELBAuthSessionCookie-"));
    expect(shards.length).toBeGreaterThan(1);
    shards.forEach((line, index) => {
      expect(line).toMatch(new RegExp(`^AWSELBAuthSessionCookie-${index}=[\\w-]{1,600}; Max-Age=\\d+; Path=/; HttpOnly; Secure; SameSite=Lax$`));
    });

    const session = await jar.fetch(`${albUrl()}/api/session`, { headers: { accept: "application/json" } });
    expect(session.status).toBe(200);
    expect(await session.json()).toMatchObject({ authenticated: true, user: { sub, email } });
    const claims = await jar.fetch(`${albUrl()}/api/account/claims`);
    expect(await claims.json()).toMatchObject({ idToken: { sub, email }, accessToken: { sub, scope: "openid" }, userInfo: { sub, email } });
  });

  it("answers for the signed-in user even when the client sends another user's valid x-amzn-oidc-* headers", async () => {
    const jar = new CookieJar();
    await signInThroughAlb(stack, jar, email);
    const other = uniqueEmail("proxy-other");
    await stack.signUpConfirmed(other);
    const response = await jar.fetch(`${albUrl()}/api/session`, { headers: await stack.albHeaders(other) });
    expect(await response.json()).toMatchObject({ authenticated: true, user: { sub, email } });
  });

  it("removes every x-amzn-oidc-* header the client sent before adding its own three", async () => {
    const echo = createServer((req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(req.headers)));
    await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
    const proxy = await startLocalAlbProxy({
      upstream: `http://127.0.0.1:${(echo.address() as AddressInfo).port}`,
      hostedUiUrl: stack.emulator.url,
      clientId: stack.albClient.clientId,
      clientSecret: stack.albClient.clientSecret,
      signer: stack.signer,
    });
    stack.albClient.callbackUrls.push(proxy.callbackUrl);
    try {
      const jar = new CookieJar();
      await signInThroughAlb(stack, jar, email, { albUrl: proxy.url });
      const forged = { "x-amzn-oidc-data": "forged", "x-amzn-oidc-identity": "forged", "X-Amzn-Oidc-Accesstoken": "forged", "x-amzn-oidc-extra": "forged" };
      const seen = (await (await jar.fetch(`${proxy.url}/anything`, { headers: forged })).json()) as Record<string, string>;
      expect(
        Object.keys(seen)
          .filter((name) => name.startsWith("x-amzn-oidc-"))
          .sort(),
      ).toEqual(["x-amzn-oidc-accesstoken", "x-amzn-oidc-data", "x-amzn-oidc-identity"]);
      expect(seen["x-amzn-oidc-identity"]).toBe(sub);
      expect(Object.values(seen)).not.toContain("forged");
      const verified = await createAlbRequestVerifierFromConfig(stack.config).verify(seen);
      expect(verified.oidcData).toMatchObject({ sub, email });
    } finally {
      await proxy.close();
      await new Promise<void>((resolve) => echo.close(() => resolve()));
    }
  });

  it("never forwards a request without a session, whatever x-amzn-oidc-* headers it carries", async () => {
    const response = await new CookieJar().fetch(`${albUrl()}/api/session`, { headers: await stack.albHeaders(email) });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toContain("/oauth2/authorize?");
  });

  it("treats a tampered session cookie as no session", async () => {
    const jar = new CookieJar();
    const callback = await signInThroughAlb(stack, jar, email);
    const first = callback.headers.getSetCookie()[0]!;
    const value = first.slice(first.indexOf("=") + 1, first.indexOf(";"));
    const flipped = `${value.slice(0, 40)}${value[40] === "A" ? "B" : "A"}${value.slice(41)}`;
    const cookie = jar.header(albUrl()).replace(value, flipped);
    const response = await fetch(`${albUrl()}/api/session`, { headers: { cookie }, redirect: "manual" });
    expect(response.status).toBe(302);
  });

  it("refuses a callback whose state was not issued to this browser", async () => {
    const started = await new CookieJar().fetch(`${albUrl()}/account`);
    const state = new URL(started.headers.get("location")!).searchParams.get("state")!;
    // Another browser (no nonce cookie) arrives with that state and some code.
    const response = await new CookieJar().fetch(`${albUrl()}/oauth2/idpresponse?code=00000000-0000-4000-8000-000000000000&state=${encodeURIComponent(state)}`);
    expect(response.status).toBe(401);
    expect(response.headers.getSetCookie().some((line) => line.startsWith("AWSELBAuthSessionCookie"))).toBe(false);
  });

  it("logs out through the BFF: the shards are expired, Cognito's /logout follows, and the next visit signs in again", async () => {
    const jar = new CookieJar();
    await signInThroughAlb(stack, jar, email);
    const shardCount = jar.names(albUrl()).filter((name) => name.startsWith("AWSELBAuthSessionCookie-")).length;
    expect(shardCount).toBeGreaterThan(1);

    const logout = await jar.fetch(`${albUrl()}/api/logout`, { method: "POST", headers: { "content-type": "application/json", origin: albUrl() }, body: "{}" });
    expect(logout.status).toBe(200);
    const { redirectTo } = (await logout.json()) as { redirectTo: string };
    expect(redirectTo).toBe(`${stack.emulator.url}/logout?client_id=${stack.albClient.clientId}&logout_uri=${encodeURIComponent(`${albUrl()}/`)}`);
    expect(jar.names(albUrl()).filter((name) => name.startsWith("AWSELBAuthSessionCookie-"))).toEqual([]);

    const cognitoLogout = await jar.fetch(redirectTo);
    expect(cognitoLogout.status).toBe(302);
    expect(cognitoLogout.headers.get("location")).toBe(`${albUrl()}/`);
    const next = await jar.fetch(`${albUrl()}/`);
    expect(next.status).toBe(302);
    expect(next.headers.get("location")).toContain(`${stack.emulator.url}/oauth2/authorize?`);
  });
});
