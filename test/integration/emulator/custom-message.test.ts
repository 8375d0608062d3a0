import {
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { CustomMessageTriggerEvent } from "aws-lambda";
import { localConfigSchema } from "../../../common/local-config";
import type { ChallengeTriggers } from "../../../emulator/server";
import { createCustomMessageHandler } from "../../../triggers/custom-message";
import {
  PASSWORD,
  type TestEmulator,
  bff,
  config,
  expectCognitoError,
  outboxFor,
  passwordSignIn,
  poolId,
  secretHash,
  signUpConfirmed,
  startTestEmulator,
  uniqueEmail,
} from "./support";

/**
 * The CustomMessage trigger run by the emulator as Cognito runs it (docs/cognito-behaviour.md,
 * "CustomMessage trigger"): at SignUp, ResendConfirmationCode, ForgotPassword,
 * UpdateUserAttributes and GetUserAttributeVerificationCode, with Cognito's event, the code put in
 * place of `{####}`, and Cognito's refusals of a wrong answer.
 */

type CustomMessageHandler = NonNullable<ChallengeTriggers["customMessage"]>;

const project = createCustomMessageHandler({ emailSendingAccount: "DEVELOPER" });
const events: CustomMessageTriggerEvent[] = [];
/** What the next invocation does instead of the project's trigger (a test's stand-in), once. */
let standIn: CustomMessageHandler | undefined;
const recording: CustomMessageHandler = async (event) => {
  events.push(structuredClone(event));
  const handler = standIn ?? project;
  standIn = undefined;
  return handler(event);
};

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator({ triggers: { customMessage: recording } });
});
afterAll(async () => {
  await t.stop();
});
beforeEach(() => {
  events.length = 0;
  standIn = undefined;
});

function signUpWith(email: string, attributes: Record<string, string> = {}, clientMetadata?: Record<string, string>) {
  return t.cognito.send(
    new SignUpCommand({
      ClientId: bff.clientId,
      Username: email,
      Password: PASSWORD,
      SecretHash: secretHash(email),
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
      ...(clientMetadata === undefined ? {} : { ClientMetadata: clientMetadata }),
    }),
  );
}

async function latest(email: string) {
  const [message] = await outboxFor(t.emulator.url, email);
  if (message === undefined) throw new Error(`no message for ${email}`);
  return message;
}

describe("CustomMessage at SignUp", () => {
  test("invokes the trigger with Cognito's event: envelope, user attributes, the three placeholders, null response fields", async () => {
    const email = uniqueEmail("cm-event");
    const { UserSub } = await signUpWith(email, { locale: "ja" }, { source: "test" });
    expect(events).toHaveLength(1);
    expect(events[0]).toEqual({
      version: "1",
      triggerSource: "CustomMessage_SignUp",
      region: config.region,
      userPoolId: poolId,
      userName: UserSub,
      callerContext: { awsSdkVersion: expect.any(String), clientId: bff.clientId },
      request: {
        userAttributes: expect.objectContaining({ sub: UserSub, email, email_verified: "false", locale: "ja", "cognito:user_status": "UNCONFIRMED" }),
        codeParameter: "{####}",
        linkParameter: "{##Click Here##}",
        usernameParameter: null,
        clientMetadata: { source: "test" },
      },
      response: { smsMessage: null, emailMessage: null, emailSubject: null },
    });
  });

  test("a Japanese user (locale ja) gets the Japanese HTML mail with the real code where the placeholder was", async () => {
    const email = uniqueEmail("cm-ja");
    await signUpWith(email, { locale: "ja" });
    const message = await latest(email);
    expect(message.subject).toBe("Tobira アカウントの確認コード");
    expect(message.code).toMatch(/^\d{6}$/);
    expect(message.html).toContain('<html lang="ja">');
    expect(message.html).toContain(`>${message.code}<`);
    expect(message.html).not.toContain("{####}");
    // The outbox keeps the HTML's text for the local mailbox.
    expect(message.text).toContain(message.code);
    expect(message.text).toContain("登録画面に次の確認コードを入力して");
    expect(message.text).not.toMatch(/<[a-z]/);
  });

  test("a user without a locale gets the English mail", async () => {
    const email = uniqueEmail("cm-en");
    await signUpWith(email);
    const message = await latest(email);
    expect(message.subject).toBe("Confirm your Tobira account");
    expect(message.html).toContain('<html lang="en">');
  });
});

