import { createHash } from "node:crypto";
import { AdminDeleteUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CognitoGateway } from "../../../bff/cognito/cognito-gateway";
import type { AuthenticatedSession } from "../../../bff/session/session-records";
import { sealSession } from "../../../bff/session/token-sealing";
import { startTestStack, type TestStack } from "../../support/stack";
import { poolId, sdkClient } from "../emulator/support";
import { errorOf, sessionCookiePayload, signUpConfirmed, signedInClient, storedSession } from "./flows";

describe("the signed-in session: GET /api/session, GET /api/account/claims, POST /api/logout", () => {
  let stack: TestStack;
  let gateway: CognitoGateway;
  const revoked: string[] = [];

  beforeAll(async () => {
    stack = await startTestStack({
      wrapCognito: (real) => {
        gateway = real;
        return { ...real, revokeToken: async (token) => (revoked.push(token), real.revokeToken(token)) };
      },
    });
  });
  afterAll(() => stack.close());

  async function saveSession(client: ReturnType<TestStack["client"]>, session: AuthenticatedSession): Promise<void> {
    const sid = sessionCookiePayload(client)!.sid as string;
    const key = createHash("sha256").update(sid).digest("base64url");
    await stack.store.put("session", key, sealSession(sid, session, stack.config.cookie.keys), { ttlSeconds: 600, index: session.sub });
  }

  it("answers {authenticated:false} without a session", async () => {
    const response = await stack.client().get("/api/session");
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ authenticated: false });
  });

  it("answers the user, amr and authTime when signed in", async () => {
    const { client, email } = await signedInClient(stack);
    const response = await client.get("/api/session");
    const stored = (await storedSession(stack, client))!;
    expect(response.body).toEqual({
      authenticated: true,
      user: { sub: stored.sub, email, username: stored.username },
      amr: ["pwd", "otp", "mfa"],
      authTime: stored.authTime,
    });
  });

  it("refuses the claims with 401 unauthenticated without a session", async () => {
    const response = await stack.client().get("/api/account/claims");
    expect(response.status).toBe(401);
    expect(errorOf(response).code).toBe("unauthenticated");
  });

  it("answers verified ID-token and access-token claims and user info with booleans", async () => {
    const { client, email } = await signedInClient(stack);
    const response = await client.get("/api/account/claims");
    expect(response.status).toBe(200);
    const body = response.body as { idToken: Record<string, unknown>; accessToken: Record<string, unknown>; userInfo: Record<string, unknown> };
    expect(body.idToken).toMatchObject({ token_use: "id", aud: stack.config.cognito.clientId, iss: stack.emulator.issuer, email, email_verified: true });
    expect(body.accessToken).toMatchObject({ token_use: "access", client_id: stack.config.cognito.clientId, scope: "aws.cognito.signin.user.admin" });
    expect(body.userInfo).toMatchObject({ email, email_verified: true, sub: body.idToken.sub, username: body.idToken["cognito:username"] });
  });

  it("refreshes the Cognito tokens when the access token has expired", async () => {
    const { client } = await signedInClient(stack);
    const before = (await storedSession(stack, client))!;
    await saveSession(client, { ...before, tokens: { ...before.tokens, accessTokenExpiresAt: 0 } });

    const response = await client.get("/api/account/claims");
    expect(response.status).toBe(200);
    const after = (await storedSession(stack, client))!;
    expect(after.tokens.accessToken).not.toBe(before.tokens.accessToken);
    expect(after.tokens.accessTokenExpiresAt).toBeGreaterThan(Date.now() / 1000);
    expect(after.tokens.refreshToken).toBe(before.tokens.refreshToken);
    expect((response.body as { accessToken: { jti: string } }).accessToken.jti).not.toBe(
      JSON.parse(Buffer.from(before.tokens.accessToken.split(".")[1]!, "base64url").toString()).jti,
    );
  });

  it("ends the session with 401 session_expired when Cognito refuses the refresh (signed out elsewhere)", async () => {
    const { client } = await signedInClient(stack);
    const stored = (await storedSession(stack, client))!;
    await gateway.globalSignOut(stored.tokens.accessToken);
    await saveSession(client, { ...stored, tokens: { ...stored.tokens, accessTokenExpiresAt: 0 } });

    const response = await client.get("/api/account/claims");
    expect(response.status).toBe(401);
    expect(errorOf(response).code).toBe("session_expired");
    expect((await client.get("/api/session")).body).toEqual({ authenticated: false });
  });

  it("ends the session with 401 session_expired when GetUser refuses a revoked access token", async () => {
    const { client } = await signedInClient(stack);
    const stored = (await storedSession(stack, client))!;
    await gateway.globalSignOut(stored.tokens.accessToken);

    const response = await client.get("/api/account/claims");
    expect(response.status).toBe(401);
    expect(errorOf(response).code).toBe("session_expired");
  });

  it("ends the session with 401 session_expired when the user was deleted (Cognito: UserNotFoundException), at GetUser and at the refresh", async () => {
    const admin = sdkClient(stack.emulatorUrl);
    try {
      for (const expired of [false, true]) {
        const { client, email } = await signedInClient(stack);
        const stored = (await storedSession(stack, client))!;
        if (expired) await saveSession(client, { ...stored, tokens: { ...stored.tokens, accessTokenExpiresAt: 0 } });
        await admin.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: email }));

        const response = await client.get("/api/account/claims");
        expect(response.status).toBe(401);
        expect(errorOf(response).code).toBe("session_expired");
      }
    } finally {
      admin.destroy();
    }
  });

  it("logs out: revokes the refresh token, deletes the record, clears the cookie", async () => {
    const { client } = await signedInClient(stack);
    const stored = (await storedSession(stack, client))!;
    const replay = client.fork();

    const response = await client.post("/api/logout", {});
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ redirectTo: "/signin" });
    expect(revoked).toContain(stored.tokens.refreshToken);
    await expect(gateway.refreshTokens({ refreshToken: stored.tokens.refreshToken, username: stored.username })).rejects.toMatchObject({
      code: "session_expired",
    });
    expect(response.setCookies.some((cookie) => /^tobira=;.*expires=Thu, 01 Jan 1970/i.test(cookie))).toBe(true);
    expect(client.cookie("tobira")).toBeUndefined();
    expect((await replay.get("/api/session")).body).toEqual({ authenticated: false });
  });

  it("answers logout with 200 when not signed in", async () => {
    const response = await stack.client().post("/api/logout", {});
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ redirectTo: "/signin" });
  });

  it("ignores a session cookie whose signature does not match", async () => {
    const { client } = await signedInClient(stack);
    const forged = client.fork();
    forged.setCookie("tobira.sig", "AAAAAAAAAAAAAAAAAAAAAAAAAAA");
    expect((await forged.get("/api/session")).body).toEqual({ authenticated: false });
  });

  it("keeps a signed-in session across a BFF restart on the same store", async () => {
    const { client, email } = await signedInClient(stack);
    await stack.restartBff();
    const session = await client.get("/api/session");
    expect(session.body).toMatchObject({ authenticated: true, user: { email } });
    expect((await client.get("/api/account/claims")).status).toBe(200);
  });

  it("gives the browser a new session id at the password step: a copy of the earlier cookie follows neither the sign-in nor the session", async () => {
    const { client, email, password } = await signedInClient(stack);
    const earlier = client.fork();
    const before = sessionCookiePayload(client)!.sid;

    const step = await client.post("/api/signin", { email, password });
    expect(step.status).toBe(200);

    expect(sessionCookiePayload(client)!.sid).not.toBe(before);
    expect(await storedSession(stack, client, "signin")).toBeDefined();
    expect(await storedSession(stack, earlier, "signin")).toBeUndefined();
    expect((await earlier.get("/api/session")).body).toEqual({ authenticated: false });
    expect((await client.get("/api/session")).body).toMatchObject({ authenticated: true, user: { email } });
  });

  it("sets the session cookie HttpOnly, SameSite=Lax and signed, without Secure in local mode", async () => {
    const { email, password } = await signUpConfirmed(stack);
    const signIn = await stack.client().post("/api/signin", { email, password });
    const cookie = signIn.setCookies.find((line) => line.startsWith("tobira="));
    expect(cookie).toMatch(/;\s*httponly/i);
    expect(cookie).toMatch(/;\s*samesite=lax/i);
    expect(cookie).not.toMatch(/;\s*secure/i);
    expect(signIn.setCookies.some((line) => line.startsWith("tobira.sig="))).toBe(true);
  });
});
