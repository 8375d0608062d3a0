import { ConfirmSignUpCommand, InitiateAuthCommand } from "@aws-sdk/client-cognito-identity-provider";
import { decodeJwt } from "jose";
import {
  PASSWORD,
  type TestEmulator,
  bff,
  customOnlyClientId,
  expectCognitoError,
  latestCode,
  legacyClientId,
  passwordClient,
  passwordClientSecretHash,
  passwordSignIn,
  secretHash,
  signUp,
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

// USER_PASSWORD_AUTH as Cognito runs it, on a client that allows it (the BFF's does not).
function signIn(username: string, password: string, options: { clientId?: string; hash?: string | null } = {}) {
  const clientId = options.clientId ?? passwordClient.clientId;
  const hash = options.hash === undefined ? passwordClientSecretHash(username) : options.hash;
  return t.cognito.send(
    new InitiateAuthCommand({
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: clientId,
      AuthParameters: { USERNAME: username, PASSWORD: password, ...(hash === null ? {} : { SECRET_HASH: hash }) },
    }),
  );
}

describe("InitiateAuth USER_PASSWORD_AUTH", () => {
  test("returns ID, access and refresh tokens with ExpiresIn and TokenType", async () => {
    const email = uniqueEmail();
    const sub = await signUpConfirmed(t, email);
    const result = await signIn(email, PASSWORD);
    expect(result.ChallengeName).toBeUndefined();
    expect(result.ChallengeParameters).toEqual({});
    expect(result.AuthenticationResult).toMatchObject({ ExpiresIn: 3600, TokenType: "Bearer" });
    expect(result.AuthenticationResult!.RefreshToken).toMatch(/^[A-Za-z0-9\-_=.]+$/);
    expect(decodeJwt(result.AuthenticationResult!.AccessToken!)).toMatchObject({ sub, username: sub, token_use: "access" });
  });

  test("accepts the internal username as USERNAME", async () => {
    const email = uniqueEmail();
    const sub = await signUpConfirmed(t, email);
    const result = await signIn(sub, PASSWORD);
    expect(result.AuthenticationResult?.IdToken).toBeDefined();
  });

  test("refuses a wrong password", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    await expectCognitoError(signIn(email, "Wrong-Password-1"), "NotAuthorizedException", "Incorrect username or password.");
  });

  test("answers an unknown user exactly like a wrong password", async () => {
    await expectCognitoError(signIn(uniqueEmail("ghost"), PASSWORD), "NotAuthorizedException", "Incorrect username or password.");
  });

  test("reveals an unknown user on a LEGACY client", async () => {
    await expectCognitoError(signIn(uniqueEmail("ghost"), PASSWORD, { clientId: legacyClientId, hash: null }), "UserNotFoundException", "User does not exist.");
  });

  test("tells an unconfirmed user with the right password to confirm", async () => {
    const email = uniqueEmail();
    await signUp(t, email);
    await expectCognitoError(signIn(email, PASSWORD), "UserNotConfirmedException", "User is not confirmed.");
  });

  test("answers UserNotConfirmedException for an unconfirmed account whatever the password, as Cognito does", async () => {
    const email = uniqueEmail();
    await signUp(t, email);
    await expectCognitoError(signIn(email, "Wrong-Password-1"), "UserNotConfirmedException", "User is not confirmed.");
    await expectCognitoError(signIn(email, PASSWORD), "UserNotConfirmedException", "User is not confirmed.");
  });

  test("counts no failed password for an unconfirmed account (the password is never judged)", async () => {
    const email = uniqueEmail();
    await signUp(t, email);
    for (let attempt = 0; attempt < 7; attempt += 1) {
      await expectCognitoError(signIn(email, "Wrong-Password-1"), "UserNotConfirmedException");
    }
    await t.cognito.send(
      new ConfirmSignUpCommand({ ClientId: bff.clientId, Username: email, ConfirmationCode: await latestCode(t.emulator.url, email), SecretHash: secretHash(email) }),
    );
    expect((await passwordSignIn(t, email)).AccessToken).toBeDefined();
  });

  test("locks the user out after five failed passwords, even for the right one", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await expectCognitoError(signIn(email, "Wrong-Password-1"), "NotAuthorizedException", "Incorrect username or password.");
    }
    await expectCognitoError(signIn(email, PASSWORD), "NotAuthorizedException", "Password attempts exceeded");
  });

  test("lets the user in again once the lockout has passed", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    for (let attempt = 0; attempt < 5; attempt += 1) await expectCognitoError(signIn(email, "Wrong-Password-1"), "NotAuthorizedException");
    clock.advance(1500);
    expect((await signIn(email, PASSWORD)).AuthenticationResult).toBeDefined();
  });

  test("refuses the flow on a client that does not enable it", async () => {
    await expectCognitoError(
      signIn(uniqueEmail(), PASSWORD, { clientId: customOnlyClientId, hash: null }),
      "InvalidParameterException",
      "USER_PASSWORD_AUTH flow not enabled for this client",
    );
  });

  test("refuses a missing SECRET_HASH", async () => {
    await expectCognitoError(
      signIn(uniqueEmail(), PASSWORD, { hash: null }),
      "NotAuthorizedException",
      `Client ${passwordClient.clientId} is configured with secret but SECRET_HASH was not received`,
    );
  });

  test("refuses a wrong SECRET_HASH", async () => {
    await expectCognitoError(
      signIn(uniqueEmail(), PASSWORD, { hash: passwordClientSecretHash("someone-else@example.com") }),
      "NotAuthorizedException",
      `Unable to verify secret hash for client ${passwordClient.clientId}`,
    );
  });

  test("requires the PASSWORD parameter", async () => {
    const email = uniqueEmail();
    await expectCognitoError(
      t.cognito.send(
        new InitiateAuthCommand({
          AuthFlow: "USER_PASSWORD_AUTH",
          ClientId: passwordClient.clientId,
          AuthParameters: { USERNAME: email, SECRET_HASH: passwordClientSecretHash(email) },
        }),
      ),
      "InvalidParameterException",
      "Missing required parameter PASSWORD",
    );
  });

  test("refuses an AuthFlow outside the API's enumeration", async () => {
    await expectCognitoError(
      t.cognito.send(new InitiateAuthCommand({ AuthFlow: "MAGIC_LINK" as "USER_PASSWORD_AUTH", ClientId: bff.clientId })),
      "InvalidParameterException",
      /^1 validation error detected: Value at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: \[USER_SRP_AUTH, /,
    );
  });

  test("refuses admin flows on the public API", async () => {
    await expectCognitoError(
      t.cognito.send(new InitiateAuthCommand({ AuthFlow: "ADMIN_USER_PASSWORD_AUTH", ClientId: bff.clientId })),
      "InvalidParameterException",
      "Initiate Auth method not supported.",
    );
  });
});

test("the BFF's client refuses USER_PASSWORD_AUTH (its password runs inside CUSTOM_AUTH)", async () => {
  const email = uniqueEmail();
  await signUpConfirmed(t, email);
  await expectCognitoError(
    t.cognito.send(
      new InitiateAuthCommand({ AuthFlow: "USER_PASSWORD_AUTH", ClientId: bff.clientId, AuthParameters: { USERNAME: email, PASSWORD, SECRET_HASH: secretHash(email) } }),
    ),
    "InvalidParameterException",
    "USER_PASSWORD_AUTH flow not enabled for this client",
  );
});

test("helper signs in through the SDK", async () => {
  const email = uniqueEmail();
  await signUpConfirmed(t, email);
  expect((await passwordSignIn(t, email)).AccessToken).toBeDefined();
});