describe("CustomMessage at the other sends", () => {
  test("ResendConfirmationCode: CustomMessage_ResendCode, in the user's language", async () => {
    const email = uniqueEmail("cm-resend");
    await signUpWith(email, { locale: "ja-JP" });
    await t.cognito.send(new ResendConfirmationCodeCommand({ ClientId: bff.clientId, Username: email, SecretHash: secretHash(email) }));
    expect(events.map((event) => event.triggerSource)).toEqual(["CustomMessage_SignUp", "CustomMessage_ResendCode"]);
    const message = await latest(email);
    expect(message.subject).toBe("Tobira アカウントの新しい確認コード");
    expect(message.html).toContain(message.code);
  });

  test("ForgotPassword: CustomMessage_ForgotPassword, in the user's language", async () => {
    const email = uniqueEmail("cm-forgot");
    await signUpWith(email, { locale: "ja" });
    await signUpConfirmedCode(email);
    events.length = 0;
    await t.cognito.send(new ForgotPasswordCommand({ ClientId: bff.clientId, Username: email, SecretHash: secretHash(email), ClientMetadata: { via: "reset" } }));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ triggerSource: "CustomMessage_ForgotPassword", request: { clientMetadata: { via: "reset" }, usernameParameter: null } });
    const message = await latest(email);
    expect(message.subject).toBe("Tobira パスワード再設定のご案内");
    expect(message.html).toContain(message.code);
  });

  test("UpdateUserAttributes and GetUserAttributeVerificationCode: CustomMessage_UpdateUserAttribute, then _VerifyUserAttribute, to the new address", async () => {
    const email = uniqueEmail("cm-attr");
    await signUpConfirmed(t, email);
    const tokens = await passwordSignIn(t, email);
    await t.cognito.send(new UpdateUserAttributesCommand({ AccessToken: tokens.AccessToken!, UserAttributes: [{ Name: "locale", Value: "ja" }] }));
    events.length = 0;
    const newEmail = uniqueEmail("cm-attr-new");
    await t.cognito.send(new UpdateUserAttributesCommand({ AccessToken: tokens.AccessToken!, UserAttributes: [{ Name: "email", Value: newEmail }] }));
    await t.cognito.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: tokens.AccessToken!, AttributeName: "email" }));
    expect(events.map((event) => [event.triggerSource, event.callerContext.clientId])).toEqual([
      ["CustomMessage_UpdateUserAttribute", bff.clientId],
      ["CustomMessage_VerifyUserAttribute", bff.clientId],
    ]);
    const [verify, update] = await outboxFor(t.emulator.url, newEmail);
    expect(update!.subject).toBe("Tobira 新しいメールアドレスの確認");
    expect(verify!.subject).toBe("Tobira の確認コード");
    expect(verify!.html).toContain(verify!.code);
  });
});

/** Confirms a signed-up user with the mailed code (the code is in the mail's `code` field). */
async function signUpConfirmedCode(email: string): Promise<void> {
  const message = await latest(email);
  await t.cognito.send(new ConfirmSignUpCommand({ ClientId: bff.clientId, Username: email, ConfirmationCode: message.code, SecretHash: secretHash(email) }));
}

