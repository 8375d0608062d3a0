import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { i18n, startLocale } from "../../web/i18n/i18n";
import { chooseLocale, savedLocaleKey } from "../../web/i18n/locales";
import { apiError, json, mockApi, renderApp } from "./helpers";

/** Which language the SPA speaks: ui_locales, then the saved choice, then the browser; and the switcher. */
describe("choosing the language", () => {
  it("takes the relying party's ui_locales over a saved choice and the browser", () => {
    expect(chooseLocale({ requested: ["fr", "ja-JP"], saved: "en", browser: ["en-US"] })).toBe("ja");
  });

  it("takes the saved choice over the browser when ui_locales names no language it speaks", () => {
    expect(chooseLocale({ requested: ["fr"], saved: "ja", browser: ["en-GB", "en"] })).toBe("ja");
    expect(chooseLocale({ saved: "en", browser: ["ja"] })).toBe("en");
  });

  it("takes the browser's first language it speaks when nothing else says", () => {
    expect(chooseLocale({ saved: null, browser: ["de-DE", "ja-JP", "en"] })).toBe("ja");
  });

  it("falls back to English, and ignores a saved value it does not know", () => {
    expect(chooseLocale({ saved: "xx", browser: ["de", "fr"] })).toBe("en");
    expect(chooseLocale({})).toBe("en");
  });

  it("starts from the saved choice, else navigator.languages", () => {
    vi.spyOn(navigator, "languages", "get").mockReturnValue(["ja-JP", "en"]);
    expect(startLocale()).toBe("ja");
    window.localStorage.setItem(savedLocaleKey, "en");
    expect(startLocale()).toBe("en");
    vi.restoreAllMocks();
  });
});

describe("the language switcher", () => {
  it("is a named group of buttons, each named in its own language with its lang, the active one pressed", async () => {
    mockApi({ "GET /api/interaction": apiError(404, "not_found") });
    renderApp("/signin");
    const group = await screen.findByRole("group", { name: "Language" });
    const english = screen.getByRole("button", { name: "English" });
    const japanese = screen.getByRole("button", { name: "日本語" });
    expect(group).toContainElement(japanese);
    expect(english).toHaveAttribute("lang", "en");
    expect(japanese).toHaveAttribute("lang", "ja");
    expect(english).toHaveAttribute("aria-pressed", "true");
    expect(japanese).toHaveAttribute("aria-pressed", "false");
  });

  it("switches the page to Japanese with the keyboard, sets <html lang> and saves the choice", async () => {
    mockApi({ "GET /api/interaction": apiError(404, "not_found") });
    const { user } = renderApp("/signin");
    await screen.findByRole("heading", { name: "Sign in" });
    screen.getByRole("button", { name: "日本語" }).focus();
    await user.keyboard("{Enter}");
    expect(await screen.findByRole("heading", { name: "サインイン" })).toBeInTheDocument();
    expect(screen.getByRole("group", { name: "言語" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "日本語" })).toHaveAttribute("aria-pressed", "true");
    expect(screen.getByLabelText("メールアドレス")).toBeInTheDocument();
    expect(document.documentElement.lang).toBe("ja");
    expect(document.title).toBe("サインイン | Tobira");
    expect(window.localStorage.getItem(savedLocaleKey)).toBe("ja");

    await user.click(screen.getByRole("button", { name: "English" }));
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();
    expect(document.documentElement.lang).toBe("en");
    expect(window.localStorage.getItem(savedLocaleKey)).toBe("en");
  });

  it("keeps what was typed when the language changes", async () => {
    mockApi({ "GET /api/interaction": apiError(404, "not_found") });
    const { user } = renderApp("/signin");
    await user.type(await screen.findByLabelText("Email address"), "ada@example.com");
    await user.click(screen.getByRole("button", { name: "日本語" }));
    expect(await screen.findByLabelText("メールアドレス")).toHaveValue("ada@example.com");
  });
});

describe("ui_locales of a relying-party sign-in", () => {
  it("turns the sign-in page Japanese for ui_locales ja over a saved English choice", async () => {
    window.localStorage.setItem(savedLocaleKey, "en");
    mockApi({ "GET /api/interaction": json(200, { client: { id: "demo-rp", name: "Demo app" }, prompt: "login", uiLocales: ["ja", "en"] }) });
    renderApp("/signin");
    expect(await screen.findByRole("heading", { name: "サインイン" })).toBeInTheDocument();
    expect(document.documentElement.lang).toBe("ja");
    // Honoured for this sign-in, not saved as the person's own choice.
    expect(window.localStorage.getItem(savedLocaleKey)).toBe("en");
  });

  it("leaves the language alone when ui_locales names none the SPA speaks", async () => {
    mockApi({ "GET /api/interaction": json(200, { client: { id: "demo-rp", name: "Demo app" }, prompt: "login", uiLocales: ["fr"] }) });
    renderApp("/signin");
    await screen.findByText("Demo app");
    expect(i18n.locale).toBe("en");
  });

  it("gives way to the switcher once the person picks a language", async () => {
    mockApi({ "GET /api/interaction": json(200, { client: { id: "demo-rp", name: "Demo app" }, prompt: "login", uiLocales: ["ja"] }) });
    const { user } = renderApp("/signin");
    await screen.findByRole("heading", { name: "サインイン" });
    await user.click(screen.getByRole("button", { name: "English" }));
    await screen.findByRole("heading", { name: "Sign in" });
    await user.click(screen.getByRole("link", { name: "Create an account" }));
    await screen.findByRole("heading", { name: "Create an account" });
    await waitFor(() => expect(i18n.locale).toBe("en"));
  });
});

describe("dates in the active language", () => {
  it("formats the account page's sign-in time with Intl in Japanese", async () => {
    await import("../../web/i18n/i18n").then(({ activateLocale }) => activateLocale("ja"));
    const authTime = 1_764_000_000;
    mockApi({
      "GET /api/session": json(200, { authenticated: true, user: { sub: "s", email: "ada@example.com", username: "s" }, amr: ["pwd", "otp", "mfa"], authTime }),
      "GET /api/account/claims": json(200, { idToken: {}, accessToken: {}, userInfo: {} }),
      "GET /api/passkeys": json(200, []),
    });
    renderApp("/account");
    const expected = new Intl.DateTimeFormat("ja", { dateStyle: "medium", timeStyle: "medium" }).format(new Date(authTime * 1000));
    expect((await screen.findAllByText(expected)).length).toBeGreaterThan(0);
    expect(expected).toMatch(/\d{4}\/\d{2}\/\d{2}/);
  });
});

describe("relative times in the active language", () => {
  it("says when another code may be asked for with Intl's relative time", async () => {
    const { ApiError } = await import("../../web/lib/api-client");
    const { describeError } = await import("../../web/lib/error-messages");
    const { activateLocale } = await import("../../web/i18n/i18n");
    const tooSoon = new ApiError({ code: "resend_too_soon", status: 429, message: "x", retryAfterSeconds: 12 });
    expect(describeError(tooSoon)).toBe("You can ask for another code in 12 seconds.");
    await activateLocale("ja");
    expect(describeError(tooSoon)).toBe("次のコードは12 秒後にリクエストできます。");
  });
});
