import { brandedMailHtml, escapeMailHtml } from "../common/mail-layout";

/**
 * The words of every message the pool sends a person: the custom-auth sign-in code
 * (triggers/create-auth-challenge.ts) and Cognito's own messages through the CustomMessage trigger
 * (triggers/custom-message.ts), in English or Japanese by the user's `locale` attribute
 * (docs/architecture.md, "Messages and languages"). Mails are branded HTML with the code large
 * and easy to copy; SMS texts stay within Cognito's 140 characters.
 */

export type Language = "en" | "ja";

export const BRAND = "Tobira";

/** Cognito's limits for a CustomMessage answer, code included (AWS DG, "Custom message Lambda trigger"). */
export const MAX_EMAIL_MESSAGE_CHARS = 20_000;
export const MAX_SMS_MESSAGE_CHARS = 140;

/**
 * The language of the user's `locale` attribute (a BCP 47 tag, OpenID Connect Core §5.1): Japanese
 * for `ja` and its regional forms (`ja-JP`, `ja_JP`), English for anything else or nothing.
 */
export function languageOf(locale: string | undefined): Language {
  return locale !== undefined && /^ja(?:[-_]|$)/i.test(locale.trim()) ? "ja" : "en";
}

/** One mail's content in words; `code` is inserted as it is (a code or Cognito's `{####}` placeholder). */
export interface MailWords {
  subject: string;
  heading: string;
  /** What the mail is for and what to do with the code. */
  intro: string;
  codeLabel: string;
  code: string;
  /** Extra facts shown above the code (e.g. the user name of an account an administrator created). */
  facts?: [string, string][];
  /** How long the code lasts. */
  validity: string;
  /** What to do if the reader did not ask for it. */
  ifNotYou: string;
}

const FOOTER: Record<Language, string> = {
  en: `This is an automatic message from ${BRAND}. Never share this code: ${BRAND} staff will never ask for it.`,
  ja: `このメールは ${BRAND} から自動送信されています。このコードは誰にも教えないでください。${BRAND} のスタッフがコードをお尋ねすることはありません。`,
};

/** The mail's body in the shared layout (common/mail-layout.ts): the code in a large monospaced box that a double-click selects whole. */
export function mailHtml(language: Language, words: MailWords): string {
  const facts = (words.facts ?? [])
    .map(
      ([name, value]) =>
        `<tr><th align="left" style="padding:2px 12px 2px 0;color:#555;font-weight:normal">${escapeMailHtml(name)}</th><td style="padding:2px 0">${escapeMailHtml(value)}</td></tr>`,
    )
    .join("");
  const contentHtml = `<h1 style="margin:0 0 12px;font-size:20px">${escapeMailHtml(words.heading)}</h1>
<p style="margin:0 0 16px">${escapeMailHtml(words.intro)}</p>
${facts === "" ? "" : `<table role="presentation" style="margin:0 0 16px">${facts}</table>`}
<p style="margin:0 0 4px;color:#555;font-size:14px">${escapeMailHtml(words.codeLabel)}</p>
<p style="margin:0 0 16px"><span style="display:inline-block;padding:12px 20px;background:#eef2fb;border:1px solid #c9d5f2;border-radius:6px;font:700 28px/1.2 ui-monospace,Menlo,Consolas,monospace;letter-spacing:4px;color:#10245e">${escapeMailHtml(words.code)}</span></p>
<p style="margin:0 0 16px">${escapeMailHtml(words.validity)}</p>
<p style="margin:0 0 16px">${escapeMailHtml(words.ifNotYou)}</p>`;
  return brandedMailHtml({ language, brand: BRAND, title: words.subject, contentHtml, footer: FOOTER[language] });
}

/** The same words as plain text, for the text part of a two-part mail. */
export function mailText(language: Language, words: MailWords): string {
  const facts = (words.facts ?? []).map(([name, value]) => `${name}: ${value}`);
  return [words.heading, "", words.intro, "", ...facts, `${words.codeLabel}: ${words.code}`, "", words.validity, words.ifNotYou, "", FOOTER[language]].join("\n");
}

// ---- the custom-auth sign-in code -----------------------------------------------------------

