import { AdminUserGlobalSignOutCommand, GetUserCommand, GlobalSignOutCommand, InitiateAuthCommand, RevokeTokenCommand } from "@aws-sdk/client-cognito-identity-provider";
import { createRemoteJWKSet, decodeJwt, jwtVerify } from "jose";
import {
  type TestEmulator,
  bff,
  expectCognitoError,
  noRevocationClientId,
  passwordSignIn,
  poolId,
  secretHash,
  signUpConfirmed,
  startTestEmulator,
  testClock,
  uniqueEmail,
} from "./support";

const clock = testClock();
let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator({ now: clock.now });
});
afterAll(async () => {
  await t.stop();
});

function refresh(refreshToken: string, hashUsername: string | null, clientId = bff.clientId) {
  return t.cognito.send(
    new InitiateAuthCommand({
      AuthFlow: "REFRESH_TOKEN_AUTH",
      ClientId: clientId,
      AuthParameters: { REFRESH_TOKEN: refreshToken, ...(hashUsername === null ? {} : { SECRET_HASH: secretHash(hashUsername) }) },
    }),
  );
}

function getUser(accessToken: string) {
  return t.cognito.send(new GetUserCommand({ AccessToken: accessToken }));
}

function revoke(token: string, clientSecret: string | undefined = bff.clientSecret, clientId = bff.clientId) {
  return t.cognito.send(new RevokeTokenCommand({ Token: token, ClientId: clientId, ...(clientSecret ? { ClientSecret: clientSecret } : {}) }));
}

describe("tokens", () => {
  test("verify against the pool's JWKS, with Cognito's claim sets and separate keys", async () => {
    const email = uniqueEmail();
    const sub = await signUpConfirmed(t, email);
    const tokens = await passwordSignIn(t, email);
    const jwks = createRemoteJWKSet(new URL(`${t.emulator.url}/${poolId}/.well-known/jwks.json`));

    const id = await jwtVerify(tokens.IdToken!, jwks, { issuer: t.emulator.issuer, audience: bff.clientId, algorithms: ["RS256"] });
    expect(Object.keys(id.payload).sort()).toEqual(
      ["sub", "email_verified", "iss", "cognito:username", "origin_jti", "aud", "event_id", "token_use", "auth_time", "exp", "iat", "jti", "email"].sort(),
    );
    expect(id.payload).toMatchObject({ sub, email, email_verified: true, "cognito:username": sub, token_use: "id" });

    const access = await jwtVerify(tokens.AccessToken!, jwks, { issuer: t.emulator.issuer, algorithms: ["RS256"] });
    expect(Object.keys(access.payload).sort()).toEqual(
      ["sub", "iss", "client_id", "origin_jti", "event_id", "token_use", "scope", "auth_time", "exp", "iat", "jti", "username"].sort(),
    );
    expect(access.payload).toMatchObject({ sub, client_id: bff.clientId, username: sub, token_use: "access", scope: "aws.cognito.signin.user.admin" });
    expect(access.payload.exp! - access.payload.iat!).toBe(3600);
    expect(access.payload.origin_jti).toBe(id.payload.origin_jti);
    expect(access.payload.jti).not.toBe(id.payload.jti);
    expect(id.protectedHeader.kid).not.toBe(access.protectedHeader.kid);
  });

  test("the JWKS publishes public keys only", async () => {
    const response = await fetch(`${t.emulator.url}/${poolId}/.well-known/jwks.json`);
    const { keys } = (await response.json()) as { keys: Record<string, string>[] };
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(Object.keys(key).sort()).toEqual(["alg", "e", "kid", "kty", "n", "use"]);
      expect(key).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig" });
    }
  });

  test("openid-configuration names the issuer and the JWKS", async () => {
    const response = await fetch(`${t.emulator.url}/${poolId}/.well-known/openid-configuration`);
    expect(await response.json()).toMatchObject({
      issuer: t.emulator.issuer,
      jwks_uri: `${t.emulator.url}/${poolId}/.well-known/jwks.json`,
      userinfo_endpoint: `${t.emulator.url}/oauth2/userInfo`,
      id_token_signing_alg_values_supported: ["RS256"],
    });
  });

  test("a configured issuer goes into the tokens and is honoured by the user calls", async () => {
    const cloudIssuer = `https://cognito-idp.${"us-east-1"}.amazonaws.com/${poolId}`;
    const cloud = await startTestEmulator({ issuer: cloudIssuer });
    try {
      const email = uniqueEmail();
      await signUpConfirmed(cloud, email);
      const tokens = await passwordSignIn(cloud, email);
      expect(decodeJwt(tokens.IdToken!).iss).toBe(cloudIssuer);
      expect(cloud.emulator.issuer).toBe(cloudIssuer);
      expect((await cloud.cognito.send(new GetUserCommand({ AccessToken: tokens.AccessToken! }))).Username).toBeDefined();
    } finally {
      await cloud.stop();
    }
  });
});

