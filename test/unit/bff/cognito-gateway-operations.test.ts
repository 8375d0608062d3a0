import { createHmac } from "node:crypto";
import * as sdk from "@aws-sdk/client-cognito-identity-provider";
import { describe, expect, it } from "vitest";
import { createCognitoGateway, type CognitoGateway } from "../../../bff/cognito/cognito-gateway";
import { loadBffConfig } from "../../../bff/config";
import { createLogger } from "../../../bff/logger";

/**
 * The gateway operation by operation, against a stand-in for the SDK client's `send`: which
 * Cognito command each method sends, with which parameters (the SECRET_HASH computed here on its
 * own, as the Cognito developer guide defines it: Base64(HMAC-SHA256(client secret, username +
 * client id))), how it reads the answer, and which of the error table's rows its failures take.
 */

const settings = loadBffConfig({}).cognito;
const { clientId, clientSecret, userPoolId } = settings;
const expectedSecretHash = (username: string) =>
  createHmac("sha256", clientSecret)
    .update(username + clientId)
    .digest("base64");

const email = "alice@example.com";
const username = "0b6f6d1e-internal";
const session = "s".repeat(40);
const accessToken = "access-token-1";
const refreshToken = "refresh-token-1";

type SentCommand = { name: string; input: Record<string, unknown> };
type Answer = (command: SentCommand) => unknown;

function gatewayWith(answer: Answer = () => ({})): { gateway: CognitoGateway; sent: SentCommand[]; logLines: Record<string, unknown>[] } {
  const sent: SentCommand[] = [];
  const logLines: Record<string, unknown>[] = [];
  const client = {
    async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
      const entry = { name: command.constructor.name, input: command.input };
      sent.push(entry);
      const result = answer(entry);
      if (result instanceof Error) throw result;
      return result;
    },
  } as unknown as sdk.CognitoIdentityProviderClient;
  const logger = createLogger("debug", { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) });
  return { gateway: createCognitoGateway({ client, settings, logger }), sent, logLines };
}

type ExceptionClass = new (options: { message: string; $metadata: { httpStatusCode: number } }) => Error;
function cognitoError(name: keyof typeof sdk, message = "Cognito's own words", httpStatusCode = 400): Error {
  const Exception = sdk[name] as unknown as ExceptionClass;
  return new Exception({ message, $metadata: { httpStatusCode } });
}

const tokens = { IdToken: "id-1", AccessToken: "access-1", RefreshToken: "refresh-1", ExpiresIn: 900 };
/** The failed round as the user sees it: start again, in words (exposed), not a generic 502. */
const startAgain = { status: 502, code: "challenge_failed", expose: true, message: "Sign-in could not be completed. Start again." };
const emailDelivery = { CodeDeliveryDetails: { DeliveryMedium: "EMAIL", Destination: "a***@e***", AttributeName: "email" } };

