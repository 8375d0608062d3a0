import { randomUUID } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { signUpConfirmed } from "../integration/bff/flows";
import { describeInBrowser, launchChromium } from "../support/chromium";
import { startTestStack, type TestStack } from "../support/stack";

/**
 * The account security centre in a real browser (README, "Your account"): two browsers signed in,
 * one signs the other out; a password change signs the other out again; a trusted device skips
 * the code; deleting the account ends it, and signing in is refused afterwards.
 */
describeInBrowser("account security centre: sessions, password change, trusted device, deletion (Chromium)", () => {
  let stack: TestStack;
  let browser: Browser;
  const password = "Correct-Horse-9";
  const newPassword = "Battery-Staple-7";

  beforeAll(async () => {
    stack = await startTestStack({ serveWeb: true, bffEnv: { SECURITY_MAILS: "true" } });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext();
    return context.newPage();
  }

  async function signIn(page: Page, email: string, secret: string, options: { trustDevice?: boolean } = {}): Promise<void> {
    await page.goto(`${stack.bffUrl}/signin`);
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(secret);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByLabel("Verification code").waitFor();
    if (options.trustDevice) await page.getByRole("checkbox", { name: "Don't ask for a code on this device" }).check();
    await page.getByLabel("Verification code").fill(await stack.latestCode(email));
    await page.getByRole("button", { name: "Verify and sign in" }).click();
    // After a code, the SPA may offer a passkey first (web/features/passkeys): not today.
    await page.waitForURL(/\/(account|passkeys\/add)$/);
    if (page.url().endsWith("/passkeys/add")) {
      await page.getByRole("button", { name: "Not now" }).click();
      await page.waitForURL(/\/account$/);
    }
  }

  async function signedOut(page: Page): Promise<boolean> {
    await page.goto(`${stack.bffUrl}/account`);
    await page.waitForURL(/\/(signin|account)$/);
    await page.waitForLoadState("networkidle");
    return page.url().endsWith("/signin");
  }

  it("runs the journey end to end", async () => {
    const email = `e2e-account-${randomUUID().slice(0, 8)}@example.com`;
    await signUpConfirmed(stack, email, password);
    const first = await newPage();
    const second = await newPage();
    await signIn(first, email, password);
    await signIn(second, email, password);

    // Both browsers are listed; the first signs the second out.
    const sessions = first.getByRole("list", { name: "Sessions" });
    await first.reload();
    await sessions.getByRole("listitem").nth(1).waitFor();
    expect(await sessions.getByRole("listitem").count()).toBe(2);
    await sessions
      .getByRole("listitem")
      .filter({ hasNotText: "This device" })
      .getByRole("button", { name: /^Sign out / })
      .click();
    await expect.poll(() => sessions.getByRole("listitem").count(), { timeout: 10_000 }).toBe(1);
    expect(await signedOut(second)).toBe(true);

    // The second signs in again; a password change in the first signs it out once more.
    await signIn(second, email, password);
    await first.getByLabel("Current password", { exact: true }).fill(password);
    await first.getByLabel("New password", { exact: true }).fill(newPassword);
    await first.getByRole("button", { name: "Change password" }).click();
    await first.getByText("You're still signed in here.").waitFor();
    expect(await signedOut(second)).toBe(true);
    const notices = await stack.outbox(email);
    expect(notices.some((message) => /password was changed/.test(message.subject) && message.html !== undefined)).toBe(true);

    // A trusted device skips the code at its next sign-in.
    await signIn(second, email, newPassword, { trustDevice: true });
    await second.getByRole("button", { name: "Sign out", exact: true }).click();
    await second.waitForURL(/\/signin$/);
    const codesBefore = (await stack.outbox(email)).length;
    await second.getByLabel("Email address").fill(email);
    await second.getByLabel("Password", { exact: true }).fill(newPassword);
    await second.getByRole("button", { name: "Continue" }).click();
    await second.waitForURL(/\/account$/);
    expect((await stack.outbox(email)).length).toBe(codesBefore);

    // Deleting the account (a recent sign-in, the email typed) ends it; signing in is refused.
    await second.getByRole("button", { name: "Delete account…" }).click();
    await second.getByLabel("Type your email address to confirm").fill(email);
    await second.getByRole("button", { name: "Delete my account" }).click();
    await second.waitForURL(/\/signin$/);
    await second.getByText(/Your account was deleted/).waitFor();
    await second.getByLabel("Email address").fill(email);
    await second.getByLabel("Password", { exact: true }).fill(newPassword);
    await second.getByRole("button", { name: "Continue" }).click();
    await second.getByText("Incorrect email or password.").first().waitFor();
    expect(await signedOut(first)).toBe(true);
    expect((await stack.outbox(email)).some((message) => /account was deleted/.test(message.subject))).toBe(true);

    await first.context().close();
    await second.context().close();
  });
});
