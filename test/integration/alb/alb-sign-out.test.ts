import { CookieJar, signInThroughAlb, startAlbTestStack, uniqueEmail, type AlbTestStack } from "./alb-stack";

/**
 * Signing out in ALB mode really signs out (docs/cognito-behaviour.md, "Managed login"): Cognito's
 * managed login keeps its own session for an hour, so expiring the load balancer's cookies alone
 * would let the next visit in without a password. Only the hop through Cognito's /logout ends it.
 */

let stack: AlbTestStack;
let email: string;

beforeAll(async () => {
  stack = await startAlbTestStack({ proxy: true });
  email = uniqueEmail("signout");
  await stack.signUpConfirmed(email);
});
afterAll(async () => {
  await stack?.close();
});

const albUrl = () => stack.alb!.url;
const albCookies = (jar: CookieJar) => jar.names(albUrl()).filter((name) => name.startsWith("AWSELBAuthSessionCookie-"));

/** A new visit to the app: "password" when the managed login shows its sign-in page, "signed-in" when the browser is let in without one. */
async function visit(jar: CookieJar): Promise<"password" | "signed-in"> {
  const start = await jar.fetch(`${albUrl()}/account`);
  expect(start.status).toBe(302);
  const authorize = await jar.fetch(start.headers.get("location")!);
  expect(authorize.status).toBe(302);
  const next = new URL(authorize.headers.get("location")!, stack.emulator.url);
  if (next.origin === new URL(stack.emulator.url).origin && next.pathname === "/login") return "password";
  const callback = await jar.fetch(next.toString());
  expect(callback.status).toBe(302);
  const session = await jar.fetch(`${albUrl()}/api/session`, { headers: { accept: "application/json" } });
  expect(await session.json()).toMatchObject({ authenticated: true, user: { email } });
  return "signed-in";
}

describe("ALB mode: sign-out", () => {
  it("signs out for real: after /api/logout and Cognito's /logout, a new visit asks for the password", async () => {
    const jar = new CookieJar();
    await signInThroughAlb(stack, jar, email);
    expect(albCookies(jar).length).toBeGreaterThan(0);

    const logout = await jar.fetch(`${albUrl()}/api/logout`, { method: "POST", headers: { "content-type": "application/json", origin: albUrl() }, body: "{}" });
    const { redirectTo } = (await logout.json()) as { redirectTo: string };
    expect(albCookies(jar)).toEqual([]);
    const cognitoLogout = await jar.fetch(redirectTo);
    expect(cognitoLogout.status).toBe(302);
    expect(jar.names(stack.emulator.url)).not.toContain("cognito");

    expect(await visit(jar)).toBe("password");
  });

  it("would not sign out without the hop through Cognito's /logout: the managed login lets the next visit in without a password", async () => {
    const jar = new CookieJar();
    await signInThroughAlb(stack, jar, email);
    const logout = await jar.fetch(`${albUrl()}/api/logout`, { method: "POST", headers: { "content-type": "application/json", origin: albUrl() }, body: "{}" });
    expect(logout.status).toBe(200);
    expect(albCookies(jar)).toEqual([]);
    // The browser never follows redirectTo: only the load balancer's cookies are gone.
    expect(await visit(jar)).toBe("signed-in");
  });

  it("would not sign out with a logout_uri Cognito does not have registered exactly: the session survives the refused /logout", async () => {
    const jar = new CookieJar();
    await signInThroughAlb(stack, jar, email);
    const logout = await jar.fetch(`${albUrl()}/api/logout`, { method: "POST", headers: { "content-type": "application/json", origin: albUrl() }, body: "{}" });
    const { redirectTo } = (await logout.json()) as { redirectTo: string };
    const unregistered = new URL(redirectTo);
    unregistered.searchParams.set("logout_uri", `${albUrl()}/signed-out`);
    expect((await jar.fetch(unregistered.toString())).status).toBe(400);
    expect(await visit(jar)).toBe("signed-in");
  });
});
