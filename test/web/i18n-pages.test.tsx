import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { activateLocale } from "../../web/i18n/i18n";
import { apiError, delivery, json, mockApi, renderApp } from "./helpers";

/**
 * Every page in Japanese: once the page has settled, no English word is left in its text, its
 * accessible names (aria-label), its input hints or the document title — only the brand, names
 * and data the page shows as they are (the email, the device's name, a claim's name).
 */
const email = "ada@example.com";
const authTime = 1_764_000_000;
const session = json(200, { authenticated: true, user: { sub: "5f1c-sub", email, username: "5f1c-sub" }, amr: ["pwd", "otp", "mfa"], authTime });
const claims = json(200, { idToken: { sub: "5f1c-sub", email, auth_time: authTime }, accessToken: { token_use: "access", scope: "openid" }, userInfo: { email } });
const passkey = {
  needsConfirmation: false,
  id: "bGFwdG9w",
  name: "Work laptop",
  createdAt: "2026-11-20T09:00:00.000Z",
  lastUsedAt: null,
  deviceType: "singleDevice",
  backedUp: false,
  transports: ["internal"],
  provider: null,
  attachment: "platform",
};
const signedIn = {
  "GET /api/session": session,
  "GET /api/account/claims": claims,
  "GET /api/interaction": apiError(404, "not_found"),
  "GET /api/passkeys": json(200, [passkey]),
  "GET /api/connected-apps": json(200, [{ clientId: "demo-rp", name: "Demo app", grantedAt: authTime, scopes: ["openid", "email"] }]),
  "GET /api/account/history": json(200, {
    events: [
      { id: "e1", type: "sign_in_failed", at: authTime, device: "Firefox on Linux", ip: "203.0.113.9", method: "password", app: null, knownDevice: false, detail: null },
    ],
    days: 30,
  }),
};
const signedOut = { "GET /api/session": json(200, { authenticated: false }), "GET /api/interaction": apiError(404, "not_found") };
const withApp = { client: { id: "demo-rp", name: "Demo app" } };

/** Words allowed in a Japanese page: the brand, the switcher's own name, and data shown as it is. */
const allowed = new Set(["Tobira", "Amazon", "Cognito", "English", "Demo", "app", "Work", "laptop", "Firefox", "Linux", "PIN", "SMS", "QR", "ID", "IP"]);

/** The English words a reader (or a screen reader) meets on the page, outside data and code. */
function englishWords(): string[] {
  const root = document.body.cloneNode(true) as HTMLElement;
  // Claim names and raw values ("(pwd, otp, mfa)"), the switcher's "English" (lang="en") and
  // times are data, not UI.
  for (const element of root.querySelectorAll("code, .claim-raw, .claim-text, [lang='en'], time")) element.remove();
  const texts = [root.textContent ?? "", document.title];
  for (const element of root.querySelectorAll("*")) {
    for (const attribute of ["aria-label", "title", "placeholder", "alt"]) {
      const value = element.getAttribute(attribute);
      if (value) texts.push(value);
    }
  }
  const text = texts
    .join(" ")
    .replaceAll(email, " ")
    .replace(/[\w.*-]+@[\w.*-]+/g, " ")
    .replace(/x-amzn-oidc-data|5f1c-sub|openid|token_use|access|203\.0\.113\.9/g, " ");
  return [...new Set(text.match(/[A-Za-z]{2,}/g) ?? [])].filter((word) => !allowed.has(word));
}

const pages: { name: string; path: string; state?: unknown; api: Record<string, Response | (() => Response)>; ready: () => Promise<unknown> }[] = [
  { name: "sign-in", path: "/signin", api: { "GET /api/interaction": json(200, { ...withApp, prompt: "login" }) }, ready: () => screen.findByText("Demo app") },
  { name: "sign-in code", path: "/signin/code", state: { email, delivery }, api: signedOut, ready: () => screen.findByLabelText("確認コード") },
  {
    name: "sign-in choose",
    path: "/signin/choose",
    state: { email },
    api: { ...signedOut, "GET /api/signin": json(200, { pending: true, next: "choose", methods: ["passkey", "otp"] }) },
    ready: () => screen.findByRole("button", { name: "パスキーを使う" }),
  },
  { name: "sign-up", path: "/signup", api: signedOut, ready: () => screen.findByRole("button", { name: "アカウントを作成" }) },
  { name: "sign-up confirmation", path: "/signup/confirm", state: { email, delivery }, api: signedOut, ready: () => screen.findByLabelText("確認コード") },
  { name: "forgot password", path: "/password/forgot", api: signedOut, ready: () => screen.findByRole("button", { name: "再設定コードを送信" }) },
  { name: "reset password", path: "/password/reset", state: { email, delivery }, api: signedOut, ready: () => screen.findByLabelText("再設定コード") },
  {
    name: "add a passkey",
    path: "/passkeys/add",
    state: { reason: "signup", continueTo: "/account" },
    api: signedIn,
    ready: () => screen.findByRole("button", { name: "あとで追加する" }),
  },
  {
    name: "account",
    path: "/account",
    api: signedIn,
    ready: async () => {
      await screen.findByText("Work laptop");
      await screen.findByText("Demo app");
      await screen.findByText("Linux の Firefox", { selector: "h4" });
      await screen.findByText("サインイン失敗: パスワードの誤り", { exact: false });
      await screen.findByText("ID トークンのクレーム");
    },
  },
  {
    name: "consent",
    path: "/consent",
    api: { ...signedIn, "GET /api/interaction": json(200, { ...withApp, prompt: "consent", scopes: ["openid", "email", "profile"] }) },
    ready: () => screen.findByRole("button", { name: "許可する" }),
  },
  { name: "not found", path: "/nowhere", api: signedOut, ready: () => screen.findByText("ページが見つかりません") },
];

describe("every page in Japanese", () => {
  it.each(pages)("leaves no English UI text on the $name page", async ({ path, state, api, ready }) => {
    await activateLocale("ja");
    mockApi(api);
    renderApp(path, state);
    await ready();
    await waitFor(() => expect(screen.queryByRole("status", { name: "" })?.textContent ?? "").not.toMatch(/読み込み中/));
    expect(document.documentElement.lang).toBe("ja");
    expect(englishWords()).toEqual([]);
  });

  it("finds English text when it is there (the check itself works)", async () => {
    mockApi(signedOut);
    renderApp("/signup");
    await screen.findByRole("button", { name: "Create account" });
    expect(englishWords()).toContain("Create");
  });
});
