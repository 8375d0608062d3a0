import { customMessageFor, customMessageSources, isCustomMessageSource, mailHtml, mailText, signInCodeMessage, type MailWords } from "../../../triggers/user-messages";

/**
 * The words the pool sends people: the SMS of every CustomMessage source in both languages (a
 * reader sees these exact texts), the mail's content block and text part, and the sign-in code's
 * lifetime in minutes.
 */

const placeholders = { code: "{####}", username: "{username}" };

const expectedSms: Record<"en" | "ja", Record<string, string>> = {
  en: {
    CustomMessage_SignUp: "Your Tobira confirmation code is {####}. It is valid for 24 hours.",
    CustomMessage_ResendCode: "Your new Tobira confirmation code is {####}. It is valid for 24 hours.",
    CustomMessage_ForgotPassword: "Your Tobira password reset code is {####}. It is valid for 1 hour. Not you? Ignore this message.",
    CustomMessage_UpdateUserAttribute: "Your Tobira verification code is {####}. Enter it to confirm this number.",
    CustomMessage_VerifyUserAttribute: "Your Tobira verification code is {####}. Enter it to confirm this number.",
    CustomMessage_AdminCreateUser: "Tobira: your user name is {username} and your temporary password is {####}",
    CustomMessage_Authentication: "Your Tobira sign-in code is {####}. Never share it.",
  },
  ja: {
    CustomMessage_SignUp: "Tobira の確認コードは {####} です。有効期限は 24 時間です。",
    CustomMessage_ResendCode: "Tobira の新しい確認コードは {####} です。有効期限は 24 時間です。",
    CustomMessage_ForgotPassword: "Tobira のパスワード再設定コードは {####} です。有効期限は 1 時間です。お心当たりがない場合は無視してください。",
    CustomMessage_UpdateUserAttribute: "Tobira の確認コードは {####} です。この電話番号を確認するために入力してください。",
    CustomMessage_VerifyUserAttribute: "Tobira の確認コードは {####} です。この電話番号を確認するために入力してください。",
    CustomMessage_AdminCreateUser: "Tobira のユーザー名は {username}、仮パスワードは {####} です。",
    CustomMessage_Authentication: "Tobira のサインインコードは {####} です。誰にも教えないでください。",
  },
};

describe("the SMS of each CustomMessage source", () => {
  for (const language of ["en", "ja"] as const)
    for (const source of customMessageSources)
      it(`${source} (${language}) reads as worded, with the placeholders in place`, () => {
        expect(customMessageFor(source, language, placeholders).smsMessage).toBe(expectedSms[language][source]);
      });
});

describe("an invitation's user name", () => {
  it.each(["en", "ja"] as const)("is shown as a fact in the %s mail, above the temporary password", (language) => {
    const html = customMessageFor("CustomMessage_AdminCreateUser", language, placeholders).emailMessage;
    expect(html).toMatch(/<table role="presentation" style="margin:0 0 16px"><tr><th [^>]*>[^<]+<\/th><td [^>]*>\{username\}<\/td><\/tr><\/table>/);
  });

  it.each(["en", "ja"] as const)("is left empty, not 'undefined', when Cognito names no placeholder (%s)", (language) => {
    const message = customMessageFor("CustomMessage_AdminCreateUser", language, { code: "{####}" });
    expect(message.smsMessage).toBe(expectedSms[language].CustomMessage_AdminCreateUser!.replace("{username}", ""));
    expect(message.emailMessage).toMatch(/<tr><th [^>]*>[^<]+<\/th><td style="padding:2px 0"><\/td><\/tr>/);
  });
});

describe("the CustomMessage sources this project words", () => {
  it("are the seven Cognito names, and nothing else", () => {
    for (const source of customMessageSources) expect(isCustomMessageSource(source)).toBe(true);
    for (const other of ["CustomMessage_SomethingNew", "", "customMessage_SignUp", "toString"]) expect(isCustomMessageSource(other)).toBe(false);
  });
});

const words: MailWords = { subject: "S", heading: "H", intro: "I", codeLabel: "L", code: "C", facts: [["N", "V"]], validity: "Va", ifNotYou: "Y" };