describe("the command and parameters each operation sends", () => {
  it("signUp sends SignUp with the email as username and attribute, the password and the email's SECRET_HASH", async () => {
    const { gateway, sent } = gatewayWith(() => ({ UserSub: "sub-1", UserConfirmed: false, ...emailDelivery }));
    expect(await gateway.signUp({ email, password: "Correct-Horse-9" })).toEqual({
      userSub: "sub-1",
      userConfirmed: false,
      delivery: { medium: "EMAIL", destination: "a***@e***" },
    });
    expect(sent).toEqual([
      {
        name: "SignUpCommand",
        input: {
          ClientId: clientId,
          SecretHash: expectedSecretHash(email),
          Username: email,
          Password: "Correct-Horse-9",
          UserAttributes: [{ Name: "email", Value: email }],
        },
      },
    ]);
  });

  it("signUp stores the SPA's language as the user's locale attribute, which picks the language of their mails", async () => {
    const { gateway, sent } = gatewayWith(() => ({ UserSub: "sub-1", UserConfirmed: false, ...emailDelivery }));
    await gateway.signUp({ email, password: "Correct-Horse-9", locale: "ja" });
    expect(sent[0]!.input["UserAttributes"]).toEqual([
      { Name: "email", Value: email },
      { Name: "locale", Value: "ja" },
    ]);
  });

  it("signUp reads a confirmed sign-up and keeps Cognito's user sub", async () => {
    const { gateway } = gatewayWith(() => ({ UserSub: "sub-2", UserConfirmed: true }));
    expect(await gateway.signUp({ email, password: "Correct-Horse-9" })).toEqual({
      userSub: "sub-2",
      userConfirmed: true,
      delivery: { medium: "EMAIL", destination: "a***@e***" },
    });
  });

  it("signUp answers an unconfirmed, sub-less sign-up when Cognito leaves the fields out", async () => {
    const { gateway } = gatewayWith(() => ({}));
    expect(await gateway.signUp({ email, password: "Correct-Horse-9" })).toMatchObject({ userSub: "", userConfirmed: false });
  });

  it("confirmSignUp sends ConfirmSignUp with the code and the email's SECRET_HASH", async () => {
    const { gateway, sent } = gatewayWith();
    await gateway.confirmSignUp({ email, code: "123456" });
    expect(sent).toEqual([
      { name: "ConfirmSignUpCommand", input: { ClientId: clientId, SecretHash: expectedSecretHash(email), Username: email, ConfirmationCode: "123456" } },
    ]);
  });

  it("resendConfirmationCode sends ResendConfirmationCode with the email's SECRET_HASH", async () => {
    const { gateway, sent } = gatewayWith(() => emailDelivery);
    await gateway.resendConfirmationCode({ email });
    expect(sent).toEqual([{ name: "ResendConfirmationCodeCommand", input: { ClientId: clientId, SecretHash: expectedSecretHash(email), Username: email } }]);
  });

  it("startCustomAuth sends InitiateAuth CUSTOM_AUTH with the username's SECRET_HASH and answers the challenge", async () => {
    const { gateway, sent } = gatewayWith(() => ({ ChallengeName: "CUSTOM_CHALLENGE", Session: session, ChallengeParameters: { USERNAME: username, step: "OTP" } }));
    expect(await gateway.startCustomAuth({ username: email })).toEqual({ session, username, parameters: { step: "OTP" } });
    expect(sent).toEqual([
      {
        name: "InitiateAuthCommand",
        input: { ClientId: clientId, AuthFlow: "CUSTOM_AUTH", AuthParameters: { USERNAME: email, SECRET_HASH: expectedSecretHash(email) } },
      },
    ]);
  });

  it("respondToCustomChallenge sends the answer with the internal username's SECRET_HASH, the session and the client metadata", async () => {
    const { gateway, sent } = gatewayWith(() => ({ AuthenticationResult: tokens }));
    const outcome = await gateway.respondToCustomChallenge({ username, session, answer: "123456", clientMetadata: { flow: "signin" } });
    expect(outcome).toEqual({ type: "tokens", tokens: { idToken: "id-1", accessToken: "access-1", refreshToken: "refresh-1", expiresIn: 900 } });
    expect(sent).toEqual([
      {
        name: "RespondToAuthChallengeCommand",
        input: {
          ClientId: clientId,
          ChallengeName: "CUSTOM_CHALLENGE",
          Session: session,
          ChallengeResponses: { USERNAME: username, ANSWER: "123456", SECRET_HASH: expectedSecretHash(username) },
          ClientMetadata: { flow: "signin" },
        },
      },
    ]);
  });

  it("reads tokens without a lifetime as Cognito's default hour", async () => {
    const { gateway } = gatewayWith(() => ({ AuthenticationResult: { IdToken: "id-1", AccessToken: "access-1" } }));
    expect(await gateway.respondToCustomChallenge({ username, session, answer: "123456" })).toEqual({
      type: "tokens",
      tokens: { idToken: "id-1", accessToken: "access-1", refreshToken: undefined, expiresIn: 3600 },
    });
  });

  it("refuses an answer with an ID token but no access token (502)", async () => {
    const { gateway } = gatewayWith(() => ({ AuthenticationResult: { IdToken: "id-1" } }));
    // Not exposed: the user reads the generic 502 sentence; the log says what Cognito left out.
    await expect(gateway.respondToCustomChallenge({ username, session, answer: "123456" })).rejects.toMatchObject({
      status: 502,
      code: "service_unavailable",
      expose: false,
      message: "Cognito answered without tokens.",
    });
  });

  it("refreshTokens sends REFRESH_TOKEN_AUTH keyed by the internal username, not the email", async () => {
    const { gateway, sent } = gatewayWith(() => ({ AuthenticationResult: { IdToken: "id-2", AccessToken: "access-2", ExpiresIn: 300 } }));
    expect(await gateway.refreshTokens({ refreshToken, username })).toEqual({ idToken: "id-2", accessToken: "access-2", refreshToken: undefined, expiresIn: 300 });
    expect(sent).toEqual([
      {
        name: "InitiateAuthCommand",
        input: { ClientId: clientId, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: refreshToken, SECRET_HASH: expectedSecretHash(username) } },
      },
    ]);
  });

  it("refreshTokens refuses an answer without tokens (502)", async () => {
    const { gateway } = gatewayWith(() => ({}));
    await expect(gateway.refreshTokens({ refreshToken, username })).rejects.toMatchObject({ status: 502 });
  });

  it("getUser sends GetUser with the access token and answers the username", async () => {
    const { gateway, sent } = gatewayWith(() => ({ Username: username, UserAttributes: [{ Name: "sub", Value: "sub-1" }] }));
    expect(await gateway.getUser(accessToken)).toEqual({ username, attributes: { sub: "sub-1" } });
    expect(sent).toEqual([{ name: "GetUserCommand", input: { AccessToken: accessToken } }]);
  });

  it("getUser answers an empty user when Cognito leaves the fields out", async () => {
    const { gateway } = gatewayWith(() => ({}));
    expect(await gateway.getUser(accessToken)).toEqual({ username: "", attributes: {} });
  });

  it("revokeToken sends RevokeToken with the client secret itself (no SECRET_HASH)", async () => {
    const { gateway, sent } = gatewayWith();
    await gateway.revokeToken(refreshToken);
    expect(sent).toEqual([{ name: "RevokeTokenCommand", input: { ClientId: clientId, ClientSecret: clientSecret, Token: refreshToken } }]);
  });

  it("globalSignOut sends GlobalSignOut with the access token", async () => {
    const { gateway, sent } = gatewayWith();
    await gateway.globalSignOut(accessToken);
    expect(sent).toEqual([{ name: "GlobalSignOutCommand", input: { AccessToken: accessToken } }]);
  });

  it("confirmForgotPassword sends ConfirmForgotPassword with the code, the new password and the email's SECRET_HASH", async () => {
    const { gateway, sent } = gatewayWith();
    await gateway.confirmForgotPassword({ email, code: "654321", password: "New-Horse-10" });
    expect(sent).toEqual([
      {
        name: "ConfirmForgotPasswordCommand",
        input: { ClientId: clientId, SecretHash: expectedSecretHash(email), Username: email, ConfirmationCode: "654321", Password: "New-Horse-10" },
      },
    ]);
  });

  it("changePassword sends ChangePassword with the access token and both passwords", async () => {
    const { gateway, sent } = gatewayWith();
    await gateway.changePassword({ accessToken, previousPassword: "Old-Horse-9", proposedPassword: "New-Horse-10" });
    expect(sent).toEqual([{ name: "ChangePasswordCommand", input: { AccessToken: accessToken, PreviousPassword: "Old-Horse-9", ProposedPassword: "New-Horse-10" } }]);
  });

  it("updateEmail sends UpdateUserAttributes for email and answers the email attribute's delivery", async () => {
    const { gateway, sent } = gatewayWith(() => ({
      CodeDeliveryDetailsList: [
        { AttributeName: "phone_number", DeliveryMedium: "SMS", Destination: "+*******0100" },
        { AttributeName: "email", DeliveryMedium: "EMAIL", Destination: "b***@n***" },
      ],
    }));
    expect(await gateway.updateEmail({ accessToken, email: "bob@new.example" })).toEqual({ medium: "EMAIL", destination: "b***@n***" });
    expect(sent).toEqual([{ name: "UpdateUserAttributesCommand", input: { AccessToken: accessToken, UserAttributes: [{ Name: "email", Value: "bob@new.example" }] } }]);
  });

  it("updateEmail answers the destination Cognito names for the email attribute, not one made up from the address", async () => {
    const { gateway } = gatewayWith(() => ({
      CodeDeliveryDetailsList: [
        { AttributeName: "phone_number", DeliveryMedium: "SMS", Destination: "+*******0100" },
        { AttributeName: "email", DeliveryMedium: "EMAIL", Destination: "b***@x***" },
      ],
    }));
    expect(await gateway.updateEmail({ accessToken, email: "bob@new.example" })).toEqual({ medium: "EMAIL", destination: "b***@x***" });
  });

  it("updateEmail masks the new address itself when Cognito names no email delivery", async () => {
    const { gateway } = gatewayWith(() => ({ CodeDeliveryDetailsList: [{ AttributeName: "phone_number", DeliveryMedium: "SMS", Destination: "+*******0100" }] }));
    expect(await gateway.updateEmail({ accessToken, email: "bob@new.example" })).toEqual({ medium: "EMAIL", destination: "b***@n***" });
  });

  it("updateEmail masks the new address itself when Cognito's answer has no delivery list at all", async () => {
    const { gateway } = gatewayWith(() => ({}));
    expect(await gateway.updateEmail({ accessToken, email: "bob@new.example" })).toEqual({ medium: "EMAIL", destination: "b***@n***" });
  });

  it("verifyEmail sends VerifyUserAttribute for email with the code", async () => {
    const { gateway, sent } = gatewayWith();
    await gateway.verifyEmail({ accessToken, code: "111222" });
    expect(sent).toEqual([{ name: "VerifyUserAttributeCommand", input: { AccessToken: accessToken, AttributeName: "email", Code: "111222" } }]);
  });

  it("resendEmailCode sends GetUserAttributeVerificationCode for email and answers Cognito's delivery", async () => {
    const { gateway, sent } = gatewayWith(() => emailDelivery);
    expect(await gateway.resendEmailCode(accessToken)).toEqual({ medium: "EMAIL", destination: "a***@e***" });
    expect(sent).toEqual([{ name: "GetUserAttributeVerificationCodeCommand", input: { AccessToken: accessToken, AttributeName: "email" } }]);
  });

  it("resendEmailCode shows no letter of any address when Cognito names no delivery (it does not know which address the code went to)", async () => {
    const { gateway } = gatewayWith(() => ({}));
    expect(await gateway.resendEmailCode(accessToken)).toEqual({ medium: "EMAIL", destination: "***@***" });
  });

  it("deleteUser sends DeleteUser with the access token", async () => {
    const { gateway, sent } = gatewayWith();
    await gateway.deleteUser(accessToken);
    expect(sent).toEqual([{ name: "DeleteUserCommand", input: { AccessToken: accessToken } }]);
  });

  it("adminGetUser sends AdminGetUser in the pool and answers whether the user is enabled", async () => {
    const enabled = gatewayWith(() => ({ Enabled: true }));
    expect(await enabled.gateway.adminGetUser!(username)).toEqual({ enabled: true });
    expect(enabled.sent).toEqual([{ name: "AdminGetUserCommand", input: { UserPoolId: userPoolId, Username: username } }]);
    expect(await gatewayWith(() => ({ Enabled: false })).gateway.adminGetUser!(username)).toEqual({ enabled: false });
    expect(await gatewayWith(() => ({})).gateway.adminGetUser!(username)).toEqual({ enabled: true });
  });

  it("adminGetUser answers undefined for a user Cognito no longer knows, and passes other failures on", async () => {
    expect(await gatewayWith(() => cognitoError("UserNotFoundException", "User does not exist.")).gateway.adminGetUser!(username)).toBeUndefined();
    await expect(gatewayWith(() => cognitoError("InternalErrorException", "boom", 500)).gateway.adminGetUser!(username)).rejects.toMatchObject({ status: 503 });
  });
});

