import { AdminGetUserCommand, ConfirmSignUpCommand, ResendConfirmationCodeCommand, SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import {
  PASSWORD,
  type TestEmulator,
  bff,
  expectCognitoError,
  latestCode,
  legacyClientId,
  otherCode,
  outboxFor,
  poolId,
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

function confirm(email: string, code: string, clientId = bff.clientId) {
  return t.cognito.send(
    new ConfirmSignUpCommand({
      ClientId: clientId,
      Username: email,
      ConfirmationCode: code,
      ...(clientId === bff.clientId ? { SecretHash: secretHash(email) } : {}),
    }),
  );
}

describe("SignUp", () => {
  test("creates an unconfirmed user under a UUID username and emails a 6-digit code", async () => {
    const email = uniqueEmail();
    const result = await signUp(t, email);
    expect(result.UserConfirmed).toBe(false);
    expect(result.UserSub).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.CodeDeliveryDetails).toEqual({ DeliveryMedium: "EMAIL", AttributeName: "email", Destination: "u***@e***" });

    const [message] = await outboxFor(t.emulator.url, email);
    // Worded by the pool's CustomMessage trigger (test/integration/emulator/custom-message.test.ts).
    expect(message).toMatchObject({ to: email, subject: "Confirm your Tobira account" });
    expect(message!.code).toMatch(/^\d{6}$/);
    expect(message!.text).toContain(message!.code);

    const user = await t.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
    expect(user.Username).toBe(result.UserSub);
    expect(user.UserStatus).toBe("UNCONFIRMED");
  });

  test("refuses an email that already has an account", async () => {
    const email = uniqueEmail();
    await signUp(t, email);
    await expectCognitoError(signUp(t, email.toUpperCase()), "UsernameExistsException", "An account with the given email already exists.");
  });

  test.each([
    ["too short", "Sh0rt-p", "Password not long enough"],
    ["without lowercase", "ALLUPPER-123", "Password must have lowercase characters"],
    ["without uppercase", "alllower-123", "Password must have uppercase characters"],
    ["without numbers", "NoNumbers-here", "Password must have numeric characters"],
    ["without symbols", "NoSymbols123", "Password must have symbol characters"],
  ])("refuses a password %s", async (_case, password, reason) => {
    await expectCognitoError(signUp(t, uniqueEmail(), password), "InvalidPasswordException", `Password did not conform with policy: ${reason}`);
  });

  test("refuses a call without SecretHash from a client that has a secret", async () => {
    await expectCognitoError(
      t.cognito.send(new SignUpCommand({ ClientId: bff.clientId, Username: uniqueEmail(), Password: PASSWORD })),
      "NotAuthorizedException",
      `Client ${bff.clientId} is configured for secret but secret was not received`,
    );
  });

  test("refuses a SecretHash computed for another username", async () => {
    const email = uniqueEmail();
    await expectCognitoError(
      t.cognito.send(new SignUpCommand({ ClientId: bff.clientId, Username: email, Password: PASSWORD, SecretHash: secretHash(`x${email}`) })),
      "NotAuthorizedException",
      `Unable to verify secret hash for client ${bff.clientId}`,
    );
  });

  test("requires an email as the username in an email-username pool", async () => {
    await expectCognitoError(
      t.cognito.send(new SignUpCommand({ ClientId: bff.clientId, Username: "not-an-email", Password: PASSWORD, SecretHash: secretHash("not-an-email") })),
      "InvalidParameterException",
      "Username should be an email.",
    );
  });

  test("refuses an unknown app client", async () => {
    await expectCognitoError(
      t.cognito.send(new SignUpCommand({ ClientId: "nosuchclient", Username: uniqueEmail(), Password: PASSWORD })),
      "ResourceNotFoundException",
      "User pool client nosuchclient does not exist.",
    );
  });

  test("refuses a username longer than the API allows", async () => {
    const email = `${"a".repeat(120)}@example.com`;
    await expectCognitoError(
      t.cognito.send(new SignUpCommand({ ClientId: bff.clientId, Username: email, Password: PASSWORD, SecretHash: secretHash(email) })),
      "InvalidParameterException",
      "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must have length less than or equal to 128",
    );
  });

  test("refuses a client setting email_verified itself", async () => {
    const email = uniqueEmail();
    await expectCognitoError(
      t.cognito.send(
        new SignUpCommand({
          ClientId: bff.clientId,
          Username: email,
          Password: PASSWORD,
          SecretHash: secretHash(email),
          UserAttributes: [{ Name: "email_verified", Value: "true" }],
        }),
      ),
      "NotAuthorizedException",
      "A client attempted to write unauthorized attribute",
    );
  });

  test("refuses an attribute the pool's schema does not have", async () => {
    const email = uniqueEmail();
    await expectCognitoError(
      t.cognito.send(
        new SignUpCommand({
          ClientId: bff.clientId,
          Username: email,
          Password: PASSWORD,
          SecretHash: secretHash(email),
          UserAttributes: [{ Name: "custom:team", Value: "x" }],
        }),
      ),
      "InvalidParameterException",
      "Attributes did not conform to the schema: custom:team: Attribute does not exist in the schema.",
    );
  });
});

describe("ConfirmSignUp", () => {
  test("confirms the user and verifies the email with the right code", async () => {
    const email = uniqueEmail();
    await signUp(t, email);
    await confirm(email, await latestCode(t.emulator.url, email));
    const user = await t.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
    expect(user.UserStatus).toBe("CONFIRMED");
    expect(user.UserAttributes).toContainEqual({ Name: "email_verified", Value: "true" });
  });

  test("refuses a wrong code", async () => {
    const email = uniqueEmail();
    await signUp(t, email);
    const code = await latestCode(t.emulator.url, email);
    await expectCognitoError(confirm(email, otherCode(code)), "CodeMismatchException", "Invalid verification code provided, please try again.");
  });

  test("refuses a code that a resend replaced", async () => {
    const email = uniqueEmail();
    await signUp(t, email);
    const first = await latestCode(t.emulator.url, email);
    let second = first;
    // Six random digits can repeat; resend until the new code differs (1 in a million per draw).
    for (let tries = 0; second === first && tries < 3; tries += 1) {
      await t.cognito.send(new ResendConfirmationCodeCommand({ ClientId: bff.clientId, Username: email, SecretHash: secretHash(email) }));
      second = await latestCode(t.emulator.url, email);
    }
    await expectCognitoError(confirm(email, first), "CodeMismatchException");
    await confirm(email, second);
  });

  test("refuses a second confirmation with the same code", async () => {
    const email = uniqueEmail();
    await signUp(t, email);
    const code = await latestCode(t.emulator.url, email);
    await confirm(email, code);
    await expectCognitoError(confirm(email, code), "NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED");
  });

  test("refuses to confirm an already confirmed user", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    await expectCognitoError(confirm(email, "123456"), "NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED");
  });

  test("refuses a code older than 24 hours", async () => {
    const email = uniqueEmail();
    await signUp(t, email);
    const code = await latestCode(t.emulator.url, email);
    clock.advance(24 * 3600_000 + 1000);
    await expectCognitoError(confirm(email, code), "ExpiredCodeException", "Invalid code provided, please request a code again.");
  });

  test("answers an unknown user with a code mismatch when existence errors are prevented", async () => {
    await expectCognitoError(confirm(uniqueEmail("ghost"), "123456"), "CodeMismatchException");
  });

  test("answers an unknown user with UserNotFoundException on a LEGACY client", async () => {
    await expectCognitoError(confirm(uniqueEmail("ghost"), "123456", legacyClientId), "UserNotFoundException", "Username/client id combination not found.");
  });
});