describe("Cognito's answers to a CustomMessage trigger's answer", () => {
  test("a mail without the code placeholder fails the call with InvalidParameterException, and nothing is sent", async () => {
    standIn = async (event) => {
      event.response.emailMessage = "Welcome! Your code is below.";
      return event;
    };
    const email = uniqueEmail("cm-nocode");
    await expectCognitoError(signUpWith(email), "InvalidParameterException", /Value at 'emailBody' failed to satisfy constraint: .*\\\{####\\\}/);
    expect(await outboxFor(t.emulator.url, email)).toEqual([]);
  });

  test("fields left null keep Cognito's default message; a subject alone replaces the default subject only", async () => {
    standIn = async (event) => event;
    const plain = uniqueEmail("cm-null");
    await signUpWith(plain, { locale: "ja" });
    expect(await latest(plain)).toMatchObject({ subject: "Your verification code", text: expect.stringMatching(/^Your confirmation code is \d{6}$/) });
    expect((await latest(plain)).html).toBeUndefined();

    standIn = async (event) => {
      event.response.emailSubject = "Only the subject";
      return event;
    };
    const subjectOnly = uniqueEmail("cm-subject");
    await signUpWith(subjectOnly);
    expect(await latest(subjectOnly)).toMatchObject({ subject: "Only the subject", text: expect.stringMatching(/^Your confirmation code is \d{6}$/) });
  });

  test("a mail over Cognito's 20,000 characters fails the call", async () => {
    standIn = async (event) => {
      event.response.emailMessage = `${"x".repeat(20_000)}{####}`;
      return event;
    };
    await expectCognitoError(signUpWith(uniqueEmail("cm-long")), "InvalidParameterException", /length less than or equal to 20000/);
  });

  test("a trigger that throws fails the call with UserLambdaValidationException", async () => {
    standIn = async () => {
      throw new Error("template missing");
    };
    await expectCognitoError(signUpWith(uniqueEmail("cm-throw")), "UserLambdaValidationException", "CustomMessage failed with error template missing.");
  });

  test("every placeholder occurrence gets the code", async () => {
    standIn = async (event) => {
      event.response.emailMessage = `<p>{####}</p><p>again: ${event.request.codeParameter}</p>`;
      return event;
    };
    const email = uniqueEmail("cm-twice");
    await signUpWith(email);
    const message = await latest(email);
    expect(message.html).toBe(`<p>${message.code}</p><p>again: ${message.code}</p>`);
  });
});

describe("the pool's email sending account", () => {
  test("with Cognito's default sender, a trigger that returns emailMessage fails the call with InvalidLambdaResponseException", async () => {
    const other = await startTestEmulator({ poolSettings: { emailSendingAccount: "COGNITO_DEFAULT" }, triggers: { customMessage: project } });
    try {
      const email = uniqueEmail("cm-default");
      await expectCognitoError(
        other.cognito.send(new SignUpCommand({ ClientId: bff.clientId, Username: email, Password: PASSWORD, SecretHash: secretHash(email) })),
        "InvalidLambdaResponseException",
      );
    } finally {
      await other.stop();
    }
  });

  test("the project's trigger, told the pool uses Cognito's sender, words no mail: Cognito's default goes out", async () => {
    // No stand-in: the emulator builds the project's trigger from the configuration, as the deployment does.
    const other = await startTestEmulator({ poolSettings: { emailSendingAccount: "COGNITO_DEFAULT" } });
    try {
      const email = uniqueEmail("cm-default-project");
      await other.cognito.send(
        new SignUpCommand({
          ClientId: bff.clientId,
          Username: email,
          Password: PASSWORD,
          SecretHash: secretHash(email),
          UserAttributes: [{ Name: "locale", Value: "ja" }],
        }),
      );
      expect((await outboxFor(other.emulator.url, email))[0]).toMatchObject({ subject: "Your verification code" });
    } finally {
      await other.stop();
    }
  });

  test("a pool without the trigger sends Cognito's default messages", async () => {
    const withoutTrigger = localConfigSchema.parse({ ...config, triggers: { ...config.triggers, customMessage: false } });
    const other = await startTestEmulator({ config: withoutTrigger });
    try {
      const email = uniqueEmail("cm-none");
      await other.cognito.send(
        new SignUpCommand({
          ClientId: bff.clientId,
          Username: email,
          Password: PASSWORD,
          SecretHash: secretHash(email),
          UserAttributes: [{ Name: "locale", Value: "ja" }],
        }),
      );
      expect((await outboxFor(other.emulator.url, email))[0]).toMatchObject({
        subject: "Your verification code",
        text: expect.stringMatching(/^Your confirmation code is \d{6}$/),
      });
    } finally {
      await other.stop();
    }
  });

  test("the local configuration attaches the trigger, as the deployment does", () => {
    expect(config.triggers.customMessage).toBe(true);
  });
});
