import type { Request } from "express";
import type { PasswordPolicy } from "../../common/local-config";
import { preferredLanguage, supportedLanguage, type UiLanguage } from "../../common/preferred-language";

/**
 * The managed login's words in English and Japanese. Cognito's managed login takes its language
 * from the `lang` query parameter and remembers it in a cookie, English by default
 * (docs/cognito-behaviour.md, "Managed login (hosted endpoints)"); the emulator carries `lang` on
 * every link and form of the flow instead, and without it follows the browser's Accept-Language.
 */

export type Language = UiLanguage;

/** The language of a managed-login request: a valid `lang` parameter, else Accept-Language, else English. */
export function managedLoginLanguage(req: Request): Language {
  return preferredLanguage(typeof req.query.lang === "string" ? req.query.lang : undefined, req.get("accept-language"));
}

/** `lang` as the authorization request may carry it: only a language the pages speak. */
export function langParameter(value: unknown): Language | undefined {
  return typeof value === "string" && value.length <= 35 ? supportedLanguage(value) : undefined;
}

export interface ManagedLoginText {
  signInTitle: string;
  signInHeading: string;
  signInFor: (client: string) => string;
  email: string;
  password: string;
  signInButton: string;
  needAccount: string;
  createAccount: string;
  forgotPassword: string;
  signUpTitle: string;
  signUpHeading: string;
  signUpFor: (client: string) => string;
  createAccountButton: string;
  haveAccount: string;
  signInLink: string;
  confirmTitle: string;
  confirmHeading: string;
  confirmLead: string;
  mailboxLead: string;
  confirmationCode: string;
  confirmButton: string;
  resendCode: string;
  backToSignIn: string;
  forgotTitle: string;
  forgotHeading: string;
  forgotLead: string;
  sendCodeButton: string;
  resetTitle: string;
  resetHeading: string;
  resetLead: string;
  resetCode: string;
  newPassword: string;
  resetButton: string;
  errorTitle: string;
  errorHeading: string;
  /** Notices other pages ask the sign-in page to show (fixed texts: nothing from the URL is echoed). */
  notices: { confirmed: string; reset: string };
  codeSentTo: (destination: string) => string;
  /** Enumeration-safe: said whether or not the account exists. */
  resetCodeMaybeSent: string;
  formExpired: string;
  signInFormExpired: string;
  enterEmailAndPassword: string;
  enterEmailAndAPassword: string;
  enterValidEmail: string;
  enterEmail: string;
  enterEmailAndCode: string;
  enterCodeAndPassword: string;
  passwordLimits: (max: number) => string;
  passwordRules: (policy: PasswordPolicy) => string;
  /** Cognito's error messages, as its managed login shows them; unknown ones pass through. */
  cognitoMessage: (message: string) => string;
}

const english: ManagedLoginText = {
  signInTitle: "Sign in",
  signInHeading: "Sign in",
  signInFor: (client) => `to ${client} — local Cognito managed login`,
  email: "Email",
  password: "Password",
  signInButton: "Sign in",
  needAccount: "Need an account?",
  createAccount: "Create an account",
  forgotPassword: "Forgot your password?",
  signUpTitle: "Create an account",
  signUpHeading: "Create an account",
  signUpFor: (client) => `for ${client} — local Cognito managed login`,
  createAccountButton: "Create account",
  haveAccount: "Already have an account?",
  signInLink: "Sign in",
  confirmTitle: "Confirm your account",
  confirmHeading: "Confirm your account",
  confirmLead: "Enter the confirmation code we sent by email.",
  mailboxLead: "The local mailbox is at",
  confirmationCode: "Confirmation code",
  confirmButton: "Confirm account",
  resendCode: "Resend code",
  backToSignIn: "Back to sign in",
  forgotTitle: "Reset your password",
  forgotHeading: "Forgot your password?",
  forgotLead: "Enter your email and we will send you a code to reset your password.",
  sendCodeButton: "Send code",
  resetTitle: "Set a new password",
  resetHeading: "Set a new password",
  resetLead: "Enter the code from the email and choose a new password.",
  resetCode: "Code",
  newPassword: "New password",
  resetButton: "Reset password",
  errorTitle: "Sign-in error",
  errorHeading: "An error was encountered with the requested page.",
  notices: { confirmed: "Account confirmed — sign in", reset: "Password reset — sign in with your new password" },
  codeSentTo: (destination) => `A new code was sent to ${destination}.`,
  resetCodeMaybeSent: "If an account exists for that email, we sent a code to it.",
  formExpired: "This form has expired. Enter your details again.",
  signInFormExpired: "This sign-in form has expired. Enter your details again.",
  enterEmailAndPassword: "Enter your email and password.",
  enterEmailAndAPassword: "Enter your email and a password.",
  enterValidEmail: "Enter a valid email address.",
  enterEmail: "Enter your email.",
  enterEmailAndCode: "Enter your email and the confirmation code.",
  enterCodeAndPassword: "Enter your email, the code and a new password.",
  passwordLimits: (max) => `Passwords have at most ${max} characters and cannot begin or end with a space.`,
  passwordRules(policy) {
    const needs = [
      policy.requireLowercase && "a lowercase letter",
      policy.requireUppercase && "an uppercase letter",
      policy.requireNumbers && "a number",
      policy.requireSymbols && "a symbol",
    ].filter((need): need is string => typeof need === "string");
    const list = needs.length <= 1 ? needs.join("") : `${needs.slice(0, -1).join(", ")} and ${needs.at(-1)!}`;
    return `At least ${policy.minimumLength} characters${list === "" ? "" : `, with ${list}`}.`;
  },
  cognitoMessage: (message) => message,
};

