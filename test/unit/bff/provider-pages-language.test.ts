import { describe, expect, it } from "vitest";
import { createProviderPages, pageLanguage } from "../../../bff/oidc/pages";

/** The provider's pages speak the request's language: ui_locales first, then Accept-Language, else English. */

describe("pageLanguage", () => {
  it.each([
    ["ja", undefined, "ja"],
    ["ja-JP en", undefined, "ja"],
    ["fr ja", "en", "ja"],
    ["en", "ja", "en"],
    ["fr de", "ja", "ja"],
    [undefined, "ja-JP,ja;q=0.9,en;q=0.8", "ja"],
    [undefined, "en-US,en;q=0.9,ja;q=0.8", "en"],
    [undefined, "en;q=0.5,ja;q=0.7", "ja"],
    [undefined, "ja;q=0, en;q=0.1", "en"],
    [undefined, "fr-FR", "en"],
    [undefined, undefined, "en"],
    [["ja"], undefined, "en"],
    [undefined, "ja;q=abc", "en"],
  ])("ui_locales %j, Accept-Language %j → %s", (uiLocales, acceptLanguage, expected) => {
    expect(pageLanguage(uiLocales, acceptLanguage)).toBe(expected);
  });
});

describe("the pages in Japanese", () => {
  const pages = createProviderPages();

  it("the logout confirmation: lang=ja, a natural question and two answers, the app's name escaped", () => {
    const html = pages.logoutConfirmPage('<form id="op.logoutForm"></form>', "<b>Demo</b>", "ja");
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain("<title>Tobira からサインアウトしますか？ · Tobira</title>");
    expect(html).toContain("&lt;b&gt;Demo&lt;/b&gt;がサインアウトを求めています。");
    expect(html).toContain("はい、サインアウトします");
    expect(html).toContain("いいえ、サインインしたままにします");
    expect(html).toContain("本文へ移動");
    expect(html).not.toMatch(/Sign out of|Yes, sign me out|Skip to content/);
  });

  it("the error page: Tobira's own descriptions translated, the provider library's shown as they are", () => {
    const ours = pages.errorPage("temporarily_unavailable", "Too many requests from this network. Wait a few minutes and try again.", "ja");
    expect(ours).toContain("このネットワークからのリクエストが多すぎます。");
    expect(ours).toContain("このリクエストは続行できません");
    const library = pages.errorPage("invalid_request", "post_logout_redirect_uri not registered", "ja");
    expect(library).toContain("post_logout_redirect_uri not registered");
    expect(library).toContain("エラー:");
  });

  it("signed out, signing out and no-passkey pages", () => {
    expect(pages.signedOutPage("Demo", "ja")).toContain("Demoからサインアウトしました。");
    expect(pages.signedOutPage(undefined, "ja")).toContain("<p>サインアウトしました。</p>");
    expect(pages.logoutNowPage("<form></form>", "ja").html).toContain("Tobira からサインアウトしています…");
    const noPasskey = pages.noPasskeyPage("Demo", "/interaction/u/no-passkey", "ja");
    expect(noPasskey).toContain("このアプリにはパスキーが必要です");
    expect(noPasskey).toContain("Demoに戻る");
  });

  it("English stays the default", () => {
    expect(pages.logoutConfirmPage("<form></form>", undefined)).toContain('<html lang="en">');
    expect(pages.logoutConfirmPage("<form></form>", undefined)).toContain("An app asks you to sign out.");
  });
});