export interface SignInCodeMessage {
  subject: string;
  /** The SMS text, and the text part of the mail. */
  text: string;
  html: string;
}

function minutes(ttlSeconds: number): number {
  return Math.max(1, Math.ceil(ttlSeconds / 60));
}

/** The sign-in code the create-auth-challenge trigger sends, by mail (text and HTML) or SMS (text). */
export function signInCodeMessage(language: Language, code: string, ttlSeconds: number): SignInCodeMessage {
  const lifetime = minutes(ttlSeconds);
  if (language === "ja") {
    const words: MailWords = {
      subject: `${BRAND} のサインインコード`,
      heading: "サインインコード",
      intro: `${BRAND} へのサインインを完了するには、次のコードを入力してください。`,
      codeLabel: "サインインコード",
      code,
      validity: `このコードの有効期限は ${lifetime} 分です。`,
      ifNotYou: "サインインしようとしていない場合は、このメッセージを無視してください。パスワードが他人に知られている可能性があるため、変更をおすすめします。",
    };
    return {
      subject: words.subject,
      text: `${BRAND} のサインインコードは ${code} です。有効期限は ${lifetime} 分です。サインインしようとしていない場合は、このメッセージを無視してください。`,
      html: mailHtml(language, words),
    };
  }
  const words: MailWords = {
    subject: `Your ${BRAND} sign-in code`,
    heading: "Your sign-in code",
    intro: `Enter this code to finish signing in to ${BRAND}.`,
    codeLabel: "Sign-in code",
    code,
    validity: `It expires in ${lifetime === 1 ? "1 minute" : `${lifetime} minutes`}.`,
    ifNotYou: "If you did not try to sign in, ignore this message — and consider changing your password, as someone may know it.",
  };
  return {
    subject: words.subject,
    text: `Your ${BRAND} sign-in code is ${code}. It expires in ${lifetime === 1 ? "1 minute" : `${lifetime} minutes`}. If you did not try to sign in, ignore this message.`,
    html: mailHtml(language, words),
  };
}

// ---- Cognito's own messages (the CustomMessage trigger) ----------------------------------------

/** The CustomMessage trigger sources this project words (AWS DG, "Custom message Lambda trigger sources"). */
export const customMessageSources = [
  "CustomMessage_SignUp",
  "CustomMessage_ResendCode",
  "CustomMessage_ForgotPassword",
  "CustomMessage_UpdateUserAttribute",
  "CustomMessage_VerifyUserAttribute",
  "CustomMessage_AdminCreateUser",
  "CustomMessage_Authentication",
] as const;
export type CustomMessageSource = (typeof customMessageSources)[number];

export function isCustomMessageSource(source: string): source is CustomMessageSource {
  return (customMessageSources as readonly string[]).includes(source);
}

export interface CustomMessage {
  emailSubject: string;
  /** HTML: Cognito sends one email body, and it may be HTML. */
  emailMessage: string;
  smsMessage: string;
}

/** Cognito's placeholders, as the event names them: the code (or temporary password) and, for AdminCreateUser, the user name. */
export interface Placeholders {
  code: string;
  username?: string;
}

type Wording = Omit<MailWords, "code" | "facts"> & { sms: (p: Placeholders) => string; facts?: (p: Placeholders) => [string, string][] };

/**
 * Sign-up codes last 24 hours, reset codes 1 hour (AWS DG, "Signing up and confirming user
 * accounts", "Recovering user accounts"); attribute codes 24 hours; an invitation's temporary
 * password as long as the pool says (7 days by default).
 */
