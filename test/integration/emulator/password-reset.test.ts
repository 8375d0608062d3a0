import { ChangePasswordCommand, ConfirmForgotPasswordCommand, ForgotPasswordCommand, GlobalSignOutCommand } from "@aws-sdk/client-cognito-identity-provider";
import {
  PASSWORD,
  type TestEmulator,
  bff,
  expectCognitoError,
  latestCode,
  legacyClientId,
  otherCode,
  outboxFor,
  passwordSignIn,
  secretHash,
  signUp,
  signUpConfirmed,
  startTestEmulator,
  testClock,
  uniqueEmail,
} from "./support";

const NEW_PASSWORD = "Brand-New-Pass-7";
const clock = testClock();
let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator({ now: clock.now });
});
afterAll(async () => {
  await t.stop();
});

function forgot(email: string, clientId = bff.clientId) {
  return t.cognito.send(new ForgotPasswordCommand({ ClientId: clientId, Username: email, ...(clientId === bff.clientId ? { SecretHash: secretHash(email) } : {}) }));
}

function confirmForgot(email: string, code: string, password = NEW_PASSWORD) {
  return t.cognito.send(
    new ConfirmForgotPasswordCommand({ ClientId: bff.clientId, Username: email, ConfirmationCode: code, Password: password, SecretHash: secretHash(email) }),
  );
}

describe("ForgotPassword / ConfirmForgotPassword", () => {
  test("sends a reset code; the code sets a new password and the old one stops working", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const result = await forgot(email);
    expect(result.CodeDeliveryDetails).toEqual({ DeliveryMedium: "EMAIL", AttributeName: "email", Destination: "u***@e***" });
    const [message] = await outboxFor(t.emulator.url, email);
    expect(message).toMatchObject({ subject: "Reset your Tobira password" });

    await confirmForgot(email, message!.code);
    expect((await passwordSignIn(t, email, NEW_PASSWORD)).AccessToken).toBeDefined();
    await expectCognitoError(passwordSignIn(t, email, PASSWORD), "NotAuthorizedException", "Incorrect username or password.");
  });

  test("refuses a wrong reset code", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    await forgot(email);
    const code = await latestCode(t.emulator.url, email);
    await expectCognitoError(confirmForgot(email, otherCode(code)), "CodeMismatchException", "Invalid verification code provided, please try again.");
  });

  test("refuses a reset code a second time", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    await forgot(email);
    const code = await latestCode(t.emulator.url, email);
    await confirmForgot(email, code);
    await expectCognitoError(confirmForgot(email, code, "Another-Pass-8"), "ExpiredCodeException", "Invalid code provided, please request a code again.");
  });

  test("refuses a code when none was requested", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    await expectCognitoError(confirmForgot(email, "123456"), "ExpiredCodeException");
  });

  test("refuses a reset code older than one hour", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    await forgot(email);
    const code = await latestCode(t.emulator.url, email);
    clock.advance(3600_000 + 1000);
    await expectCognitoError(confirmForgot(email, code), "ExpiredCodeException");
  });

  test("refuses a new password that breaks the policy, keeping the code usable", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    await forgot(email);
    const code = await latestCode(t.emulator.url, email);
    await expectCognitoError(confirmForgot(email, code, "weakpass"), "InvalidPasswordException", /^Password did not conform with policy: /);
    await confirmForgot(email, code);
  });

  test("simulates a delivery for an unknown user and sends nothing", async () => {
    const email = uniqueEmail("ghost");
    const result = await forgot(email);
    expect(result.CodeDeliveryDetails).toEqual({ DeliveryMedium: "EMAIL", AttributeName: "email", Destination: "g***@e***" });
    expect(await outboxFor(t.emulator.url, email)).toEqual([]);
  });

  test("simulates a delivery for a user without a verified email", async () => {
    const email = uniqueEmail();
    await signUp(t, email);
    await forgot(email);
    expect((await outboxFor(t.emulator.url, email)).map((message) => message.subject)).toEqual(["Confirm your Tobira account"]);
  });

  test("reveals an unknown user on a LEGACY client", async () => {
    await expectCognitoError(forgot(uniqueEmail("ghost"), legacyClientId), "UserNotFoundException", "Username/client id combination not found.");
  });

  test("answers a reset for an unknown user with a code mismatch", async () => {
    await expectCognitoError(confirmForgot(uniqueEmail("ghost"), "123456"), "CodeMismatchException");
  });

  test("refuses a missing SecretHash", async () => {
    await expectCognitoError(
      t.cognito.send(new ForgotPasswordCommand({ ClientId: bff.clientId, Username: uniqueEmail() })),
      "NotAuthorizedException",
      `Client ${bff.clientId} is configured for secret but secret was not received`,
    );
  });
});

describe("ChangePassword", () => {
  function change(accessToken: string, previous: string, proposed: string) {
    return t.cognito.send(new ChangePasswordCommand({ AccessToken: accessToken, PreviousPassword: previous, ProposedPassword: proposed }));
  }

  test("replaces the password of the signed-in user", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const tokens = await passwordSignIn(t, email);
    await change(tokens.AccessToken!, PASSWORD, NEW_PASSWORD);
    expect((await passwordSignIn(t, email, NEW_PASSWORD)).AccessToken).toBeDefined();
  });

  test("refuses a wrong previous password", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const tokens = await passwordSignIn(t, email);
    await expectCognitoError(change(tokens.AccessToken!, "Not-The-Password-1", NEW_PASSWORD), "NotAuthorizedException", "Incorrect username or password.");
  });

  test("refuses a proposed password that breaks the policy", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const tokens = await passwordSignIn(t, email);
    await expectCognitoError(
      change(tokens.AccessToken!, PASSWORD, "short"),
      "InvalidPasswordException",
      "Password did not conform with policy: Password not long enough",
    );
  });

  test("refuses a revoked access token", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const tokens = await passwordSignIn(t, email);
    await t.cognito.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken! }));
    await expectCognitoError(change(tokens.AccessToken!, PASSWORD, NEW_PASSWORD), "NotAuthorizedException", "Access Token has been revoked");
  });

  test("meets repeated wrong previous passwords with the attempt limit", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const tokens = await passwordSignIn(t, email);
    for (let attempt = 0; attempt < 5; attempt += 1) await expectCognitoError(change(tokens.AccessToken!, "Not-The-Password-1", NEW_PASSWORD), "NotAuthorizedException");
    await expectCognitoError(change(tokens.AccessToken!, PASSWORD, NEW_PASSWORD), "LimitExceededException", "Attempt limit exceeded, please try after some time.");
  });
});