describe("ending every session of a user after a password reset (AdminUserGlobalSignOut)", () => {
  it("sends AdminUserGlobalSignOut in the pool for the user and answers true", async () => {
    const { gateway, sent } = gatewayWith();
    expect(await gateway.adminUserGlobalSignOut!(email)).toBe(true);
    expect(sent).toEqual([{ name: "AdminUserGlobalSignOutCommand", input: { UserPoolId: userPoolId, Username: email } }]);
  });

  it("answers false for a user Cognito does not know", async () => {
    const { gateway } = gatewayWith(() => cognitoError("UserNotFoundException", "User does not exist."));
    expect(await gateway.adminUserGlobalSignOut!(email)).toBe(false);
  });

  it("passes another failure on as the error table's answer (a Cognito fault is 503), not as a signed-out user", async () => {
    const { gateway, logLines } = gatewayWith(() => cognitoError("InternalErrorException", "boom", 500));
    await expect(gateway.adminUserGlobalSignOut!(email)).rejects.toMatchObject({ status: 503, code: "service_unavailable" });
    expect(logLines).toContainEqual(expect.objectContaining({ operation: "adminUserGlobalSignOut", cognitoError: "InternalErrorException" }));
  });
});

describe("the password step (SRP inside CUSTOM_AUTH)", () => {
  const verifierParameters = {
    SALT: "a1b2c3d4e5f60718293a4b5c6d7e8f90",
    SRP_B: "7f".repeat(384),
    SECRET_BLOCK: Buffer.from("secret block").toString("base64"),
    USER_ID_FOR_SRP: username,
    USERNAME: username,
  };

  function srpCognito(
    verifierAnswer: Record<string, unknown> = {},
    custom: unknown = { ChallengeName: "CUSTOM_CHALLENGE", Session: "s-2", ChallengeParameters: { USERNAME: username, step: "OTP" } },
  ) {
    return gatewayWith((command) => {
      if (command.name === "InitiateAuthCommand")
        return { ChallengeName: "PASSWORD_VERIFIER", Session: "s-1", ChallengeParameters: { ...verifierParameters, ...verifierAnswer } };
      return custom;
    });
  }

  it("starts CUSTOM_AUTH with SRP_A, then answers PASSWORD_VERIFIER with the internal username's SECRET_HASH and the claim", async () => {
    const { gateway, sent } = srpCognito();
    expect(await gateway.startCustomAuthWithPassword({ email, password: "Correct-Horse-9" })).toEqual({ session: "s-2", username, parameters: { step: "OTP" } });
    expect(sent.map((command) => command.name)).toEqual(["InitiateAuthCommand", "RespondToAuthChallengeCommand"]);
    expect(sent[0]!.input).toEqual({
      ClientId: clientId,
      AuthFlow: "CUSTOM_AUTH",
      AuthParameters: { USERNAME: email, SECRET_HASH: expectedSecretHash(email), CHALLENGE_NAME: "SRP_A", SRP_A: expect.stringMatching(/^[0-9a-f]{200,}$/) },
    });
    expect(sent[1]!.input).toEqual({
      ClientId: clientId,
      ChallengeName: "PASSWORD_VERIFIER",
      Session: "s-1",
      ChallengeResponses: {
        USERNAME: username,
        SECRET_HASH: expectedSecretHash(username),
        PASSWORD_CLAIM_SECRET_BLOCK: verifierParameters.SECRET_BLOCK,
        PASSWORD_CLAIM_SIGNATURE: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
        TIMESTAMP: expect.stringMatching(/ UTC \d{4}$/),
      },
    });
  });

  it.each(["SALT", "SRP_B", "SECRET_BLOCK", "USER_ID_FOR_SRP", "USERNAME"])(
    "refuses a PASSWORD_VERIFIER without %s (502 challenge_failed) and answers nothing",
    async (missing) => {
      const { gateway, sent, logLines } = srpCognito({ [missing]: "" });
      await expect(gateway.startCustomAuthWithPassword({ email, password: "Correct-Horse-9" })).rejects.toMatchObject(startAgain);
      expect(sent.map((command) => command.name)).toEqual(["InitiateAuthCommand"]);
      // The log says Cognito's answer was incomplete (not that its SRP values were malformed).
      expect(logLines).toContainEqual(
        expect.objectContaining({ level: 40, msg: "CUSTOM_AUTH with SRP_A did not ask for the password verifier", challenge: "PASSWORD_VERIFIER" }),
      );
    },
  );

  it("refuses an SRP_B the protocol forbids (B ≡ 0 mod N) as a failed challenge (502), not a server error", async () => {
    const { gateway, sent } = srpCognito({ SRP_B: "00" });
    const error = await gateway.startCustomAuthWithPassword({ email, password: "Correct-Horse-9" }).catch((caught: unknown) => caught);
    expect(error).toMatchObject(startAgain);
    expect(sent).toHaveLength(1);
  });

  it("answers a wrong password (NotAuthorizedException at PASSWORD_VERIFIER) as invalid_credentials", async () => {
    const { gateway } = srpCognito({}, cognitoError("NotAuthorizedException", "Incorrect username or password."));
    await expect(gateway.startCustomAuthWithPassword({ email, password: "Wrong-Horse-9" })).rejects.toMatchObject({ status: 401, code: "invalid_credentials" });
  });

  it("answers an unconfirmed account at the password step like a wrong password (the operation is the password step)", async () => {
    const { gateway } = gatewayWith(() => cognitoError("UserNotConfirmedException", "User is not confirmed."));
    await expect(gateway.startCustomAuthWithPassword({ email, password: "Correct-Horse-9" })).rejects.toMatchObject({ status: 401, code: "invalid_credentials" });
  });
});

