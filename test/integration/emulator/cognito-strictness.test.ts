import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  type InitiateAuthCommandOutput,
  ResendConfirmationCodeCommand,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { CreateAuthChallengeTriggerEvent, DefineAuthChallengeTriggerEvent } from "aws-lambda";
import { localConfigSchema } from "../../../common/local-config";
import { startEmulator } from "../../../emulator/server";
import { createCreateAuthChallengeHandler } from "../../../triggers/create-auth-challenge";
import type { OutgoingMessage } from "../../../triggers/delivery/delivery-port";
import {
  PASSWORD,
  type TestEmulator,
  bff,
  config,
  expectCognitoError,
  latestCode,
  otherCode,
  outboxFor,
  passwordSignIn,
  poolId,
  sdkClient,
  secretHash,
  signUp,
  signUpConfirmed,
  startTestEmulator,
  testClock,
  uniqueEmail,
} from "./support";

/**
 * Where Cognito is stricter than a lenient stand-in would be (docs/cognito-behaviour.md): each test
 * drives the emulator through the SDK and fails on an emulator that lets the call pass.
 */

const ATTEMPT_LIMIT = "Attempt limit exceeded, please try after some time.";
const HOUR_MS = 3600_000;

describe("per-user quotas (LimitExceededException)", () => {
  const clock = testClock();
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator({ now: clock.now });
  });
  afterAll(async () => {
    await t.stop();
  });

  const resend = (email: string) => t.cognito.send(new ResendConfirmationCodeCommand({ ClientId: bff.clientId, Username: email, SecretHash: secretHash(email) }));

  test("allows five ResendConfirmationCode calls per user an hour; the sixth is refused and sends nothing", async () => {
    const email = uniqueEmail();
    await signUp(t, email);
    for (let call = 0; call < 5; call += 1) await resend(email);
    await expectCognitoError(resend(email), "LimitExceededException", ATTEMPT_LIMIT);
    expect(await outboxFor(t.emulator.url, email)).toHaveLength(6);
    // Another user is not limited by this one's calls.
    const other = uniqueEmail();
    await signUp(t, other);
    await resend(other);
  });

  test("counts in a rolling hour: an hour after the first calls, resends work again", async () => {
    const email = uniqueEmail();
    await signUp(t, email);
    for (let call = 0; call < 5; call += 1) await resend(email);
    clock.advance(HOUR_MS + 1000);
    await resend(email);
  });

  test("allows fifteen ConfirmSignUp attempts per user an hour: the sixteenth is refused even with the right code", async () => {
    const email = uniqueEmail();
    await signUp(t, email);
    const code = await latestCode(t.emulator.url, email);
    const confirm = (value: string) =>
      t.cognito.send(new ConfirmSignUpCommand({ ClientId: bff.clientId, Username: email, ConfirmationCode: value, SecretHash: secretHash(email) }));
    for (let attempt = 0; attempt < 15; attempt += 1) await expectCognitoError(confirm(otherCode(code)), "CodeMismatchException");
    await expectCognitoError(confirm(code), "LimitExceededException", ATTEMPT_LIMIT);
  });

  test("allows five ForgotPassword calls per user an hour", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const forgot = () => t.cognito.send(new ForgotPasswordCommand({ ClientId: bff.clientId, Username: email, SecretHash: secretHash(email) }));
    for (let call = 0; call < 5; call += 1) await forgot();
    await expectCognitoError(forgot(), "LimitExceededException", ATTEMPT_LIMIT);
  });

  test("allows fifteen ConfirmForgotPassword attempts per user an hour", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    await t.cognito.send(new ForgotPasswordCommand({ ClientId: bff.clientId, Username: email, SecretHash: secretHash(email) }));
    const code = await latestCode(t.emulator.url, email);
    const reset = (value: string) =>
      t.cognito.send(
        new ConfirmForgotPasswordCommand({
          ClientId: bff.clientId,
          Username: email,
          ConfirmationCode: value,
          Password: "New-Password-42",
          SecretHash: secretHash(email),
        }),
      );
    for (let attempt = 0; attempt < 15; attempt += 1) await expectCognitoError(reset(otherCode(code)), "CodeMismatchException");
    await expectCognitoError(reset(code), "LimitExceededException", ATTEMPT_LIMIT);
  });

  test("allows five ChangePassword calls per user an hour", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const { AccessToken } = await passwordSignIn(t, email);
    let current = PASSWORD;
    for (let call = 0; call < 5; call += 1) {
      const next = `Changed-Password-${call}`;
      await t.cognito.send(new ChangePasswordCommand({ AccessToken, PreviousPassword: current, ProposedPassword: next }));
      current = next;
    }
    await expectCognitoError(
      t.cognito.send(new ChangePasswordCommand({ AccessToken, PreviousPassword: current, ProposedPassword: "Changed-Password-9" })),
      "LimitExceededException",
      ATTEMPT_LIMIT,
    );
  });

  test("can be turned off (quotas: false)", async () => {
    const open = await startTestEmulator({ quotas: false });
    try {
      const email = uniqueEmail();
      await signUp(open, email);
      for (let call = 0; call < 8; call += 1) {
        await open.cognito.send(new ResendConfirmationCodeCommand({ ClientId: bff.clientId, Username: email, SecretHash: secretHash(email) }));
      }
    } finally {
      await open.stop();
    }
  });
});