/** Cognito's messages the managed login shows, in Japanese (the API's own wording stays English). */
const japaneseCognitoMessages: Record<string, string> = {
  "Incorrect username or password.": "メールアドレスまたはパスワードが正しくありません。",
  "Password attempts exceeded": "パスワードの試行回数が上限を超えました。しばらくしてからお試しください。",
  "User is not confirmed.": "アカウントの確認が済んでいません。",
  "User is disabled.": "このアカウントは無効になっています。",
  "Invalid verification code provided, please try again.": "確認コードが正しくありません。もう一度お試しください。",
  "Invalid code provided, please request a code again.": "コードが無効です。新しいコードをリクエストしてください。",
  "An account with the given email already exists.": "このメールアドレスのアカウントはすでに存在します。",
  "User already exists": "このユーザーはすでに存在します。",
  "User is already confirmed.": "このアカウントはすでに確認済みです。",
  "Attempt limit exceeded, please try after some time.": "試行回数の上限に達しました。しばらくしてからお試しください。",
  "Password reset required for the user": "パスワードの再設定が必要です。「パスワードをお忘れですか？」から再設定してください。",
  "Username/client id combination not found.": "アカウントが見つかりません。",
};

const japanese: ManagedLoginText = {
  signInTitle: "サインイン",
  signInHeading: "サインイン",
  signInFor: (client) => `${client} へ — ローカル Cognito マネージドログイン`,
  email: "メールアドレス",
  password: "パスワード",
  signInButton: "サインイン",
  needAccount: "アカウントをお持ちでない場合は",
  createAccount: "アカウントを作成",
  forgotPassword: "パスワードをお忘れですか？",
  signUpTitle: "アカウントの作成",
  signUpHeading: "アカウントの作成",
  signUpFor: (client) => `${client} 用 — ローカル Cognito マネージドログイン`,
  createAccountButton: "アカウントを作成",
  haveAccount: "すでにアカウントをお持ちの場合は",
  signInLink: "サインイン",
  confirmTitle: "アカウントの確認",
  confirmHeading: "アカウントの確認",
  confirmLead: "メールでお送りした確認コードを入力してください。",
  mailboxLead: "ローカルのメールボックス:",
  confirmationCode: "確認コード",
  confirmButton: "アカウントを確認",
  resendCode: "コードを再送信",
  backToSignIn: "サインインに戻る",
  forgotTitle: "パスワードの再設定",
  forgotHeading: "パスワードをお忘れですか？",
  forgotLead: "メールアドレスを入力してください。パスワードを再設定するためのコードをお送りします。",
  sendCodeButton: "コードを送信",
  resetTitle: "新しいパスワードの設定",
  resetHeading: "新しいパスワードの設定",
  resetLead: "メールに記載されたコードを入力し、新しいパスワードを設定してください。",
  resetCode: "コード",
  newPassword: "新しいパスワード",
  resetButton: "パスワードを再設定",
  errorTitle: "サインインエラー",
  errorHeading: "リクエストされたページでエラーが発生しました。",
  notices: { confirmed: "アカウントを確認しました。サインインしてください。", reset: "パスワードを再設定しました。新しいパスワードでサインインしてください。" },
  codeSentTo: (destination) => `新しいコードを ${destination} に送信しました。`,
  resetCodeMaybeSent: "このメールアドレスのアカウントがある場合は、コードを送信しました。",
  formExpired: "このフォームの有効期限が切れました。もう一度入力してください。",
  signInFormExpired: "このサインインフォームの有効期限が切れました。もう一度入力してください。",
  enterEmailAndPassword: "メールアドレスとパスワードを入力してください。",
  enterEmailAndAPassword: "メールアドレスとパスワードを入力してください。",
  enterValidEmail: "正しいメールアドレスを入力してください。",
  enterEmail: "メールアドレスを入力してください。",
  enterEmailAndCode: "メールアドレスと確認コードを入力してください。",
  enterCodeAndPassword: "メールアドレス、コード、新しいパスワードを入力してください。",
  passwordLimits: (max) => `パスワードは ${max} 文字以内で、先頭と末尾に空白は使えません。`,
  passwordRules(policy) {
    const needs = [policy.requireLowercase && "英小文字", policy.requireUppercase && "英大文字", policy.requireNumbers && "数字", policy.requireSymbols && "記号"].filter(
      (need): need is string => typeof need === "string",
    );
    return `${policy.minimumLength} 文字以上${needs.length === 0 ? "" : `で、${needs.join("・")}をそれぞれ 1 文字以上含めてください`}。`;
  },
  cognitoMessage: (message) => japaneseCognitoMessages[message] ?? message,
};

export const MANAGED_LOGIN_TEXT: Record<Language, ManagedLoginText> = { en: english, ja: japanese };