describe("which row of the error table each operation's failures take", () => {
  const revoked = () => cognitoError("NotAuthorizedException", "Access Token has been revoked");
  const tokenCalls: [string, (gateway: CognitoGateway) => Promise<unknown>][] = [
    ["refreshTokens", (gateway) => gateway.refreshTokens({ refreshToken, username })],
    ["getUser", (gateway) => gateway.getUser(accessToken)],
    ["globalSignOut", (gateway) => gateway.globalSignOut(accessToken)],
    ["changePassword", (gateway) => gateway.changePassword({ accessToken, previousPassword: "a", proposedPassword: "b" })],
    ["updateEmail", (gateway) => gateway.updateEmail({ accessToken, email })],
    ["verifyEmail", (gateway) => gateway.verifyEmail({ accessToken, code: "123456" })],
    ["resendEmailCode", (gateway) => gateway.resendEmailCode(accessToken)],
    ["deleteUser", (gateway) => gateway.deleteUser(accessToken)],
  ];

  it.each(tokenCalls)("%s: a revoked or expired token ends the session (401 session_expired), not a wrong password", async (_name, run) => {
    await expect(run(gatewayWith(revoked).gateway)).rejects.toMatchObject({ status: 401, code: "session_expired" });
  });

  it("changePassword: a wrong current password is 400 invalid_credentials on the currentPassword field", async () => {
    const { gateway } = gatewayWith(() => cognitoError("NotAuthorizedException", "Incorrect username or password."));
    await expect(gateway.changePassword({ accessToken, previousPassword: "a", proposedPassword: "b" })).rejects.toMatchObject({
      status: 400,
      code: "invalid_credentials",
    });
  });

  it.each<[string, (gateway: CognitoGateway) => Promise<unknown>]>([
    ["confirmSignUp", (gateway) => gateway.confirmSignUp({ email, code: "123456" })],
    ["confirmForgotPassword", (gateway) => gateway.confirmForgotPassword({ email, code: "123456", password: "New-Horse-10" })],
  ])("%s: an unknown account answers like a wrong code (400 code_mismatch)", async (_name, run) => {
    await expect(run(gatewayWith(() => cognitoError("UserNotFoundException")).gateway)).rejects.toMatchObject({ status: 400, code: "code_mismatch" });
  });

  it("startCustomAuth: an unconfirmed account answers like a wrong password (401 invalid_credentials)", async () => {
    const { gateway } = gatewayWith(() => cognitoError("UserNotConfirmedException", "User is not confirmed."));
    await expect(gateway.startCustomAuth({ username: email })).rejects.toMatchObject({ status: 401, code: "invalid_credentials" });
  });

  it("respondToCustomChallenge: a refused answer ends the attempt (401 challenge_failed)", async () => {
    const { gateway } = gatewayWith(() => cognitoError("NotAuthorizedException", "Incorrect username or password."));
    await expect(gateway.respondToCustomChallenge({ username, session, answer: "000000" })).rejects.toMatchObject({ status: 401, code: "challenge_failed" });
  });

  it("signUp: Cognito's mail limit says the account exists but its code waits", async () => {
    const { gateway } = gatewayWith(() => cognitoError("LimitExceededException", "Exceeded daily email limit"));
    await expect(gateway.signUp({ email, password: "Correct-Horse-9" })).rejects.toMatchObject({ status: 429, message: expect.stringMatching(/account is created/) });
  });

  it.each<[string, (gateway: CognitoGateway) => Promise<unknown>]>([
    ["resendConfirmationCode", (gateway) => gateway.resendConfirmationCode({ email })],
    ["forgotPassword", (gateway) => gateway.forgotPassword({ email })],
  ])("%s: Cognito's limit says too many codes were sent", async (_name, run) => {
    await expect(run(gatewayWith(() => cognitoError("LimitExceededException")).gateway)).rejects.toMatchObject({
      status: 429,
      message: expect.stringMatching(/Too many codes/),
    });
  });

  it("resendConfirmationCode: another invalid parameter is not hidden as a delivery", async () => {
    const { gateway } = gatewayWith(() => cognitoError("InvalidParameterException", "Cannot resend codes. Auto verification not turned on."));
    await expect(gateway.resendConfirmationCode({ email })).rejects.toMatchObject({ status: 400, code: "bad_request" });
  });

  it("forgotPassword: an account that cannot be reset is not hidden as a delivery", async () => {
    const { gateway } = gatewayWith(() => cognitoError("NotAuthorizedException", "User is disabled."));
    await expect(gateway.forgotPassword({ email })).rejects.toMatchObject({ status: 401 });
  });

  it("signUp: a taken email whose probe fails unexpectedly passes that failure on", async () => {
    const { gateway, sent } = gatewayWith((command) =>
      command.name === "SignUpCommand" ? cognitoError("UsernameExistsException") : cognitoError("InternalErrorException", "boom", 500),
    );
    await expect(gateway.signUp({ email, password: "Correct-Horse-9" })).rejects.toMatchObject({ status: 503 });
    expect(sent.map((command) => command.name)).toEqual(["SignUpCommand", "InitiateAuthCommand"]);
  });

  it("signUp: another failure than a taken email is not probed", async () => {
    const { gateway, sent } = gatewayWith(() => cognitoError("InvalidPasswordException", "Password did not conform with policy: Password not long enough"));
    await expect(gateway.signUp({ email, password: "short" })).rejects.toMatchObject({ status: 400, code: "invalid_password" });
    expect(sent.map((command) => command.name)).toEqual(["SignUpCommand"]);
  });

  it("signUp: a taken, unknown-to-sign-in account (UserNotFoundException at the probe) stays taken", async () => {
    const { gateway } = gatewayWith((command) => (command.name === "SignUpCommand" ? cognitoError("UsernameExistsException") : cognitoError("UserNotFoundException")));
    await expect(gateway.signUp({ email, password: "Correct-Horse-9" })).rejects.toMatchObject({ status: 409, code: "username_exists" });
  });
});

