import type { CustomMessageTriggerEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { loadCustomMessageConfig } from "../../../triggers/config";
import { createCustomMessageHandler } from "../../../triggers/custom-message";
import { MAX_EMAIL_MESSAGE_CHARS, MAX_SMS_MESSAGE_CHARS, customMessageSources, languageOf, signInCodeMessage } from "../../../triggers/user-messages";
import { USER_NAME, emailUser } from "./events";

/** A CustomMessage event as Cognito sends it (AWS DG, "Custom message Lambda trigger"). */
function customMessageEvent(triggerSource: string, userAttributes: Record<string, string>, usernameParameter: string | null = null): CustomMessageTriggerEvent {
  return {
    version: "1",
    triggerSource,
    region: "us-east-1",
    userPoolId: "us-east-1_TobiraLcl",
    userName: USER_NAME,
    callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: "tobirabfflocalclient00000" },
    request: { userAttributes, codeParameter: "{####}", linkParameter: "{##Click Here##}", usernameParameter },
    response: { smsMessage: null, emailMessage: null, emailSubject: null },
  } as CustomMessageTriggerEvent;
}

const developer = createCustomMessageHandler({ emailSendingAccount: "DEVELOPER" });
const english = emailUser();
const japanese = { ...emailUser(), locale: "ja" };

function usernameFor(source: string): string | null {
  return source === "CustomMessage_AdminCreateUser" ? "{username}" : null;
}

/** Text a reader sees (tags dropped), to check the wording without the markup. */
function visibleText(html: string): string {
  return html.replace(/<[^>]*>/g, " ");
}

const expectedSubjects: Record<string, { en: RegExp; ja: RegExp }> = {
  CustomMessage_SignUp: { en: /^Confirm your Tobira account$/, ja: /^Tobira アカウントの確認コード$/ },
  CustomMessage_ResendCode: { en: /new Tobira confirmation code/, ja: /新しい確認コード/ },
  CustomMessage_ForgotPassword: { en: /^Reset your Tobira password$/, ja: /パスワード再設定/ },
  CustomMessage_UpdateUserAttribute: { en: /new Tobira email address/, ja: /新しいメールアドレスの確認/ },
  CustomMessage_VerifyUserAttribute: { en: /Tobira verification code/, ja: /確認コード/ },
  CustomMessage_AdminCreateUser: { en: /account is ready/, ja: /アカウントのご案内/ },
  CustomMessage_Authentication: { en: /sign-in code/, ja: /サインインコード/ },
};

describe("CustomMessage trigger: every source Cognito names, in both languages", () => {
  for (const source of customMessageSources) {
    for (const [language, attributes] of [
      ["en", english],
      ["ja", japanese],
    ] as const) {
      it(`${source} (${language}): a branded HTML mail, a subject and an SMS, each keeping the code placeholder`, async () => {
        const event = await developer(customMessageEvent(source, attributes, usernameFor(source)));
        const { emailMessage, emailSubject, smsMessage } = event.response;
        expect(emailSubject).toMatch(expectedSubjects[source]![language]);
        expect(emailMessage).toContain("{####}");
        expect(emailMessage).toContain(`<html lang="${language}">`);
        expect(emailMessage).toContain("Tobira");
        expect(smsMessage).toContain("{####}");
        // Cognito's limits, with the 6-digit code in place of the placeholder.
        expect(emailMessage!.replace("{####}", "123456").length).toBeLessThanOrEqual(MAX_EMAIL_MESSAGE_CHARS);
        expect([...smsMessage!.replace("{####}", "123456").replace("{username}", "x".repeat(36))].length).toBeLessThanOrEqual(MAX_SMS_MESSAGE_CHARS);
        const text = visibleText(emailMessage!);
        if (language === "ja") {
          // Polite Japanese (です/ます), not English.
          expect(text).toMatch(/(ください|ます|です)。/);
          expect(text).not.toMatch(/\b(the|your|code is)\b/i);
        } else {
          expect(text).not.toMatch(/[\u3040-\u30ff]/);
        }
      });
    }
  }

  it("CustomMessage_AdminCreateUser carries the user-name placeholder as well as the temporary password's", async () => {
    const event = await developer(customMessageEvent("CustomMessage_AdminCreateUser", japanese, "{username}"));
    expect(event.response.emailMessage).toContain("{username}");
    expect(event.response.emailMessage).toContain("仮パスワード");
    expect(event.response.smsMessage).toContain("{username}");
  });

  it("uses the placeholders the request names, not hard-coded ones", async () => {
    const event = customMessageEvent("CustomMessage_SignUp", english);
    event.request.codeParameter = "{%CODE%}";
    const answered = await developer(event);
    expect(answered.response.emailMessage).toContain("{%CODE%}");
    expect(answered.response.smsMessage).toContain("{%CODE%}");
  });
});

