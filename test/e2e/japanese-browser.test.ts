import { randomUUID } from "node:crypto";
import { AdminGetUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { poolId, sdkClient } from "../integration/emulator/support";
import { describeInBrowser, launchChromium } from "../support/chromium";
import { startTestStack, type TestStack } from "../support/stack";

/**
 * A browser set to Japanese (Chromium's locale ja-JP: navigator.languages and Accept-Language):
 * the SPA speaks Japanese from the first page, signs up (the account's Cognito `locale` becomes
 * ja, so the code mails are Japanese) and signs in with the emailed code.
 */
describeInBrowser("a Japanese browser signs up and in (Chromium)", () => {
  let stack: TestStack;
  let browser: Browser;
  const password = "Correct-horse-9";
  const japanese = /[\u3040-\u30ff\u4e00-\u9fff]/;

  beforeAll(async () => {
    stack = await startTestStack({ serveWeb: true });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function japanesePage(): Promise<Page> {
    const context = await browser.newContext({ locale: "ja-JP" });
    return context.newPage();
  }

  /** The newest mail to `email` that carries a code. */
  async function latestCodeMail(email: string) {
    const mail = (await stack.outbox(email)).find((message) => message.code !== "");
    expect(mail).toBeDefined();
    return mail!;
  }

  it("shows Japanese pages, signs up with locale ja, gets Japanese code mails and signs in", async () => {
    const email = `e2e-ja-${randomUUID().slice(0, 8)}@example.com`;
    const page = await japanesePage();

    await page.goto(`${stack.bffUrl}/signin`);
    await page.getByRole("heading", { name: "サインイン" }).waitFor();
    expect(await page.getAttribute("html", "lang")).toBe("ja");
    expect(await page.title()).toBe("サインイン | Tobira");
    expect(await page.getByRole("button", { name: "日本語" }).getAttribute("aria-pressed")).toBe("true");

    // Sign-up, in Japanese.
    await page.getByRole("link", { name: "アカウントを作成" }).click();
    await page.getByRole("heading", { name: "アカウントの作成" }).waitFor();
    await page.getByLabel("メールアドレス").fill(email);
    await page.getByLabel("パスワード", { exact: true }).fill(password);
    await page.getByRole("button", { name: "アカウントを作成" }).click();
    await page.getByRole("heading", { name: "メールアドレスの確認" }).waitFor();

    // The SPA's language became the account's locale, and the confirmation mail is Japanese.
    const user = await sdkClient(stack.emulatorUrl).send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
    expect(user.UserAttributes?.find((attribute) => attribute.Name === "locale")?.Value).toBe("ja");
    const confirmation = await latestCodeMail(email);
    expect(confirmation.subject).toMatch(japanese);
    expect(confirmation.text).toMatch(japanese);
    expect(confirmation.text).toContain(confirmation.code);

    await page.getByLabel("確認コード").fill(confirmation.code);
    await page.getByRole("button", { name: "メールアドレスを確認" }).click();
    await page.getByRole("heading", { name: "アカウントの準備ができました" }).waitFor();
    await page.getByRole("button", { name: "あとで追加する" }).click();
    await page.waitForURL(/\/account$/);
    await page.getByRole("heading", { name: "アカウント", exact: true }).waitFor();
    await page.getByRole("button", { name: "サインアウト", exact: true }).first().click();
    await page.waitForURL(/\/signin/);
    await page.getByText("サインアウトしました。").waitFor();

    // Sign-in with the password and the emailed code, in Japanese.
    await page.getByLabel("メールアドレス").fill(email);
    await page.getByLabel("パスワード", { exact: true }).fill(password);
    await page.getByRole("button", { name: "次へ" }).click();
    await page.getByRole("heading", { name: "確認コードの入力" }).waitFor();
    const signInCode = await latestCodeMail(email);
    expect(signInCode.code).not.toBe(confirmation.code);
    expect(signInCode.subject).toMatch(japanese);
    expect(signInCode.text).toMatch(japanese);
    await page.getByLabel("確認コード").fill(signInCode.code);
    await page.getByRole("button", { name: "確認してサインイン" }).click();

    await page.waitForURL(/\/account$/);
    for (const panel of ["ID トークンのクレーム", "アクセストークンのクレーム", "ユーザー情報"]) {
      await page.getByRole("heading", { name: panel }).waitFor();
    }
    expect(await page.getAttribute("html", "lang")).toBe("ja");
    const main = (await page.textContent("main")) ?? "";
    expect(main).toContain("サインイン情報");
    expect(main).not.toContain("Your sign-in");
  });

  it("switches to English with the switcher, and the choice outlasts a reload", async () => {
    const page = await japanesePage();
    await page.goto(`${stack.bffUrl}/signin`);
    await page.getByRole("heading", { name: "サインイン" }).waitFor();
    await page.getByRole("button", { name: "English" }).click();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await page.getAttribute("html", "lang")).toBe("en");
    await page.reload();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await page.getAttribute("html", "lang")).toBe("en");
  });
});