describe("REFRESH_TOKEN_AUTH", () => {
  test("returns new ID and access tokens of the same sign-in, without a refresh token", async () => {
    const email = uniqueEmail();
    const sub = await signUpConfirmed(t, email);
    const tokens = await passwordSignIn(t, email);
    const result = await refresh(tokens.RefreshToken!, sub);
    expect(result.AuthenticationResult).toMatchObject({ TokenType: "Bearer", ExpiresIn: 3600 });
    expect(result.AuthenticationResult!.RefreshToken).toBeUndefined();
    const before = decodeJwt(tokens.AccessToken!);
    const after = decodeJwt(result.AuthenticationResult!.AccessToken!);
    expect(after.origin_jti).toBe(before.origin_jti);
    expect(after.auth_time).toBe(before.auth_time);
    expect(after.jti).not.toBe(before.jti);
  });

  test("also answers to the REFRESH_TOKEN flow name", async () => {
    const email = uniqueEmail();
    const sub = await signUpConfirmed(t, email);
    const tokens = await passwordSignIn(t, email);
    const result = await t.cognito.send(
      new InitiateAuthCommand({
        AuthFlow: "REFRESH_TOKEN",
        ClientId: bff.clientId,
        AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken!, SECRET_HASH: secretHash(sub) },
      }),
    );
    expect(result.AuthenticationResult?.IdToken).toBeDefined();
  });

  test("refuses a SECRET_HASH computed over the email instead of the internal username", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const tokens = await passwordSignIn(t, email);
    await expectCognitoError(refresh(tokens.RefreshToken!, email), "NotAuthorizedException", `Unable to verify secret hash for client ${bff.clientId}`);
  });

  test("refuses a missing SECRET_HASH", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const tokens = await passwordSignIn(t, email);
    await expectCognitoError(
      refresh(tokens.RefreshToken!, null),
      "NotAuthorizedException",
      `Client ${bff.clientId} is configured with secret but SECRET_HASH was not received`,
    );
  });

  test("refuses an unknown refresh token", async () => {
    await expectCognitoError(refresh("not-a-refresh-token", "anyone"), "NotAuthorizedException", "Invalid Refresh Token");
  });

  test("refuses a revoked refresh token", async () => {
    const email = uniqueEmail();
    const sub = await signUpConfirmed(t, email);
    const tokens = await passwordSignIn(t, email);
    await revoke(tokens.RefreshToken!);
    await expectCognitoError(refresh(tokens.RefreshToken!, sub), "NotAuthorizedException", "Refresh Token has been revoked");
  });

  test("refuses an expired refresh token", async () => {
    const email = uniqueEmail();
    const sub = await signUpConfirmed(t, email);
    const tokens = await passwordSignIn(t, email);
    clock.advance(30 * 24 * 3600_000 + 1000);
    await expectCognitoError(refresh(tokens.RefreshToken!, sub), "NotAuthorizedException", "Refresh Token has expired");
  });
});

describe("GetUser", () => {
  test("returns the internal username and the attributes, sub included", async () => {
    const email = uniqueEmail();
    const sub = await signUpConfirmed(t, email);
    const tokens = await passwordSignIn(t, email);
    const user = await getUser(tokens.AccessToken!);
    expect(user.Username).toBe(sub);
    expect(user.UserAttributes).toEqual([
      { Name: "sub", Value: sub },
      { Name: "email", Value: email },
      { Name: "email_verified", Value: "true" },
    ]);
  });

  test("refuses an ID token in place of the access token", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const tokens = await passwordSignIn(t, email);
    await expectCognitoError(getUser(tokens.IdToken!), "NotAuthorizedException", "Invalid Access Token");
  });

  test("refuses a tampered access token", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const [header, payload] = (await passwordSignIn(t, email)).AccessToken!.split(".");
    await expectCognitoError(getUser(`${header}.${payload}.c2lnbmF0dXJl`), "NotAuthorizedException", "Invalid Access Token");
  });

  test("refuses an expired access token", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const tokens = await passwordSignIn(t, email);
    clock.advance(3600_000 + 1000);
    await expectCognitoError(getUser(tokens.AccessToken!), "NotAuthorizedException", "Access Token has expired");
  });
});

