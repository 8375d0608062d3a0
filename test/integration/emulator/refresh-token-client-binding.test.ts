import { InitiateAuthCommand } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bff,
  config,
  expectCognitoError,
  passwordSignIn,
  publicClientId,
  secretHash,
  signUpConfirmed,
  startTestEmulator,
  uniqueEmail,
  type TestEmulator,
} from "./support";

/**
 * A refresh token belongs to the app client it was issued to (RFC 6749 §6: "the authorization
 * server MUST ... validate the refresh token ... [and] ensure that the refresh token was issued
 * to the authenticated client"). The emulator, like Cognito, refuses it from any other client,
 * at InitiateAuth REFRESH_TOKEN_AUTH and at the managed login's /oauth2/token alike.
 */

const albClient = config.userPool.clients.find((client) => client.name === "tobira-alb")!;

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.stop());

function refreshAt(clientId: string, refreshToken: string, hashUsername?: string) {
  return t.cognito.send(
    new InitiateAuthCommand({
      AuthFlow: "REFRESH_TOKEN_AUTH",
      ClientId: clientId,
      AuthParameters: { REFRESH_TOKEN: refreshToken, ...(hashUsername === undefined ? {} : { SECRET_HASH: secretHash(hashUsername) }) },
    }),
  );
}

function tokenEndpoint(client: { clientId: string; clientSecret?: string | undefined }, refreshToken: string) {
  return fetch(`${t.emulator.url}/oauth2/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64")}`,
    },
    body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken }).toString(),
  });
}

describe("a refresh token presented by another app client", () => {
  it("is refused at InitiateAuth REFRESH_TOKEN_AUTH, while its own client still refreshes with it", async () => {
    const email = uniqueEmail("refresh-binding");
    const sub = await signUpConfirmed(t, email);
    const { RefreshToken } = await passwordSignIn(t, email);

    await expectCognitoError(refreshAt(publicClientId, RefreshToken!), "NotAuthorizedException");
    const own = await refreshAt(bff.clientId, RefreshToken!, sub);
    expect(own.AuthenticationResult?.AccessToken).toBeDefined();
  });

  it("is refused at /oauth2/token as invalid_grant, while its own client still refreshes with it", async () => {
    const email = uniqueEmail("refresh-binding-hosted");
    await signUpConfirmed(t, email);
    const bffTokens = await passwordSignIn(t, email);
    const albTokens = await t.emulator.issueHostedTokens({ username: email, clientId: albClient.clientId, scopes: ["openid", "email"] });

    const foreign = await tokenEndpoint(albClient, bffTokens.RefreshToken!);
    expect(foreign.status).toBe(400);
    expect(await foreign.json()).toEqual({ error: "invalid_grant" });

    const own = await tokenEndpoint(albClient, albTokens.RefreshToken);
    expect(own.status, await own.clone().text()).toBe(200);
  });
});
