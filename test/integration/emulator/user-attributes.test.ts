import {
  DeleteUserCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  InitiateAuthCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localConfigSchema } from "../../../common/local-config";
import {
  PASSWORD,
  type TestEmulator,
  bff,
  config,
  expectCognitoError,
  latestCode,
  otherCode,
  outboxFor,
  passwordClient,
  passwordClientSecretHash,
  passwordSignIn,
  passwordStepToCode,
  secretHash,
  signUpConfirmed,
  startTestEmulator,
  testClock,
  uniqueEmail,
} from "./support";

/**
 * The user's own attribute and account operations through the unmodified SDK
 * (docs/cognito-behaviour.md, "Changing the email"): UpdateUserAttributes, GetUserAttributeVerificationCode,
 * VerifyUserAttribute and DeleteUser, with the pool keeping the original email until the new one is verified.
 */

async function attributesOf(t: TestEmulator, accessToken: string): Promise<Record<string, string>> {
  const { UserAttributes } = await t.cognito.send(new GetUserCommand({ AccessToken: accessToken }));
  return Object.fromEntries((UserAttributes ?? []).map(({ Name, Value }) => [Name!, Value!]));
}

function signInWith(t: TestEmulator, email: string) {
  return t.cognito.send(
    new InitiateAuthCommand({
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: passwordClient.clientId,
      AuthParameters: { USERNAME: email, PASSWORD, SECRET_HASH: passwordClientSecretHash(email) },
    }),
  );
}

describe("UpdateUserAttributes and VerifyUserAttribute (keep the original email until verified)", () => {
  const clock = testClock();
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator({ now: clock.now });
  });
  afterAll(() => t.stop());

  it("keeps the old email signing in and verified until the code sent to the new address is verified", async () => {
    const email = uniqueEmail("keep");
    const next = uniqueEmail("next");
    await signUpConfirmed(t, email);
    const { AccessToken } = await passwordSignIn(t, email);
    const { CodeDeliveryDetailsList } = await t.cognito.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: "email", Value: next }] }));
    expect(CodeDeliveryDetailsList).toEqual([{ AttributeName: "email", DeliveryMedium: "EMAIL", Destination: `${next.charAt(0)}***@e***` }]);
    const [message] = await outboxFor(t.emulator.url, next);
    expect(message).toMatchObject({ subject: "Confirm your new Tobira email address", html: expect.stringContaining(message!.code) });

    expect(await attributesOf(t, AccessToken!)).toMatchObject({ email, email_verified: "true" });
    await expectCognitoError(signInWith(t, next), "NotAuthorizedException");
    await expect(signInWith(t, email)).resolves.toMatchObject({ AuthenticationResult: expect.any(Object) });

    await t.cognito.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: "email", Code: message!.code }));
    expect(await attributesOf(t, AccessToken!)).toMatchObject({ email: next, email_verified: "true" });
    await expect(signInWith(t, next)).resolves.toMatchObject({ AuthenticationResult: expect.any(Object) });
    await expectCognitoError(signInWith(t, email), "NotAuthorizedException");
  });

  it("refuses a wrong code with CodeMismatchException and a code past 24 hours with ExpiredCodeException", async () => {
    const email = uniqueEmail("codes");
    const next = uniqueEmail("codes-next");
    await signUpConfirmed(t, email);
    const first = await passwordSignIn(t, email);
    await t.cognito.send(new UpdateUserAttributesCommand({ AccessToken: first.AccessToken, UserAttributes: [{ Name: "email", Value: next }] }));
    const code = await latestCode(t.emulator.url, next);
    await expectCognitoError(
      t.cognito.send(new VerifyUserAttributeCommand({ AccessToken: first.AccessToken, AttributeName: "email", Code: otherCode(code) })),
      "CodeMismatchException",
      "Invalid verification code provided, please try again.",
    );
    clock.advance(24 * 3600_000 + 1000);
    // A fresh sign-in: the first access token has expired too.
    const later = await passwordSignIn(t, email);
    await expectCognitoError(
      t.cognito.send(new VerifyUserAttributeCommand({ AccessToken: later.AccessToken, AttributeName: "email", Code: code })),
      "ExpiredCodeException",
      "Invalid code provided, please request a code again.",
    );
    expect(await attributesOf(t, later.AccessToken!)).toMatchObject({ email });
  });

  it("sends another code to the pending address with GetUserAttributeVerificationCode; only the newest code verifies", async () => {
    const email = uniqueEmail("resend");
    const next = uniqueEmail("resend-next");
    await signUpConfirmed(t, email);
    const { AccessToken } = await passwordSignIn(t, email);
    await t.cognito.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: "email", Value: next }] }));
    const first = await latestCode(t.emulator.url, next);
    const { CodeDeliveryDetails } = await t.cognito.send(new GetUserAttributeVerificationCodeCommand({ AccessToken, AttributeName: "email" }));
    expect(CodeDeliveryDetails).toMatchObject({ AttributeName: "email", DeliveryMedium: "EMAIL" });
    const second = await latestCode(t.emulator.url, next);
    if (first !== second) {
      await expectCognitoError(t.cognito.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: "email", Code: first })), "CodeMismatchException");
    }
    await t.cognito.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: "email", Code: second }));
    expect(await attributesOf(t, AccessToken!)).toMatchObject({ email: next });
  });

  it("refuses an email another account signs in with: AliasExistsException", async () => {
    const email = uniqueEmail("alias");
    const taken = uniqueEmail("taken");
    await signUpConfirmed(t, email);
    await signUpConfirmed(t, taken);
    const { AccessToken } = await passwordSignIn(t, email);
    await expectCognitoError(
      t.cognito.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: "email", Value: taken }] })),
      "AliasExistsException",
      "An account with the given email already exists.",
    );
  });

  it("refuses read-only and unknown attributes and a malformed email", async () => {
    const email = uniqueEmail("refuse");
    await signUpConfirmed(t, email);
    const { AccessToken } = await passwordSignIn(t, email);
    await expectCognitoError(
      t.cognito.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: "email_verified", Value: "true" }] })),
      "NotAuthorizedException",
    );
    await expectCognitoError(
      t.cognito.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: "custom:x", Value: "1" }] })),
      "InvalidParameterException",
    );
    await expectCognitoError(
      t.cognito.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: "email", Value: "not-an-address" }] })),
      "InvalidParameterException",
      "Invalid email address format.",
    );
  });

  it("refuses VerifyUserAttribute without a code requested: ExpiredCodeException", async () => {
    const email = uniqueEmail("nocode");
    await signUpConfirmed(t, email);
    const { AccessToken } = await passwordSignIn(t, email);
    await expectCognitoError(t.cognito.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: "email", Code: "123456" })), "ExpiredCodeException");
  });

  it("limits VerifyUserAttribute to 15 checks per user an hour: LimitExceededException", async () => {
    const email = uniqueEmail("verify-quota");
    const next = uniqueEmail("verify-quota-next");
    await signUpConfirmed(t, email);
    const { AccessToken } = await passwordSignIn(t, email);
    await t.cognito.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: "email", Value: next }] }));
    const wrong = otherCode(await latestCode(t.emulator.url, next));
    for (let attempt = 0; attempt < 15; attempt += 1) {
      await expectCognitoError(t.cognito.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: "email", Code: wrong })), "CodeMismatchException");
    }
    await expectCognitoError(t.cognito.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: "email", Code: wrong })), "LimitExceededException");
  });
});