describe("ResendConfirmationCode", () => {
  test("sends a new code to the user's email", async () => {
    const email = uniqueEmail();
    await signUp(t, email);
    const result = await t.cognito.send(new ResendConfirmationCodeCommand({ ClientId: bff.clientId, Username: email, SecretHash: secretHash(email) }));
    expect(result.CodeDeliveryDetails).toEqual({ DeliveryMedium: "EMAIL", AttributeName: "email", Destination: "u***@e***" });
    expect(await outboxFor(t.emulator.url, email)).toHaveLength(2);
  });

  test("simulates a delivery for an unknown user and sends nothing", async () => {
    const email = uniqueEmail("ghost");
    const result = await t.cognito.send(new ResendConfirmationCodeCommand({ ClientId: bff.clientId, Username: email, SecretHash: secretHash(email) }));
    expect(result.CodeDeliveryDetails).toEqual({ DeliveryMedium: "EMAIL", AttributeName: "email", Destination: "g***@e***" });
    expect(await outboxFor(t.emulator.url, email)).toEqual([]);
  });

  test("refuses a user who is already confirmed", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    await expectCognitoError(
      t.cognito.send(new ResendConfirmationCodeCommand({ ClientId: bff.clientId, Username: email, SecretHash: secretHash(email) })),
      "InvalidParameterException",
      "User is already confirmed.",
    );
  });

  test("refuses a missing SecretHash", async () => {
    await expectCognitoError(
      t.cognito.send(new ResendConfirmationCodeCommand({ ClientId: bff.clientId, Username: uniqueEmail() })),
      "NotAuthorizedException",
      `Client ${bff.clientId} is configured for secret but secret was not received`,
    );
  });
});

describe("SignUp password shape", () => {
  test("accepts a space inside the password as its symbol", async () => {
    const result = await signUp(t, uniqueEmail(), "Correct Horse 9");
    expect(result.UserConfirmed).toBe(false);
  });

  test("refuses a password with a trailing space", async () => {
    await expectCognitoError(
      signUp(t, uniqueEmail(), "Correct-Horse-9 "),
      "InvalidParameterException",
      "1 validation error detected: Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\\S]+.*[\\S]+$",
    );
  });
});