describe("CustomMessage trigger: choosing the language", () => {
  it("words the message in English for a user without a locale", async () => {
    const event = await developer(customMessageEvent("CustomMessage_ForgotPassword", english));
    expect(event.response.emailSubject).toBe("Reset your Tobira password");
  });

  it("takes ja-JP (a regional tag) as Japanese", async () => {
    const event = await developer(customMessageEvent("CustomMessage_ForgotPassword", { ...english, locale: "ja-JP" }));
    expect(event.response.emailSubject).toBe("Tobira パスワード再設定のご案内");
  });

  it("takes any other language as English", async () => {
    const event = await developer(customMessageEvent("CustomMessage_ForgotPassword", { ...english, locale: "fr-FR" }));
    expect(event.response.emailSubject).toBe("Reset your Tobira password");
  });

  it.each([
    ["ja", "ja"],
    ["JA-jp", "ja"],
    ["ja_JP", "ja"],
    [" ja ", "ja"],
    ["jav", "en"],
    ["kaja", "en"],
    ["x-ja", "en"],
    ["en-GB", "en"],
    ["", "en"],
    [undefined, "en"],
  ])("languageOf(%j) is %s", (locale, language) => {
    expect(languageOf(locale)).toBe(language);
  });
});

describe("CustomMessage trigger: what it leaves to Cognito", () => {
  it("returns an unknown source untouched, so Cognito sends its default message", async () => {
    const event = customMessageEvent("CustomMessage_SomethingNew", japanese);
    const answered = await developer(structuredClone(event));
    expect(answered).toEqual(event);
  });

  it("leaves an invitation without a user-name placeholder untouched (a message without the user name would strand the user)", async () => {
    const event = customMessageEvent("CustomMessage_AdminCreateUser", english, null);
    expect((await developer(structuredClone(event))).response).toEqual(event.response);
  });

  it("with Cognito's default sender, words the SMS only: Cognito refuses a trigger's mail text unless the pool sends through SES", async () => {
    const cognitoDefault = createCustomMessageHandler({ emailSendingAccount: "COGNITO_DEFAULT" });
    const event = await cognitoDefault(customMessageEvent("CustomMessage_SignUp", japanese));
    expect(event.response).toEqual({ smsMessage: expect.stringContaining("{####}"), emailMessage: null, emailSubject: null });
  });

  it("puts no user attribute in the mail, so nothing a user typed can inject markup", async () => {
    const event = await developer(customMessageEvent("CustomMessage_SignUp", { ...english, name: "<script>alert(1)</script>" }));
    expect(event.response.emailMessage).not.toContain("<script>");
  });
});

describe("CustomMessage trigger configuration", () => {
  it("defaults to a pool that sends with SES (the deployment's)", () => {
    expect(loadCustomMessageConfig({})).toEqual({ emailSendingAccount: "DEVELOPER" });
  });

  it("takes COGNITO_DEFAULT from EMAIL_SENDING_ACCOUNT", () => {
    expect(loadCustomMessageConfig({ EMAIL_SENDING_ACCOUNT: "COGNITO_DEFAULT" })).toEqual({ emailSendingAccount: "COGNITO_DEFAULT" });
  });

  it("refuses any other EMAIL_SENDING_ACCOUNT, naming the variable", () => {
    expect(() => loadCustomMessageConfig({ EMAIL_SENDING_ACCOUNT: "SES" })).toThrow(/EMAIL_SENDING_ACCOUNT/);
  });
});

describe("the custom-auth sign-in code message", () => {
  it("is Japanese for a Japanese user, with the code in the text and large in the HTML", () => {
    const message = signInCodeMessage("ja", "042917", 300);
    expect(message.subject).toBe("Tobira のサインインコード");
    expect(message.text).toBe("Tobira のサインインコードは 042917 です。有効期限は 5 分です。サインインしようとしていない場合は、このメッセージを無視してください。");
    expect(message.html).toContain('<html lang="ja">');
    expect(message.html).toMatch(/font:700 28px[^>]*>042917</);
  });

  it("is English otherwise, saying 1 minute in the singular", () => {
    const message = signInCodeMessage("en", "042917", 60);
    expect(message.subject).toBe("Your Tobira sign-in code");
    expect(message.text).toContain("It expires in 1 minute.");
    expect(message.html).toContain('<html lang="en">');
  });
});
