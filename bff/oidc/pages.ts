import { readFileSync } from "node:fs";
import path from "node:path";
import type { Response } from "express";
import { preferredLanguage, type UiLanguage } from "../../common/preferred-language";

/**
 * The few HTML pages the provider itself shows (errors, the logout confirmation, signed out, a
 * passkey the app asks for and the account lacks). They wear the SPA's look: the SPA's own
 * stylesheet (its light and dark themes, its mobile layout) and its page markup (header, main
 * landmark, one card with one h1, WCAG 2.4.2 titled pages). No inline style, and the only
 * script is the logout's self-submitting form, allowed by its hash (CSP Level 3 §8.4), so the
 * BFF's strict Content Security Policy applies; every dynamic value is HTML-escaped (OWASP XSS
 * Prevention Cheat Sheet, rule 1).
 */

/** Provider and interaction pages: never framed (RFC 9700 §4.16; CSP frame-ancestors already says so). */
export function denyFraming(res: Response): void {
  res.setHeader("X-Frame-Options", "DENY");
}

const htmlEscapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (character) => htmlEscapes[character]!);
}

/**
 * The SPA's stylesheet as its built index.html links it (a content-hashed /assets/*.css), or
 * undefined when the SPA is not served or not built: the pages then fall back to the browser's
 * defaults, still readable.
 */
export function spaStylesheet(web: { serve: boolean; distDir: string }): string | undefined {
  if (!web.serve) return undefined;
  try {
    const index = readFileSync(path.join(web.distDir, "index.html"), "utf8");
    return /<link\b[^>]*\brel="stylesheet"[^>]*\bhref="(\/assets\/[\w.-]+\.css)"/.exec(index)?.[1];
  } catch {
    return undefined;
  }
}

/** The language of a provider page. */
export type PageLanguage = UiLanguage;

/**
 * The page's language: the first supported tag of the request's `ui_locales` (OpenID Connect Core
 * §3.1.2.1, "in order of preference"; RP-Initiated Logout 1.0 §2 lets the logout request carry it
 * too), else the browser's preference (Accept-Language), else English (common/preferred-language.ts).
 */
export function pageLanguage(uiLocales: unknown, acceptLanguage: string | undefined): PageLanguage {
  return preferredLanguage(uiLocales, acceptLanguage);
}

/** The page's parts, all already safe HTML except the plain-text title and lead. */
interface PageParts {
  language: PageLanguage;
  title: string;
  lead?: string;
  body: string;
  /** A script (static text) the page runs; its hash goes into the CSP by the caller. */
  script?: string;
}

export interface ProviderPages {
  /** The error page of the authorization and logout endpoints: never a redirect (RFC 6749 §4.1.2.1). */
  errorPage(error: string, description: string | undefined, language?: PageLanguage): string;
  /**
   * The RP-initiated logout confirmation (OpenID Connect RP-Initiated Logout 1.0 §2, §6: a logout
   * without a valid id_token_hint must be confirmed, against logout CSRF). `form` is the
   * provider's own form (hidden xsrf field, id "op.logoutForm").
   */
  logoutConfirmPage(form: string, clientName: string | undefined, language?: PageLanguage): string;
  /** The same form, submitted as soon as the page loads (RP-Initiated Logout 1.0 §2 allows no confirmation when the hint names this user). */
  logoutNowPage(form: string, language?: PageLanguage): { html: string; script: string };
  signedOutPage(clientName: string | undefined, language?: PageLanguage): string;
  /** An app asked for a passkey sign-in and the account has no passkey: say so, never downgrade silently. */
  noPasskeyPage(clientName: string, backHref: string, language?: PageLanguage): string;
}

const submitLogoutScript = "document.getElementById('op.logoutForm').submit();";

/**
 * Tobira's own error descriptions, in Japanese. Descriptions from the OpenID Provider library are
 * protocol detail for the app's developer and stay as they are, under the translated explanation.
 */
