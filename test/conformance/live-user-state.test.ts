import { AdminDeleteUserCommand, CognitoIdentityProviderClient, GlobalSignOutCommand } from "@aws-sdk/client-cognito-identity-provider";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CognitoGateway } from "../../bff/cognito/cognito-gateway";
import { ApiError } from "../../bff/errors";
import { storedSession } from "../integration/bff/flows";
import type { HttpClient } from "../support/http-client";
import type { TestStack } from "../support/stack";
import { basicAuth, codeFlow, newUser, startOidcStack, testClients, tokenRequest } from "./support";

/**
 * Live user state: a relying party's refresh and /userinfo ask Cognito about the user instead of
 * trusting the sign-in's snapshot. Disabled, deleted or signed-out-everywhere users lose app
 * access at once (invalid_grant, 401); Cognito not answering is 503, never a guess.
 */

let stack: TestStack;
/** Subs Cognito treats as disabled (the emulator has no AdminDisableUser: GetUser is refused for them, as Cognito does). */
const disabled = new Set<string>();
let cognitoDown = false;

beforeAll(async () => {
  stack = await startOidcStack({
    wrapCognito: (gateway: CognitoGateway) => ({
      ...gateway,
      async getUser(accessToken) {
        if (cognitoDown) throw new ApiError(503, "service_unavailable", "Cognito did not answer.");
        if (disabled.has(String(decodeJwt(accessToken).sub))) throw new ApiError(401, "session_expired", "User is disabled.");
        return gateway.getUser(accessToken);
      },
      async adminGetUser(username) {
        if (cognitoDown) throw new ApiError(503, "service_unavailable", "Cognito did not answer.");
        const user = await gateway.adminGetUser!(username);
        return user === undefined ? undefined : { enabled: user.enabled && !disabled.has(username) };
      },
    }),
  });
});

afterAll(async () => {
  await stack?.close();
});

const client = testClients.confidential;

function refresh(refreshToken: string): Promise<Response> {
  return tokenRequest(stack, new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken }), {
    authorization: basicAuth(client.clientId, client.clientSecret),
  });
}

function userInfo(accessToken: string): Promise<Response> {
  return fetch(`${stack.bffUrl}/oidc/me`, { headers: { authorization: `Bearer ${accessToken}` } });
}

async function expectRefused(tokens: { refresh_token?: string; access_token: string }): Promise<void> {
  const refreshed = await refresh(tokens.refresh_token!);
  expect(refreshed.status).toBe(400);
  expect(((await refreshed.json()) as { error: string }).error).toBe("invalid_grant");
  const me = await userInfo(tokens.access_token);
  expect(me.status).toBe(401);
  expect(me.headers.get("www-authenticate") ?? "").toContain('error="invalid_token"');
}

function cognitoClient(): CognitoIdentityProviderClient {
  const settings = stack.config.cognito;
  return new CognitoIdentityProviderClient({ region: settings.region, endpoint: stack.emulatorUrl, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
}

async function signedInApp(): Promise<{ browser: HttpClient; sub: string; username: string; tokens: Awaited<ReturnType<typeof codeFlow>>["tokens"] }> {
  const browser = stack.client();
  const { tokens } = await codeFlow(stack, browser, await newUser(stack));
  const session = await storedSession(stack, browser);
  return { browser, sub: tokens.claims()!.sub, username: session!.username, tokens };
}

/** As when the Tobira sessions have ended (expired) while the app's grant lives on. */
async function endTobiraSessions(sub: string): Promise<void> {
  for (const record of await stack.store.queryByIndex("session", sub)) await stack.store.delete("session", record.id);
}

describe("while the user is active", () => {
  it("refresh and /userinfo work, with a Tobira session and without one", async () => {
    const { sub, tokens } = await signedInApp();
    const refreshed = await refresh(tokens.refresh_token!);
    expect(refreshed.status).toBe(200);
    const next = (await refreshed.json()) as { refresh_token: string; access_token: string };
    expect((await userInfo(next.access_token)).status).toBe(200);
    await endTobiraSessions(sub);
    expect((await refresh(next.refresh_token)).status).toBe(200);
  });
});

describe("a user disabled in Cognito", () => {
  it("loses app access at the next refresh and user-info call (through the Tobira session)", async () => {
    const { sub, tokens } = await signedInApp();
    disabled.add(sub);
    await expectRefused(tokens);
  });

  it("also without a Tobira session left (the admin read)", async () => {
    const { sub, username, tokens } = await signedInApp();
    await endTobiraSessions(sub);
    disabled.add(username);
    await expectRefused(tokens);
  });
});

describe("a user deleted in Cognito", () => {
  it("loses app access, with or without a Tobira session", async () => {
    const withSession = await signedInApp();
    const withoutSession = await signedInApp();
    await endTobiraSessions(withoutSession.sub);
    const cognito = cognitoClient();
    try {
      for (const user of [withSession, withoutSession]) {
        await cognito.send(new AdminDeleteUserCommand({ UserPoolId: stack.config.cognito.userPoolId, Username: user.username }));
      }
    } finally {
      cognito.destroy();
    }
    await expectRefused(withSession.tokens);
    await expectRefused(withoutSession.tokens);
  });
});

describe("a user signed out everywhere at Cognito (GlobalSignOut)", () => {
  it("loses app access: Cognito refuses the Tobira session's tokens", async () => {
    const { browser, tokens } = await signedInApp();
    const session = await storedSession(stack, browser);
    const cognito = cognitoClient();
    try {
      await cognito.send(new GlobalSignOutCommand({ AccessToken: session!.tokens.accessToken }));
    } finally {
      cognito.destroy();
    }
    await expectRefused(tokens);
  });
});

describe("Cognito not answering", () => {
  it("is 503 temporarily_unavailable for the refresh, never a guess", async () => {
    const { tokens } = await signedInApp();
    cognitoDown = true;
    try {
      const refreshed = await refresh(tokens.refresh_token!);
      expect(refreshed.status).toBe(503);
      expect(((await refreshed.json()) as { error: string }).error).toBe("temporarily_unavailable");
    } finally {
      cognitoDown = false;
    }
    expect((await refresh(tokens.refresh_token!)).status).toBe(200);
  });
});