describe("Cognito's default email sender (50 mails a day)", () => {
  test("refuses the 51st mail of a day; SignUp then answers LimitExceededException after creating the user", async () => {
    const clock = testClock();
    const t = await startTestEmulator({ now: clock.now, poolSettings: { emailSendingAccount: "COGNITO_DEFAULT" } });
    try {
      for (let user = 0; user < 50; user += 1) await signUp(t, uniqueEmail("bulk"));
      const email = uniqueEmail();
      await expectCognitoError(signUp(t, email), "LimitExceededException", /^Exceeded daily email limit for the operation or the account\./);
      const created = await t.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
      expect(created.UserStatus).toBe("UNCONFIRMED");
      expect(await outboxFor(t.emulator.url, email)).toEqual([]);
      // The retry meets the taken name, as on AWS; a day later a resend goes out.
      await expectCognitoError(signUp(t, email), "UsernameExistsException");
      clock.advance(24 * HOUR_MS + 1000);
      await t.cognito.send(new ResendConfirmationCodeCommand({ ClientId: bff.clientId, Username: email, SecretHash: secretHash(email) }));
      expect(await outboxFor(t.emulator.url, email)).toHaveLength(1);
    } finally {
      await t.stop();
    }
  }, 60_000);

  test("does not limit a pool that sends through its own SES identity (the local and deployed pool)", async () => {
    expect(config.userPool.emailSendingAccount).toBe("DEVELOPER");
    const t = await startTestEmulator({ quotas: { defaultSenderEmailsPerDay: 1 } });
    try {
      await signUp(t, uniqueEmail());
      await signUp(t, uniqueEmail());
    } finally {
      await t.stop();
    }
  });
});

describe("a deleted user's tokens (UserNotFoundException)", () => {
  let t: TestEmulator;
  beforeAll(async () => {
    t = await startTestEmulator();
  });
  afterAll(async () => {
    await t.stop();
  });

  test('GetUser, ChangePassword, GlobalSignOut and REFRESH_TOKEN_AUTH answer "User does not exist."', async () => {
    const email = uniqueEmail();
    const sub = await signUpConfirmed(t, email);
    const { AccessToken, RefreshToken } = await passwordSignIn(t, email);
    await t.cognito.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: email }));

    await expectCognitoError(t.cognito.send(new GetUserCommand({ AccessToken })), "UserNotFoundException", "User does not exist.");
    await expectCognitoError(
      t.cognito.send(new ChangePasswordCommand({ AccessToken, PreviousPassword: PASSWORD, ProposedPassword: "Another-Password-1" })),
      "UserNotFoundException",
      "User does not exist.",
    );
    await expectCognitoError(t.cognito.send(new GlobalSignOutCommand({ AccessToken })), "UserNotFoundException", "User does not exist.");
    await expectCognitoError(
      t.cognito.send(
        new InitiateAuthCommand({
          AuthFlow: "REFRESH_TOKEN_AUTH",
          ClientId: bff.clientId,
          AuthParameters: { REFRESH_TOKEN: RefreshToken!, SECRET_HASH: secretHash(sub) },
        }),
      ),
      "UserNotFoundException",
      "User does not exist.",
    );
  });

  test("a new account under the same email does not inherit the deleted one's tokens", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const { AccessToken } = await passwordSignIn(t, email);
    await t.cognito.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: email }));
    await signUpConfirmed(t, email);
    await expectCognitoError(t.cognito.send(new GetUserCommand({ AccessToken })), "UserNotFoundException", "User does not exist.");
  });
});

