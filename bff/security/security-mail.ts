import { brandedMailHtml, escapeMailHtml } from "../../common/mail-layout";
import { summariseUserAgent } from "./device-summary";
import type { SecurityEvent } from "./security-event-types";

/**
 * The security mails (OWASP Authentication Cheat Sheet, "Notify users of account changes"):
 * what happened, when, from what device, and what to do if it was not the reader. Plain text and
 * HTML from one set of sentences, in English or Japanese by the user's `locale` attribute. Only
 * the events below send a mail; the rest are history only.
 */

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

export interface MailLinks {
  appName: string;
  /** The account page (sessions, sign out everywhere). */
  accountUrl: string;
  /** The forgotten-password page. */
  resetUrl: string;
}

type Language = "en" | "ja";

interface Sentences {
  subject: string;
  /** What happened, one sentence. */
  happened: string;
  /** What to do if it was not the reader. */
  ifNotYou: string;
}

function languageOf(locale: string | undefined): Language {
  return locale?.toLowerCase().startsWith("ja") ? "ja" : "en";
}

/** The new address, masked as Cognito masks destinations: the old inbox need not learn it in full. */
function masked(address: string | undefined): string {
  if (address === undefined) return "";
  const at = address.lastIndexOf("@");
  return at < 0 ? "***" : `${address.charAt(0)}***@${address.charAt(at + 1)}***`;
}

function sentencesFor(event: SecurityEvent, links: MailLinks, language: Language): Sentences | undefined {
  const app = links.appName;
  const en = language === "en";
  const secure = en
    ? `If this wasn't you, reset your password now (${links.resetUrl}) and sign out everywhere from your account page (${links.accountUrl}).`
    : `お心当たりがない場合は、すぐにパスワードを再設定し (${links.resetUrl})、アカウントページからすべての端末でサインアウトしてください (${links.accountUrl})。`;
  switch (event.type) {
    case "sign_in_succeeded":
      if (event.newDevice !== true) return undefined;
      return en
        ? {
            subject: `New sign-in to your ${app} account`,
            happened: `Your ${app} account was signed in to from a device it had not been used on before.`,
            ifNotYou: secure,
          }
        : {
            subject: `${app} アカウントへの新しい端末からのサインイン`,
            happened: `これまで使われたことのない端末から ${app} アカウントにサインインがありました。`,
            ifNotYou: secure,
          };
    case "password_changed":
      return en
        ? {
            subject: `Your ${app} password was changed`,
            happened: `The password of your ${app} account was changed. Your other sessions and app connections were ended.`,
            ifNotYou: secure,
          }
        : {
            subject: `${app} のパスワードが変更されました`,
            happened: `${app} アカウントのパスワードが変更されました。他の端末のセッションとアプリとの接続は終了しました。`,
            ifNotYou: secure,
          };
    case "email_changed":
      return en
        ? {
            subject: `The email address of your ${app} account was changed`,
            happened: `The email address of your ${app} account was changed to ${masked(event.detail)}. This address no longer signs in to it.`,
            ifNotYou: `If this wasn't you, someone else may control your account, and this address can no longer reset its password: contact the ${app} administrator.`,
          }
        : {
            subject: `${app} アカウントのメールアドレスが変更されました`,
            happened: `${app} アカウントのメールアドレスが ${masked(event.detail)} に変更されました。このアドレスではサインインできなくなりました。`,
            ifNotYou: `お心当たりがない場合、アカウントが第三者に使われている可能性があります。${app} の管理者に連絡してください。`,
          };
    case "passkey_added":
      return en
        ? {
            subject: `A passkey was added to your ${app} account`,
            happened: `A passkey${event.detail ? ` ("${event.detail}")` : ""} was added to your ${app} account. It can now be used to sign in.`,
            ifNotYou: secure,
          }
        : {
            subject: `${app} アカウントにパスキーが追加されました`,
            happened: `${app} アカウントにパスキー${event.detail ? `「${event.detail}」` : ""}が追加されました。`,
            ifNotYou: secure,
          };
    case "passkey_removed":
      return en
        ? {
            subject: `A passkey was removed from your ${app} account`,
            happened: `A passkey${event.detail ? ` ("${event.detail}")` : ""} was removed from your ${app} account.`,
            ifNotYou: secure,
          }
        : {
            subject: `${app} アカウントからパスキーが削除されました`,
            happened: `${app} アカウントからパスキー${event.detail ? `「${event.detail}」` : ""}が削除されました。`,
            ifNotYou: secure,
          };
    case "account_deleted":
      return en
        ? {
            subject: `Your ${app} account was deleted`,
            happened: `Your ${app} account and everything ${app} kept about it (sessions, passkeys, trusted devices, history, app connections) were deleted. Goodbye, and thank you.`,
            ifNotYou: `If this wasn't you, someone had access to your account: secure this mailbox. A deleted account cannot be restored, but you may sign up again.`,
          }
        : {
            subject: `${app} アカウントを削除しました`,
            happened: `${app} アカウントと、それに関して保存していたすべての情報 (セッション、パスキー、信頼済み端末、履歴、アプリとの接続) を削除しました。ご利用ありがとうございました。`,
            ifNotYou: `お心当たりがない場合は、このメールボックスの安全を確保してください。削除したアカウントは元に戻せませんが、再度登録できます。`,
          };
    default:
      return undefined;
  }
}

/** The mail for an event, or undefined when the event sends none. */
export function securityMailFor(event: SecurityEvent, links: MailLinks): MailContent | undefined {
  const language = languageOf(event.locale);
  const sentences = sentencesFor(event, links, language);
  if (sentences === undefined) return undefined;
  const when = new Date(event.at * 1000)
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, " UTC");
  const device = summariseUserAgent(event.client.userAgent).label;
  const facts: [string, string][] =
    language === "en"
      ? [
          ["When", when],
          ["Device", device],
          ["IP address", event.client.ip || "unknown"],
        ]
      : [
          ["日時", when],
          ["端末", device],
          ["IP アドレス", event.client.ip || "不明"],
        ];
  const closing =
    language === "en" ? `This is an automatic security notice from ${links.appName}.` : `このメールは ${links.appName} から自動送信されたセキュリティ通知です。`;
  const text = [sentences.happened, "", ...facts.map(([name, value]) => `${name}: ${value}`), "", sentences.ifNotYou, "", closing].join("\n");
  const rows = facts
    .map(
      ([name, value]) =>
        `<tr><th align="left" style="padding:4px 12px 4px 0;color:#555;font-weight:normal">${escapeMailHtml(name)}</th><td style="padding:4px 0">${escapeMailHtml(value)}</td></tr>`,
    )
    .join("");
  // The layout every Tobira mail shares (common/mail-layout.ts): the brand, one heading, a quiet footer.
  const contentHtml = `<h1 style="margin:0 0 12px;font-size:20px">${escapeMailHtml(sentences.subject)}</h1>
<p style="margin:0 0 16px">${escapeMailHtml(sentences.happened)}</p>
<table role="presentation" style="margin:0 0 16px">${rows}</table>
<p style="margin:0 0 16px"><strong>${escapeMailHtml(sentences.ifNotYou)}</strong></p>`;
  const html = brandedMailHtml({ language, brand: links.appName, title: sentences.subject, contentHtml, footer: closing });
  return { subject: sentences.subject, text, html };
}
