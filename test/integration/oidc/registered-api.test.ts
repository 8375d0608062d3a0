import { createRemoteJWKSet, jwtVerify } from "jose";
import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadLocalConfig } from "../../../common/local-config";
import { authorizationRequest, authorizeInBrowser, discover, newUser, type TestUser } from "../../conformance/support";
import { startTestStack, type TestStack } from "../../support/stack";

/**
 * The API registered in config/local.json (README "Registered APIs"): the demo app asks for it and
 * gets access tokens the API checks on its own, at sign-in and at each refresh.
 */

const local = loadLocalConfig();
const demoApp = local.oidc.clients.find((client) => client.clientId === "demo-rp")!;
const demoApi = local.oidc.resourceServers.find((server) => server.clientId === "demo-api")!;

let stack: TestStack;
let user: TestUser;

beforeAll(async () => {
  stack = await startTestStack();
  user = await newUser(stack);
});

afterAll(async () => {
  await stack?.close();
});

async function verifyForDemoApi(accessToken: string) {
  const keys = createRemoteJWKSet(new URL("/oidc/jwks", stack.bffUrl));
  return (await jwtVerify(accessToken, keys, { issuer: stack.bffUrl, audience: demoApi.audience, typ: "at+jwt" })).payload;
}

describe("the local configuration's demo API", () => {
  it("is registered with a scope of its own", () => {
    expect(demoApi).toMatchObject({ audience: "http://localhost:4000/api", scopes: ["demo:read"], accessTokenFormat: "jwt" });
  });

  it("gets the demo app a JWT access token for it at sign-in, and again at each refresh", async () => {
    const config = await discover(stack, demoApp);
    const request = await authorizationRequest(config, { scope: "openid email offline_access demo:read", resource: demoApi.audience, prompt: "consent" }, demoApp);
    const callback = await authorizeInBrowser(stack, stack.client(), request.url, user);
    const tokens = await oidc.authorizationCodeGrant(
      config,
      callback,
      { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce, idTokenExpected: true },
      { resource: demoApi.audience },
    );
    const first = await verifyForDemoApi(tokens.access_token);
    expect(first).toMatchObject({ sub: tokens.claims()!.sub, client_id: demoApp.clientId, scope: "demo:read" });

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!, { resource: demoApi.audience });
    const second = await verifyForDemoApi(refreshed.access_token);
    expect(second).toMatchObject({ sub: first.sub, scope: "demo:read" });
    expect(second.jti).not.toBe(first.jti);
  });
});