describe("GlobalSignOut", () => {
  test("revokes every access and refresh token of the user", async () => {
    const email = uniqueEmail();
    const sub = await signUpConfirmed(t, email);
    const first = await passwordSignIn(t, email);
    const second = await passwordSignIn(t, email);
    await t.cognito.send(new GlobalSignOutCommand({ AccessToken: first.AccessToken! }));
    await expectCognitoError(getUser(first.AccessToken!), "NotAuthorizedException", "Access Token has been revoked");
    await expectCognitoError(getUser(second.AccessToken!), "NotAuthorizedException", "Access Token has been revoked");
    await expectCognitoError(refresh(second.RefreshToken!, sub), "NotAuthorizedException", "Refresh Token has been revoked");
    // A new sign-in is unaffected.
    expect((await getUser((await passwordSignIn(t, email)).AccessToken!)).Username).toBe(sub);
  });

  test("refuses an already revoked access token", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const tokens = await passwordSignIn(t, email);
    await t.cognito.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken! }));
    await expectCognitoError(t.cognito.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken! })), "NotAuthorizedException", "Access Token has been revoked");
  });
});

describe("AdminUserGlobalSignOut", () => {
  test("revokes every access and refresh token of the user named by the email alias, without one of their tokens", async () => {
    const email = uniqueEmail();
    const sub = await signUpConfirmed(t, email);
    const tokens = await passwordSignIn(t, email);
    expect(await t.cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: email }))).toMatchObject({});
    await expectCognitoError(getUser(tokens.AccessToken!), "NotAuthorizedException", "Access Token has been revoked");
    await expectCognitoError(refresh(tokens.RefreshToken!, sub), "NotAuthorizedException", "Refresh Token has been revoked");
    expect((await getUser((await passwordSignIn(t, email)).AccessToken!)).Username).toBe(sub);
  });

  test("finds the user by the internal username too", async () => {
    const email = uniqueEmail();
    const sub = await signUpConfirmed(t, email);
    const tokens = await passwordSignIn(t, email);
    await t.cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: sub }));
    await expectCognitoError(refresh(tokens.RefreshToken!, sub), "NotAuthorizedException", "Refresh Token has been revoked");
  });

  test("refuses an unknown user", async () => {
    await expectCognitoError(
      t.cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: poolId, Username: uniqueEmail("ghost") })),
      "UserNotFoundException",
      "User does not exist.",
    );
  });

  test("refuses an unknown user pool", async () => {
    await expectCognitoError(
      t.cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: "us-east-1_Nope", Username: uniqueEmail() })),
      "ResourceNotFoundException",
      "User pool us-east-1_Nope does not exist.",
    );
  });
});

describe("RevokeToken", () => {
  test("revokes the refresh token and its access tokens, not the user's other sign-ins", async () => {
    const email = uniqueEmail();
    const sub = await signUpConfirmed(t, email);
    const revoked = await passwordSignIn(t, email);
    const kept = await passwordSignIn(t, email);
    const refreshed = await refresh(revoked.RefreshToken!, sub);
    await revoke(revoked.RefreshToken!);
    await expectCognitoError(getUser(revoked.AccessToken!), "NotAuthorizedException", "Access Token has been revoked");
    await expectCognitoError(getUser(refreshed.AuthenticationResult!.AccessToken!), "NotAuthorizedException", "Access Token has been revoked");
    expect((await getUser(kept.AccessToken!)).Username).toBe(sub);
    expect((await refresh(kept.RefreshToken!, sub)).AuthenticationResult).toBeDefined();
  });

  test("succeeds quietly for an unknown token", async () => {
    await expect(revoke("unknown-refresh-token")).resolves.toBeDefined();
  });

  test("refuses a wrong client secret", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const tokens = await passwordSignIn(t, email);
    await expectCognitoError(revoke(tokens.RefreshToken!, "wrong-secret-wrong-secret-000"), "UnauthorizedException");
  });

  test("refuses an access token", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const tokens = await passwordSignIn(t, email);
    await expectCognitoError(revoke(tokens.AccessToken!), "UnsupportedTokenTypeException");
  });

  test("refuses a client without token revocation", async () => {
    await expectCognitoError(revoke("some-refresh-token", undefined, noRevocationClientId), "UnsupportedOperationException");
  });

  test("refuses to revoke another client's token", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const tokens = await passwordSignIn(t, email);
    await expectCognitoError(revoke(tokens.RefreshToken!, undefined, "publicclient0000000000000"), "UnauthorizedException");
    expect((await getUser(tokens.AccessToken!)).Username).toBeDefined();
  });
});