const WORDING: Record<Language, Record<CustomMessageSource, Wording>> = {
  en: {
    CustomMessage_SignUp: {
      subject: `Confirm your ${BRAND} account`,
      heading: "Confirm your email address",
      intro: `Thanks for signing up for ${BRAND}. Enter this code on the sign-up page to finish creating your account.`,
      codeLabel: "Confirmation code",
      validity: "The code is valid for 24 hours.",
      ifNotYou: "If you did not sign up, ignore this email: the account stays inactive without the code.",
      sms: (p) => `Your ${BRAND} confirmation code is ${p.code}. It is valid for 24 hours.`,
    },
    CustomMessage_ResendCode: {
      subject: `Your new ${BRAND} confirmation code`,
      heading: "Your new confirmation code",
      intro: `Here is a new code to finish creating your ${BRAND} account. Earlier codes no longer work.`,
      codeLabel: "Confirmation code",
      validity: "The code is valid for 24 hours.",
      ifNotYou: "If you did not sign up, ignore this email: the account stays inactive without the code.",
      sms: (p) => `Your new ${BRAND} confirmation code is ${p.code}. It is valid for 24 hours.`,
    },
    CustomMessage_ForgotPassword: {
      subject: `Reset your ${BRAND} password`,
      heading: "Reset your password",
      intro: `Someone asked to reset the password of your ${BRAND} account. Enter this code to choose a new password.`,
      codeLabel: "Reset code",
      validity: "The code is valid for 1 hour.",
      ifNotYou: "If it was not you, ignore this email: your password stays as it is.",
      sms: (p) => `Your ${BRAND} password reset code is ${p.code}. It is valid for 1 hour. Not you? Ignore this message.`,
    },
    CustomMessage_UpdateUserAttribute: {
      subject: `Confirm your new ${BRAND} email address`,
      heading: "Confirm your new address",
      intro: `Enter this code in ${BRAND} to confirm that this address is yours. Until then your account keeps its old address.`,
      codeLabel: "Verification code",
      validity: "The code is valid for 24 hours.",
      ifNotYou: `If you did not change your address in ${BRAND}, ignore this email: nothing changes without the code.`,
      sms: (p) => `Your ${BRAND} verification code is ${p.code}. Enter it to confirm this number.`,
    },
    CustomMessage_VerifyUserAttribute: {
      subject: `Your ${BRAND} verification code`,
      heading: "Verify your address",
      intro: `Enter this code in ${BRAND} to confirm that this address is yours.`,
      codeLabel: "Verification code",
      validity: "The code is valid for 24 hours.",
      ifNotYou: `If you did not ask for it, ignore this email.`,
      sms: (p) => `Your ${BRAND} verification code is ${p.code}. Enter it to confirm this number.`,
    },
    CustomMessage_AdminCreateUser: {
      subject: `Your ${BRAND} account is ready`,
      heading: `Welcome to ${BRAND}`,
      intro: `An administrator created a ${BRAND} account for you. Sign in with the user name and temporary password below; you will then choose your own password.`,
      codeLabel: "Temporary password",
      validity: "The temporary password expires after a few days: sign in soon.",
      ifNotYou: "If you did not expect this, ignore this email or tell your administrator.",
      facts: (p) => [["User name", p.username ?? ""]],
      sms: (p) => `${BRAND}: your user name is ${p.username ?? ""} and your temporary password is ${p.code}`,
    },
    CustomMessage_Authentication: {
      subject: `Your ${BRAND} sign-in code`,
      heading: "Your sign-in code",
      intro: `Enter this code to finish signing in to ${BRAND}.`,
      codeLabel: "Sign-in code",
      validity: "The code expires in a few minutes.",
      ifNotYou: "If you did not try to sign in, someone may know your password: change it now.",
      sms: (p) => `Your ${BRAND} sign-in code is ${p.code}. Never share it.`,
    },
  },
  ja: {
    CustomMessage_SignUp: {
      subject: `${BRAND} アカウントの確認コード`,
      heading: "メールアドレスの確認",
      intro: `${BRAND} にご登録いただきありがとうございます。登録画面に次の確認コードを入力して、アカウントの作成を完了してください。`,
      codeLabel: "確認コード",
      validity: "このコードの有効期限は 24 時間です。",
      ifNotYou: "登録した覚えがない場合は、このメールを破棄してください。コードを入力しない限り、アカウントは有効になりません。",
      sms: (p) => `${BRAND} の確認コードは ${p.code} です。有効期限は 24 時間です。`,
    },
    CustomMessage_ResendCode: {
      subject: `${BRAND} アカウントの新しい確認コード`,
      heading: "新しい確認コード",
      intro: `${BRAND} アカウントの作成を完了するための、新しい確認コードをお送りします。以前のコードは使えなくなりました。`,
      codeLabel: "確認コード",
      validity: "このコードの有効期限は 24 時間です。",
      ifNotYou: "登録した覚えがない場合は、このメールを破棄してください。コードを入力しない限り、アカウントは有効になりません。",
      sms: (p) => `${BRAND} の新しい確認コードは ${p.code} です。有効期限は 24 時間です。`,
    },
    CustomMessage_ForgotPassword: {
      subject: `${BRAND} パスワード再設定のご案内`,
      heading: "パスワードの再設定",
      intro: `${BRAND} アカウントのパスワード再設定のリクエストを受け付けました。次のコードを入力して、新しいパスワードを設定してください。`,
      codeLabel: "再設定コード",
      validity: "このコードの有効期限は 1 時間です。",
      ifNotYou: "お心当たりがない場合は、このメールを破棄してください。パスワードは変更されません。",
      sms: (p) => `${BRAND} のパスワード再設定コードは ${p.code} です。有効期限は 1 時間です。お心当たりがない場合は無視してください。`,
    },
    CustomMessage_UpdateUserAttribute: {
      subject: `${BRAND} 新しいメールアドレスの確認`,
      heading: "新しいメールアドレスの確認",
      intro: `このアドレスがご本人のものであることを確認するため、${BRAND} で次のコードを入力してください。確認が済むまでは、以前のアドレスが使われます。`,
      codeLabel: "確認コード",
      validity: "このコードの有効期限は 24 時間です。",
      ifNotYou: `${BRAND} でアドレスを変更した覚えがない場合は、このメールを破棄してください。コードを入力しない限り、何も変更されません。`,
      sms: (p) => `${BRAND} の確認コードは ${p.code} です。この電話番号を確認するために入力してください。`,
    },
    CustomMessage_VerifyUserAttribute: {
      subject: `${BRAND} の確認コード`,
      heading: "連絡先の確認",
      intro: `このアドレスがご本人のものであることを確認するため、${BRAND} で次のコードを入力してください。`,
      codeLabel: "確認コード",
      validity: "このコードの有効期限は 24 時間です。",
      ifNotYou: "お心当たりがない場合は、このメールを破棄してください。",
      sms: (p) => `${BRAND} の確認コードは ${p.code} です。この電話番号を確認するために入力してください。`,
    },
    CustomMessage_AdminCreateUser: {
      subject: `${BRAND} アカウントのご案内`,
      heading: `${BRAND} へようこそ`,
      intro: `管理者があなたの ${BRAND} アカウントを作成しました。次のユーザー名と仮パスワードでサインインし、ご自身のパスワードを設定してください。`,
      codeLabel: "仮パスワード",
      validity: "仮パスワードには有効期限があります。お早めにサインインしてください。",
      ifNotYou: "お心当たりがない場合は、このメールを破棄するか、管理者にお問い合わせください。",
      facts: (p) => [["ユーザー名", p.username ?? ""]],
      sms: (p) => `${BRAND} のユーザー名は ${p.username ?? ""}、仮パスワードは ${p.code} です。`,
    },
    CustomMessage_Authentication: {
      subject: `${BRAND} のサインインコード`,
      heading: "サインインコード",
      intro: `${BRAND} へのサインインを完了するには、次のコードを入力してください。`,
      codeLabel: "サインインコード",
      validity: "このコードの有効期限は数分です。",
      ifNotYou: "サインインしようとしていない場合は、パスワードが他人に知られている可能性があります。すぐに変更してください。",
      sms: (p) => `${BRAND} のサインインコードは ${p.code} です。誰にも教えないでください。`,
    },
  },
};

/** Cognito's message for `source` in `language`, with the placeholders where the code and user name go. */
export function customMessageFor(source: CustomMessageSource, language: Language, placeholders: Placeholders): CustomMessage {
  const { facts, sms, ...wording } = WORDING[language][source];
  const words: MailWords = { ...wording, code: placeholders.code, ...(facts === undefined ? {} : { facts: facts(placeholders) }) };
  return { emailSubject: wording.subject, emailMessage: mailHtml(language, words), smsMessage: sms(placeholders) };
}
