import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionUserKind } from "../../../bff/session/session-manager";
import { basicAuth, codeFlow, discover, newUser, startOidcStack, testClients, tokenRequest } from "../../conformance/support";
import type { TestStack } from "../../support/stack";

/** A password reset ends the user's app access too (OWASP Forgot Password Cheat Sheet). */

let stack: TestStack;

beforeAll(async () => {
  stack = await startOidcStack();
});

afterAll(async () => {
  await stack?.close();
});

const confidential = testClients.confidential;

function refresh(refreshToken: string): Promise<Response> {
  return tokenRequest(stack, new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken }), {
    authorization: basicAuth(confidential.clientId, confidential.clientSecret),
  });
}

function userInfo(accessToken: string): Promise<Response> {
  return fetch(`${stack.bffUrl}/oidc/me`, { headers: { authorization: `Bearer ${accessToken}` } });
}

describe("after a password reset", () => {
  it("the relying party's refresh token gets invalid_grant and its access token 401 at userinfo; another user's keep working", async () => {
    const config = await discover(stack);
    const user = await newUser(stack);
    const other = await newUser(stack);
    const { tokens } = await codeFlow(stack, stack.client(), user, { config });
    const { tokens: otherTokens } = await codeFlow(stack, stack.client(), other, { config });
    expect(tokens.refresh_token).toBeTruthy();
    expect((await userInfo(tokens.access_token)).status).toBe(200);

    await stack.client().post("/api/password/forgot", { email: user.email });
    const reset = await stack.client().post("/api/password/reset", { email: user.email, code: await stack.latestCode(user.email), password: "New-Passw0rd!" });
    expect(reset.status, reset.text).toBe(200);

    const refused = await refresh(tokens.refresh_token!);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toBe("invalid_grant");
    const me = await userInfo(tokens.access_token);
    expect(me.status).toBe(401);
    expect(me.headers.get("www-authenticate") ?? "").toContain('error="invalid_token"');

    expect((await userInfo(otherTokens.access_token)).status).toBe(200);
    expect((await refresh(otherTokens.refresh_token!)).status).toBe(200);
  });

  it("finds the user's grants from the account snapshot once the Tobira sign-in is long gone", async () => {
    const config = await discover(stack);
    const user = await newUser(stack);
    const { tokens } = await codeFlow(stack, stack.client(), user, { config });
    // As when the Tobira session expired (hours) while the app's refresh token (14 days) did not.
    await stack.store.delete(sessionUserKind, user.email.toLowerCase());

    await stack.client().post("/api/password/forgot", { email: user.email });
    const reset = await stack.client().post("/api/password/reset", { email: user.email, code: await stack.latestCode(user.email), password: "New-Passw0rd!" });
    expect(reset.status, reset.text).toBe(200);

    expect(((await (await refresh(tokens.refresh_token!)).json()) as { error: string }).error).toBe("invalid_grant");
    expect((await userInfo(tokens.access_token)).status).toBe(401);
  });
});