const japaneseDescriptions: Record<string, string> = {
  "This sign-in request has expired, was already finished, or was opened in another browser.":
    "このサインインのリクエストは期限切れか、すでに完了しているか、別のブラウザーで開かれています。",
  "Something went wrong on our side. Go back to the app and try again.": "こちら側で問題が発生しました。アプリに戻って、もう一度お試しください。",
  "Too many requests from this network. Wait a few minutes and try again.": "このネットワークからのリクエストが多すぎます。数分待ってから、もう一度お試しください。",
  "The request is not valid.": "リクエストが正しくありません。",
  "Cancel the sign-in from the sign-in page.": "サインインの中止は、サインインページから行ってください。",
  "Answer the app from Tobira's page.": "アプリへの回答は、Tobira のページから行ってください。",
  "A request sent with POST must be form-encoded (application/x-www-form-urlencoded).":
    "POST で送るリクエストは、フォーム形式 (application/x-www-form-urlencoded) にしてください。",
  "The request is too large or malformed.": "リクエストが大きすぎるか、形式が正しくありません。",
};

interface Words {
  skip: string;
  footer: string;
  errorTitle: string;
  errorLead: string;
  errorLabel: string;
  invalidRequest: string;
  logoutTitle: string;
  logoutAsks: (who: string) => string;
  anApp: string;
  yesSignOut: string;
  noStay: string;
  signingOutTitle: string;
  signingOut: string;
  signOut: string;
  signedOutTitle: string;
  signedOut: (from: string | undefined) => string;
  signInAgain: string;
  noPasskeyTitle: string;
  noPasskeyLead: (app: string) => string;
  noPasskeyBody: (app: string) => string;
  addPasskey: string;
  goBack: (app: string) => string;
}

/** `who`, `from` and `app` arrive HTML-escaped; the sentences are fixed text. */
const WORDS: Record<PageLanguage, Words> = {
  en: {
    skip: "Skip to content",
    footer: "Secured sign-in with Amazon Cognito.",
    errorTitle: "This request cannot continue",
    errorLead: "Go back to the app you came from and try again.",
    errorLabel: "Error:",
    invalidRequest: "The request is not valid.",
    logoutTitle: "Sign out of Tobira?",
    logoutAsks: (who) => `${who} asks you to sign out. Signing out ends your Tobira session in this browser.`,
    anApp: "An app",
    yesSignOut: "Yes, sign me out",
    noStay: "No, stay signed in",
    signingOutTitle: "Signing you out",
    signingOut: "Signing you out of Tobira…",
    signOut: "Sign out",
    signedOutTitle: "You have signed out",
    signedOut: (from) => (from === undefined ? "You have signed out." : `You have signed out from ${from}.`),
    signInAgain: "Sign in again",
    noPasskeyTitle: "This app needs a passkey",
    noPasskeyLead: (app) => `${app} asks you to sign in with a passkey, and your account has none yet.`,
    noPasskeyBody: (app) =>
      `A passkey signs you in with your fingerprint, face or device PIN, and cannot be phished. Add one on your account page, then go back to ${app} and sign in again.`,
    addPasskey: "Add a passkey on your account page",
    goBack: (app) => `Go back to ${app}`,
  },
  ja: {
    skip: "本文へ移動",
    footer: "Amazon Cognito による安全なサインイン",
    errorTitle: "このリクエストは続行できません",
    errorLead: "元のアプリに戻って、もう一度お試しください。",
    errorLabel: "エラー:",
    invalidRequest: "リクエストが正しくありません。",
    logoutTitle: "Tobira からサインアウトしますか？",
    logoutAsks: (who) => `${who}がサインアウトを求めています。サインアウトすると、このブラウザーでの Tobira のセッションが終了します。`,
    anApp: "アプリ",
    yesSignOut: "はい、サインアウトします",
    noStay: "いいえ、サインインしたままにします",
    signingOutTitle: "サインアウトしています",
    signingOut: "Tobira からサインアウトしています…",
    signOut: "サインアウト",
    signedOutTitle: "サインアウトしました",
    signedOut: (from) => (from === undefined ? "サインアウトしました。" : `${from}からサインアウトしました。`),
    signInAgain: "もう一度サインイン",
    noPasskeyTitle: "このアプリにはパスキーが必要です",
    noPasskeyLead: (app) => `${app}はパスキーでのサインインを求めていますが、このアカウントにはまだパスキーがありません。`,
    noPasskeyBody: (app) =>
      `パスキーを使うと、指紋や顔、端末の PIN でサインインでき、フィッシングの被害にも遭いません。アカウントページでパスキーを追加してから、${app}に戻ってもう一度サインインしてください。`,
    addPasskey: "アカウントページでパスキーを追加",
    goBack: (app) => `${app}に戻る`,
  },
};