describe("refresh-token rotation", () => {
  test("a client with rotation refuses REFRESH_TOKEN_AUTH; the project's clients keep rotation off", async () => {
    const rotating = { ...bff, clientId: "rotatingclient00000000000", name: "rotating", refreshTokenRotation: "ENABLED" as const };
    const t = await startTestEmulator({
      config: localConfigSchema.parse({ ...config, userPool: { ...config.userPool, clients: [...config.userPool.clients, rotating] } }),
    });
    try {
      const email = uniqueEmail();
      const sub = await signUpConfirmed(t, email);
      const { RefreshToken } = await passwordSignIn(t, email);
      const hash = secretHash(sub);
      await expectCognitoError(
        t.cognito.send(
          new InitiateAuthCommand({ AuthFlow: "REFRESH_TOKEN_AUTH", ClientId: rotating.clientId, AuthParameters: { REFRESH_TOKEN: RefreshToken!, SECRET_HASH: hash } }),
        ),
        "NotAuthorizedException",
      );
      expect(config.userPool.clients.map((client) => client.refreshTokenRotation)).toEqual(config.userPool.clients.map(() => "DISABLED"));
    } finally {
      await t.stop();
    }
  });
});

describe("ResendConfirmationCode for a confirmed user (a pool setting: both answers are seen from AWS)", () => {
  test('"refuse" answers InvalidParameterException "User is already confirmed." and sends nothing', async () => {
    const t = await startTestEmulator({ poolSettings: { resendToConfirmedUser: "refuse" } });
    try {
      const email = uniqueEmail();
      await signUpConfirmed(t, email);
      await expectCognitoError(
        t.cognito.send(new ResendConfirmationCodeCommand({ ClientId: bff.clientId, Username: email, SecretHash: secretHash(email) })),
        "InvalidParameterException",
        "User is already confirmed.",
      );
      expect(await outboxFor(t.emulator.url, email)).toHaveLength(1);
    } finally {
      await t.stop();
    }
  });

  test('"send" answers with the delivery and sends a code that cannot confirm anything', async () => {
    const t = await startTestEmulator({ poolSettings: { resendToConfirmedUser: "send" } });
    try {
      const email = uniqueEmail();
      await signUpConfirmed(t, email);
      const answer = await t.cognito.send(new ResendConfirmationCodeCommand({ ClientId: bff.clientId, Username: email, SecretHash: secretHash(email) }));
      expect(answer.CodeDeliveryDetails).toEqual({ DeliveryMedium: "EMAIL", AttributeName: "email", Destination: "u***@e***" });
      expect(await outboxFor(t.emulator.url, email)).toHaveLength(2);
      await expectCognitoError(
        t.cognito.send(
          new ConfirmSignUpCommand({ ClientId: bff.clientId, Username: email, ConfirmationCode: await latestCode(t.emulator.url, email), SecretHash: secretHash(email) }),
        ),
        "NotAuthorizedException",
        "User cannot be confirmed. Current status is CONFIRMED",
      );
    } finally {
      await t.stop();
    }
  });
});

/** A define trigger that asks for one custom challenge and issues tokens for a right answer. */
const oneRoundDefine = async (event: DefineAuthChallengeTriggerEvent) => {
  const last = event.request.session.at(-1);
  event.response.issueTokens = last?.challengeResult === true;
  event.response.failAuthentication = last !== undefined && !last.challengeResult;
  if (last === undefined) event.response.challengeName = "CUSTOM_CHALLENGE";
  return event;
};

/** PROVIDE, then one method round: the project's flow without the password step, so these tests do not depend on it. */
const provideThenCodeDefine = async (event: DefineAuthChallengeTriggerEvent) => {
  const session = event.request.session;
  const last = session.at(-1);
  const moreRounds = last === undefined || (session.length === 1 && last.challengeResult && String(last.challengeMetadata).startsWith("PROVIDE"));
  event.response.issueTokens = !moreRounds && last?.challengeResult === true;
  event.response.failAuthentication = !moreRounds && !event.response.issueTokens;
  if (moreRounds) event.response.challengeName = "CUSTOM_CHALLENGE";
  return event;
};

function startCustomAuth(t: TestEmulator, email: string) {
  return t.cognito.send(
    new InitiateAuthCommand({ AuthFlow: "CUSTOM_AUTH", ClientId: bff.clientId, AuthParameters: { USERNAME: email, SECRET_HASH: secretHash(email) } }),
  );
}