describe("what the gateway records about failures", () => {
  const cognitoErrorMetrics = (lines: Record<string, unknown>[]) => lines.filter((line) => "CognitoError" in line);

  it("counts a Cognito fault (5xx) as a Cognito error metric naming the operation", async () => {
    const { gateway, logLines } = gatewayWith(() => cognitoError("InternalErrorException", "boom", 500));
    await expect(gateway.globalSignOut(accessToken)).rejects.toMatchObject({ status: 503 });
    expect(cognitoErrorMetrics(logLines)).toEqual([expect.objectContaining({ operation: "globalSignOut", cognitoError: "InternalErrorException", CognitoError: 1 })]);
  });

  it("counts Cognito's request quota (TooManyRequestsException) as a Cognito error although it answers 429", async () => {
    const { gateway, logLines } = gatewayWith(() => cognitoError("TooManyRequestsException"));
    await expect(gateway.revokeToken(refreshToken)).rejects.toMatchObject({ status: 429 });
    expect(cognitoErrorMetrics(logLines)).toEqual([expect.objectContaining({ operation: "revokeToken", cognitoError: "TooManyRequestsException" })]);
  });

  it("does not count a user's refusal (a wrong code) as a Cognito error", async () => {
    const { gateway, logLines } = gatewayWith(() => cognitoError("CodeMismatchException"));
    await expect(gateway.verifyEmail({ accessToken, code: "000000" })).rejects.toMatchObject({ status: 400 });
    expect(cognitoErrorMetrics(logLines)).toEqual([]);
  });

  it("logs a Cognito fault as a warning naming the exception, and a user's refusal only at debug level with our error code", async () => {
    const fault = gatewayWith(() => cognitoError("InternalErrorException", "boom", 500));
    await expect(fault.gateway.globalSignOut(accessToken)).rejects.toMatchObject({ status: 503 });
    expect(fault.logLines).toContainEqual(
      expect.objectContaining({ level: 40, msg: "cognito call failed", operation: "globalSignOut", cognitoError: "InternalErrorException", status: 503 }),
    );
    expect(fault.logLines.filter((line) => line["level"] === 20)).toEqual([]);

    const refusal = gatewayWith(() => cognitoError("CodeMismatchException"));
    await expect(refusal.gateway.verifyEmail({ accessToken, code: "000000" })).rejects.toMatchObject({ status: 400 });
    expect(refusal.logLines).toContainEqual(
      expect.objectContaining({ level: 20, msg: "cognito refused", operation: "verifyUserAttribute", cognitoError: "CodeMismatchException", errorCode: "code_mismatch" }),
    );
    expect(refusal.logLines.filter((line) => line["level"] === 40)).toEqual([]);
  });

  it("treats a refused SECRET_HASH (500, our misconfiguration) as a fault: a warning and a Cognito error metric", async () => {
    const { gateway, logLines } = gatewayWith(() => cognitoError("NotAuthorizedException", "Unable to verify secret hash for client"));
    await expect(gateway.confirmSignUp({ email, code: "123456" })).rejects.toMatchObject({ status: 500, code: "internal_error" });
    expect(logLines).toContainEqual(expect.objectContaining({ level: 40, msg: "cognito call failed", status: 500 }));
    expect(cognitoErrorMetrics(logLines)).toEqual([expect.objectContaining({ operation: "confirmSignUp", cognitoError: "NotAuthorizedException" })]);
  });

  it("names a failure that is not an Error 'unknown' in the log", async () => {
    const logLines: Record<string, unknown>[] = [];
    const client = { send: () => Promise.reject("a rejection that is not an Error") } as unknown as sdk.CognitoIdentityProviderClient;
    const logger = createLogger("debug", { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) });
    await expect(createCognitoGateway({ client, settings, logger }).globalSignOut(accessToken)).rejects.toMatchObject({ status: 500, code: "internal_error" });
    expect(logLines).toContainEqual(expect.objectContaining({ msg: "cognito call failed", cognitoError: "unknown" }));
  });

  it("records each call's latency under its operation", async () => {
    const { gateway, logLines } = gatewayWith(() => ({ Enabled: true }));
    await gateway.adminGetUser!(username);
    expect(logLines.filter((line) => "CognitoLatency" in line)).toEqual([expect.objectContaining({ operation: "adminGetUser" })]);
  });
});