describe("UpdateUserAttributes without keeping the original value", () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator({ config: localConfigSchema.parse({ ...config, userPool: { ...config.userPool, attributesRequireVerificationBeforeUpdate: [] } }) });
  });
  afterAll(() => t.stop());

  it("replaces the email at once, unverified, and sends the code to the new address", async () => {
    const email = uniqueEmail("replace");
    const next = uniqueEmail("replace-next");
    await signUpConfirmed(t, email);
    const { AccessToken } = await passwordSignIn(t, email);
    await t.cognito.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: "email", Value: next }] }));
    expect(await attributesOf(t, AccessToken!)).toMatchObject({ email: next, email_verified: "false" });
    await t.cognito.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: "email", Code: await latestCode(t.emulator.url, next) }));
    expect(await attributesOf(t, AccessToken!)).toMatchObject({ email: next, email_verified: "true" });
  });

  it("sends no sign-in code to the replaced, still unverified email: the code round fails", async () => {
    const email = uniqueEmail("unverified");
    const next = uniqueEmail("unverified-next");
    const sub = await signUpConfirmed(t, email);
    const { AccessToken } = await passwordSignIn(t, email);
    await t.cognito.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: "email", Value: next }] }));
    const mailsToNext = (await outboxFor(t.emulator.url, next)).length;
    const mailsToOld = (await outboxFor(t.emulator.url, email)).length;
    await expectCognitoError(passwordStepToCode(t, sub), "UserLambdaValidationException", /^CreateAuthChallenge failed with error The user has no verified/);
    expect(await outboxFor(t.emulator.url, next)).toHaveLength(mailsToNext);
    expect(await outboxFor(t.emulator.url, email)).toHaveLength(mailsToOld);
  });
});

describe("DeleteUser", () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator();
  });
  afterAll(() => t.stop());

  it("deletes the signed-in user: its access token, its refresh token and a sign-in meet a deleted user", async () => {
    const email = uniqueEmail("delete");
    await signUpConfirmed(t, email);
    const { AccessToken, RefreshToken } = await passwordSignIn(t, email);
    const user = await t.cognito.send(new GetUserCommand({ AccessToken }));
    await expect(t.cognito.send(new DeleteUserCommand({ AccessToken }))).resolves.toBeDefined();
    await expectCognitoError(t.cognito.send(new GetUserCommand({ AccessToken })), "UserNotFoundException", "User does not exist.");
    await expectCognitoError(t.cognito.send(new DeleteUserCommand({ AccessToken })), "UserNotFoundException");
    await expectCognitoError(signInWith(t, email), "NotAuthorizedException");
    await expectCognitoError(
      t.cognito.send(
        new InitiateAuthCommand({
          AuthFlow: "REFRESH_TOKEN_AUTH",
          ClientId: bff.clientId,
          AuthParameters: { REFRESH_TOKEN: RefreshToken!, SECRET_HASH: secretHash(user.Username!) },
        }),
      ),
      "UserNotFoundException",
    );
  });

  it("refuses a malformed access token", async () => {
    await expectCognitoError(t.cognito.send(new DeleteUserCommand({ AccessToken: "not.a.token" })), "NotAuthorizedException");
  });
});

describe("POST /_local/outbox (the BFF's security mails, locally)", () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator();
  });
  afterAll(() => t.stop());

  it("keeps a mail with its text and HTML in the outbox, without a code", async () => {
    const to = uniqueEmail("notice");
    const response = await fetch(`${t.emulator.url}/_local/outbox`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ to, subject: "Your password was changed", text: "plain", html: "<p>html</p>" }),
    });
    expect(response.status).toBe(201);
    expect(await outboxFor(t.emulator.url, to)).toEqual([
      expect.objectContaining({ to, subject: "Your password was changed", text: "plain", html: "<p>html</p>", code: "" }),
    ]);
  });

  it("refuses a mail without a recipient or subject with 400 and keeps nothing", async () => {
    const response = await fetch(`${t.emulator.url}/_local/outbox`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text: "x" }),
    });
    expect(response.status).toBe(400);
  });
});