function answerRound(t: TestEmulator, round: InitiateAuthCommandOutput, answer: string, clientMetadata?: Record<string, string>) {
  const username = round.ChallengeParameters!.USERNAME!;
  return t.cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: bff.clientId,
      ChallengeName: "CUSTOM_CHALLENGE",
      Session: round.Session,
      ChallengeResponses: { USERNAME: username, ANSWER: answer, SECRET_HASH: secretHash(username) },
      ...(clientMetadata ? { ClientMetadata: clientMetadata } : {}),
    }),
  );
}

describe("AuthSessionValidity", () => {
  test("is 3 minutes when the configuration says nothing (Cognito's default)", async () => {
    const { authSessionValidityMinutes: _unset, ...pool } = config.userPool;
    const silent = localConfigSchema.parse({ ...config, userPool: pool, triggers: { ...config.triggers, otpTtlSeconds: 180 } });
    expect(silent.userPool.authSessionValidityMinutes).toBe(3);
    const clock = testClock();
    const t = await startTestEmulator({ config: silent, now: clock.now, triggers: { defineAuthChallenge: oneRoundDefine } });
    try {
      const email = uniqueEmail();
      await signUpConfirmed(t, email);
      const early = await startCustomAuth(t, email);
      const late = await startCustomAuth(t, email);
      clock.advance(3 * 60_000 - 5_000);
      // Within 3 minutes the session still takes an answer (the project's verify trigger judges it).
      await expectCognitoError(answerRound(t, early, "PROVIDE"), "NotAuthorizedException", "Incorrect username or password.");
      clock.advance(10_000);
      await expectCognitoError(answerRound(t, late, "PROVIDE"), "NotAuthorizedException", "Invalid session for the user, session is expired.");
    } finally {
      await t.stop();
    }
  });
});

describe("a trigger slower than 5 seconds", () => {
  const timing = { timeoutMs: 300 };

  test("is invoked again, up to three times, and then the call fails with UnexpectedLambdaException", async () => {
    let invocations = 0;
    const t = await startTestEmulator({
      triggerTiming: timing,
      triggers: {
        defineAuthChallenge: async () => {
          invocations += 1;
          return new Promise<DefineAuthChallengeTriggerEvent>(() => undefined);
        },
      },
    });
    try {
      const email = uniqueEmail();
      await signUpConfirmed(t, email);
      await expectCognitoError(startCustomAuth(t, email), "UnexpectedLambdaException", "DefineAuthChallenge failed due to a timeout.");
      expect(invocations).toBe(3);
    } finally {
      await t.stop();
    }
  });

  test("the project's create trigger, slow to mail the code, mails the same code each time Cognito invokes it, and that code signs in", async () => {
    const mails: OutgoingMessage[] = [];
    const dataDir = mkdtempSync(join(tmpdir(), "tobira-emulator-"));
    const triggersConfig = {
      passkeyProofSecret: config.triggers.passkeyProofSecret,
      otpTtlSeconds: config.triggers.otpTtlSeconds,
      otpMaxAttempts: config.triggers.otpMaxAttempts,
    };
    // A mail provider that takes longer than Cognito waits for the trigger (the budget is set above it).
    const slowCreate = createCreateAuthChallengeHandler({
      config: triggersConfig,
      deliveryBudgetMs: 10_000,
      delivery: {
        send: async (message) => {
          mails.push(message);
          await new Promise((resolve) => setTimeout(resolve, mails.length === 1 ? 700 : 10));
        },
      },
    });
    const emulator = await startEmulator({
      config,
      dataDir,
      port: 0,
      triggerTiming: timing,
      triggers: { defineAuthChallenge: provideThenCodeDefine, createAuthChallenge: (event: CreateAuthChallengeTriggerEvent) => slowCreate(event) },
    });
    const t: TestEmulator = { emulator, cognito: sdkClient(emulator.url), dataDir, stop: async () => undefined };
    try {
      const email = uniqueEmail();
      await signUpConfirmed(t, email);
      const provide = await startCustomAuth(t, email);
      const otp = await answerRound(t, provide, "PROVIDE", { signInMethod: "OTP" });
      expect(mails.length).toBeGreaterThanOrEqual(2);
      expect(new Set(mails.map((mail) => mail.code)).size).toBe(1);
      const done = await answerRound(t, otp, mails[0]!.code);
      expect(done.AuthenticationResult?.AccessToken).toBeDefined();
    } finally {
      t.cognito.destroy();
      await emulator.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