describe("a mail's content", () => {
  it("shows heading, intro, facts, code label, the code in its box, validity and what to do if not you, in that order", () => {
    expect(mailHtml("en", words)).toContain(`<h1 style="margin:0 0 12px;font-size:20px">H</h1>
<p style="margin:0 0 16px">I</p>
<table role="presentation" style="margin:0 0 16px"><tr><th align="left" style="padding:2px 12px 2px 0;color:#555;font-weight:normal">N</th><td style="padding:2px 0">V</td></tr></table>
<p style="margin:0 0 4px;color:#555;font-size:14px">L</p>
<p style="margin:0 0 16px"><span style="display:inline-block;padding:12px 20px;background:#eef2fb;border:1px solid #c9d5f2;border-radius:6px;font:700 28px/1.2 ui-monospace,Menlo,Consolas,monospace;letter-spacing:4px;color:#10245e">C</span></p>
<p style="margin:0 0 16px">Va</p>
<p style="margin:0 0 16px">Y</p>`);
  });

  it("puts each fact in a row of its own, rows side by side", () => {
    const html = mailHtml("en", {
      ...words,
      facts: [
        ["N", "V"],
        ["M", "W"],
      ],
    });
    expect(html).toContain(
      '<table role="presentation" style="margin:0 0 16px"><tr><th align="left" style="padding:2px 12px 2px 0;color:#555;font-weight:normal">N</th><td style="padding:2px 0">V</td></tr><tr><th align="left" style="padding:2px 12px 2px 0;color:#555;font-weight:normal">M</th><td style="padding:2px 0">W</td></tr></table>',
    );
  });

  it("has no facts table when there are no facts", () => {
    const { facts: _facts, ...withoutFacts } = words;
    const html = mailHtml("en", withoutFacts);
    expect(html).toContain(`<p style="margin:0 0 16px">I</p>\n\n<p style="margin:0 0 4px;color:#555;font-size:14px">L</p>`);
    expect(html).not.toContain('<table role="presentation" style="margin:0 0 16px">');
  });

  it("escapes every word put into the markup, facts included", () => {
    const html = mailHtml("en", { ...words, heading: "<h>", facts: [["<n>", "<v>"]], code: "<c>" });
    expect(html).not.toMatch(/<h>|<n>|<v>|<c>/);
    expect(html).toContain("&#60;n&#62;");
    expect(html).toContain("&#60;v&#62;");
  });

  it("has a text part with the same words, facts as `name: value`, and the footer", () => {
    expect(mailText("en", words)).toBe(
      "H\n\nI\n\nN: V\nL: C\n\nVa\nY\n\nThis is an automatic message from Tobira. Never share this code: Tobira staff will never ask for it.",
    );
    const { facts: _facts, ...withoutFacts } = words;
    expect(mailText("ja", withoutFacts)).toMatch(/^H\n\nI\n\nL: C\n\nVa\nY\n\nこのメールは Tobira から自動送信されています。/);
  });
});

describe("the sign-in code's lifetime", () => {
  it.each([
    [0, "1 minute"],
    [30, "1 minute"],
    [60, "1 minute"],
    [61, "2 minutes"],
    [300, "5 minutes"],
  ])("a code living %i seconds is said to expire in %s, rounded up", (ttlSeconds, said) => {
    const message = signInCodeMessage("en", "042917", ttlSeconds);
    expect(message.text).toBe(`Your Tobira sign-in code is 042917. It expires in ${said}. If you did not try to sign in, ignore this message.`);
    expect(message.html).toContain(`<p style="margin:0 0 16px">It expires in ${said}.</p>`);
  });

  it("is said in minutes in the Japanese mail as well", () => {
    const message = signInCodeMessage("ja", "042917", 90);
    expect(message.text).toContain("有効期限は 2 分です。");
    expect(message.html).toContain("このコードの有効期限は 2 分です。");
  });

  it.each(["en", "ja"] as const)("the %s mail carries the heading, intro, code label and what to do if not you", (language) => {
    const html = signInCodeMessage(language, "042917", 300).html;
    const expected =
      language === "en"
        ? [
            "Your sign-in code",
            "Enter this code to finish signing in to Tobira.",
            "Sign-in code",
            "If you did not try to sign in, ignore this message — and consider changing your password, as someone may know it.",
          ]
        : [
            "サインインコード",
            "Tobira へのサインインを完了するには、次のコードを入力してください。",
            "サインインしようとしていない場合は、このメッセージを無視してください。パスワードが他人に知られている可能性があるため、変更をおすすめします。",
          ];
    for (const text of expected) expect(html).toContain(`>${text}</`);
    const heading = language === "en" ? "Your sign-in code" : "サインインコード";
    const codeLabel = language === "en" ? "Sign-in code" : "サインインコード";
    expect(html).toContain(`<h1 style="margin:0 0 12px;font-size:20px">${heading}</h1>`);
    expect(html).toContain(`<p style="margin:0 0 4px;color:#555;font-size:14px">${codeLabel}</p>`);
    expect(html).toContain(`<title>${language === "en" ? "Your Tobira sign-in code" : "Tobira のサインインコード"}</title>`);
  });
});
