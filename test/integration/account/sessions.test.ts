import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CognitoGateway } from "../../../bff/cognito/cognito-gateway";
import type { AccountSessionsResponse } from "../../../common/api-contract";
import { startTestStack, type TestStack } from "../../support/stack";
import { errorOf, signUpConfirmed, storedSession } from "../bff/flows";
import { chromeOnMac, firefoxOnWindows, isSignedIn, signInBrowser } from "./account-flows";

describe("where you're signed in: GET /api/account/sessions, DELETE /api/account/sessions/:id, POST /api/account/sign-out-everywhere", () => {
  let stack: TestStack;
  let gateway: CognitoGateway;
  const globalSignOuts: string[] = [];
  beforeAll(async () => {
    stack = await startTestStack({
      wrapCognito: (real) => {
        gateway = real;
        return { ...real, globalSignOut: async (token) => (globalSignOuts.push(token), real.globalSignOut(token)) };
      },
    });
  });
  afterAll(() => stack.close());

  async function sessionsOf(client: ReturnType<TestStack["client"]>): Promise<AccountSessionsResponse> {
    const response = await client.get("/api/account/sessions");
    expect(response.status, response.text).toBe(200);
    return response.body as AccountSessionsResponse;
  }

  it("lists every session of the user with browser, system, address and method, this one marked", async () => {
    const { email } = await signUpConfirmed(stack);
    const mac = await signInBrowser(stack, email, chromeOnMac);
    await signInBrowser(stack, email, firefoxOnWindows);
    const { sessions } = await sessionsOf(mac);
    expect(sessions).toHaveLength(2);
    expect(sessions[0]).toMatchObject({
      current: true,
      device: { browser: "Chrome", os: "macOS", label: "Chrome on macOS" },
      ip: expect.stringMatching(/127\.0\.0\.1/),
      method: "password_code",
    });
    expect(sessions[1]).toMatchObject({ current: false, device: { label: "Firefox on Windows" } });
    expect(JSON.stringify(sessions)).not.toMatch(/Mozilla/);
  });

  it("signs out one chosen session: that browser is signed out, this one is not", async () => {
    const { email } = await signUpConfirmed(stack);
    const mac = await signInBrowser(stack, email, chromeOnMac);
    const windows = await signInBrowser(stack, email, firefoxOnWindows);
    const other = (await sessionsOf(mac)).sessions.find((session) => !session.current)!;
    const refreshToken = (await storedSession(stack, windows))!.tokens.refreshToken;

    const response = await mac.delete(`/api/account/sessions/${other.id}`);
    expect(response.status).toBe(204);
    expect(await isSignedIn(windows)).toBe(false);
    expect(await isSignedIn(mac)).toBe(true);
    expect((await sessionsOf(mac)).sessions).toHaveLength(1);
    // Its Cognito refresh token was revoked too.
    await expect(gateway.refreshTokens({ refreshToken, username: (await storedSession(stack, mac))!.username })).rejects.toMatchObject({ code: "session_expired" });
  });

  it("answers another user's session id like an unknown one: 404 not_found, and that session stays", async () => {
    const alice = await signInBrowser(stack, (await signUpConfirmed(stack)).email, chromeOnMac);
    const bob = await signInBrowser(stack, (await signUpConfirmed(stack)).email, firefoxOnWindows);
    const bobsId = (await sessionsOf(bob)).sessions[0]!.id;
    const response = await alice.delete(`/api/account/sessions/${bobsId}`);
    expect(response.status).toBe(404);
    expect(errorOf(response).code).toBe("not_found");
    expect(await isSignedIn(bob)).toBe(true);
    expect((await alice.delete("/api/account/sessions/no-such-session")).status).toBe(404);
  });

  it("refuses this browser's own id with 400 bad_request (POST /api/logout signs this browser out)", async () => {
    const mac = await signInBrowser(stack, (await signUpConfirmed(stack)).email, chromeOnMac);
    const own = (await sessionsOf(mac)).sessions[0]!.id;
    const response = await mac.delete(`/api/account/sessions/${own}`);
    expect(response.status).toBe(400);
    expect(await isSignedIn(mac)).toBe(true);
  });

  it("signs out everywhere: GlobalSignOut, every browser including this one, every grant", async () => {
    const { email } = await signUpConfirmed(stack);
    const mac = await signInBrowser(stack, email, chromeOnMac);
    const windows = await signInBrowser(stack, email, firefoxOnWindows);
    const stored = (await storedSession(stack, windows))!;
    await stack.store.put("oidc-Grant", `grant-${stored.sub}`, { accountId: stored.sub, clientId: "some-app" }, { index: stored.sub, ttlSeconds: 600 });
    const calls = globalSignOuts.length;

    const response = await mac.post("/api/account/sign-out-everywhere", {});
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ redirectTo: "/signin" });
    expect(globalSignOuts.length).toBe(calls + 1);
    expect(await isSignedIn(mac)).toBe(false);
    expect(await isSignedIn(windows)).toBe(false);
    expect(await stack.store.get("oidc-Grant", `grant-${stored.sub}`)).toBeUndefined();
    await expect(gateway.refreshTokens({ refreshToken: stored.tokens.refreshToken, username: stored.username })).rejects.toMatchObject({ code: "session_expired" });
  });

  it("lists the apps holding a grant from the account", async () => {
    const mac = await signInBrowser(stack, (await signUpConfirmed(stack)).email, chromeOnMac);
    const { sub } = (await storedSession(stack, mac))!;
    const clientId = stack.config.oidc.clients[0]?.clientId ?? "unknown-app";
    await stack.store.put(
      "oidc-Grant",
      `apps-${sub}`,
      { accountId: sub, clientId, iat: 1_700_000_000, openid: { scope: "openid email" } },
      { index: sub, ttlSeconds: 600 },
    );
    const { apps } = await sessionsOf(mac);
    expect(apps).toEqual([{ clientId, name: stack.config.oidc.clients[0]?.name ?? clientId, grantedAt: 1_700_000_000, scopes: ["openid", "email"] }]);
  });

  it("refuses each call without a session: 401 unauthenticated", async () => {
    const client = stack.client();
    expect(errorOf(await client.get("/api/account/sessions")).code).toBe("unauthenticated");
    expect(errorOf(await client.delete("/api/account/sessions/anything")).code).toBe("unauthenticated");
    expect(errorOf(await client.post("/api/account/sign-out-everywhere", {})).code).toBe("unauthenticated");
    expect(errorOf(await client.get("/api/account/history")).code).toBe("unauthenticated");
    expect(errorOf(await client.get("/api/account")).code).toBe("unauthenticated");
  });
});