export function createProviderPages(options: { stylesheet?: string | undefined; appName?: string } = {}): ProviderPages {
  const appName = options.appName ?? "Tobira";

  function page({ language, title, lead, body, script }: PageParts): string {
    const words = WORDS[language];
    const stylesheet = options.stylesheet === undefined ? "" : `\n<link rel="stylesheet" href="${escapeHtml(options.stylesheet)}">`;
    const scriptTag = script === undefined ? "" : `\n<script>${script}</script>`;
    return `<!DOCTYPE html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">${stylesheet}
<title>${escapeHtml(title)} · ${escapeHtml(appName)}</title>
</head>
<body>
<div class="app">
<a class="skip-link" href="#main">${words.skip}</a>
<header class="app-header"><a class="brand" href="/"><span class="brand-mark" aria-hidden="true"></span><span class="brand-name">${escapeHtml(appName)}</span></a></header>
<main id="main" class="app-main" tabindex="-1">
<div class="page page--narrow"><div class="card">
<div class="page-header"><h1 class="page-title">${escapeHtml(title)}</h1>${lead === undefined ? "" : `<p class="page-lead">${escapeHtml(lead)}</p>`}</div>
${body}
</div></div>
</main>
<footer class="app-footer"><p>${words.footer}</p></footer>
</div>${scriptTag}
</body>
</html>
`;
  }

  return {
    errorPage(error, description, language = "en") {
      const words = WORDS[language];
      const shown = description === undefined ? words.invalidRequest : language === "ja" ? (japaneseDescriptions[description] ?? description) : description;
      return page({
        language,
        title: words.errorTitle,
        lead: words.errorLead,
        body: `<div class="alert alert--error" role="alert"><p class="alert-title">${escapeHtml(shown)}</p>
<div class="alert-body"><p>${words.errorLabel} <code>${escapeHtml(error)}</code></p></div></div>`,
      });
    },

    logoutConfirmPage(form, clientName, language = "en") {
      const words = WORDS[language];
      const who = clientName === undefined ? words.anApp : escapeHtml(clientName);
      return page({
        language,
        title: words.logoutTitle,
        body: `<p>${words.logoutAsks(who)}</p>
${form}
<div class="choice-list">
<button class="button button--primary button--block" autofocus type="submit" form="op.logoutForm" value="yes" name="logout"><span>${words.yesSignOut}</span></button>
<button class="button button--secondary button--block" type="submit" form="op.logoutForm"><span>${words.noStay}</span></button>
</div>`,
      });
    },

    logoutNowPage(form, language = "en") {
      const words = WORDS[language];
      // Without JavaScript the form's own button does it.
      const withButton = form.replace(
        "</form>",
        `<input type="hidden" name="logout" value="yes"/><noscript><button class="button button--primary button--block" type="submit"><span>${words.signOut}</span></button></noscript></form>`,
      );
      return {
        html: page({ language, title: words.signingOutTitle, body: `<p>${words.signingOut}</p>\n${withButton}`, script: submitLogoutScript }),
        script: submitLogoutScript,
      };
    },

    signedOutPage(clientName, language = "en") {
      const words = WORDS[language];
      const from = clientName === undefined ? undefined : escapeHtml(clientName);
      return page({
        language,
        title: words.signedOutTitle,
        body: `<p>${words.signedOut(from)}</p>\n<p class="page-footer"><a href="/signin">${words.signInAgain}</a></p>`,
      });
    },

    noPasskeyPage(clientName, backHref, language = "en") {
      const words = WORDS[language];
      const app = escapeHtml(clientName);
      return page({
        language,
        title: words.noPasskeyTitle,
        // The lead is escaped by page(): it takes the raw name.
        lead: words.noPasskeyLead(clientName),
        body: `<p>${words.noPasskeyBody(app)}</p>
<div class="choice-list">
<a class="button button--primary button--block" href="/account"><span>${words.addPasskey}</span></a>
<a class="button button--secondary button--block" href="${escapeHtml(backHref)}"><span>${words.goBack(app)}</span></a>
</div>`,
      });
    },
  };
}
