import { randomUUID } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeInBrowser, launchChromium } from "../support/chromium";
import { recordPage, withPageDiagnostics } from "../support/page-diagnostics";
import { startTestStack, type TestStack } from "../support/stack";

/**
 * The first sign-in, as a person does it in a real browser: sign up, confirm with the code from
 * the emulator's outbox, sign in with password and emailed code, see the account page, sign out.
 */
describeInBrowser("sign-up, sign-in with an emailed code, account page, sign-out (Chromium)", () => {
  let stack: TestStack;
  let browser: Browser;
  const password = "Correct-horse-9";

  beforeAll(async () => {
    stack = await startTestStack({ serveWeb: true });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  /** Runs `steps` on a page of a fresh context; a failed step reports what the page showed and did. */
  async function inNewPage(steps: (page: Page) => Promise<void>): Promise<void> {
    const context = await browser.newContext();
    const page = await context.newPage();
    await withPageDiagnostics(recordPage(page), () => steps(page));
    await context.close();
  }

  async function signUpAndConfirm(page: Page, email: string): Promise<void> {
    await page.goto(`${stack.bffUrl}/signin`);
    await page.getByRole("link", { name: "Create an account" }).click();
    // The sign-in page stays until the sign-up page's chunk has loaded, and it has an "Email
    // address" field too: filling before the new page shows would type into the old one.
    await page.getByRole("heading", { level: 1, name: "Create an account" }).waitFor();
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByLabel("Confirmation code").waitFor();
    await page.getByLabel("Confirmation code").fill(await stack.latestCode(email));
    await page.getByRole("button", { name: "Confirm email address" }).click();
    // The confirmation signs the new user in and offers a passkey at once: skipped here (and so
    // not offered again after the code sign-in below); signing out leads back to sign in.
    await page.getByRole("heading", { name: "Your account is ready" }).waitFor();
    await page.getByRole("button", { name: "Skip for now" }).click();
    await page.waitForURL(/\/account$/);
    await page.getByRole("button", { name: "Sign out", exact: true }).first().click();
    await page.waitForURL(/\/signin/);
  }

  async function signInWithPassword(page: Page, email: string): Promise<void> {
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByLabel("Verification code").waitFor();
  }

  it("signs up, confirms, signs in with the emailed code, shows the three claim panels and signs out", async () => {
    const email = `e2e-${randomUUID().slice(0, 8)}@example.com`;
    await inNewPage(async (page) => {
      await signUpAndConfirm(page, email);

      await signInWithPassword(page, email);
      // The newest message with a code (security notices carry none).
      const signInCode = (await stack.outbox(email)).find((message) => message.code !== "");
      expect(signInCode?.subject).toMatch(/sign-in code/i);
      await page.getByLabel("Verification code").fill(signInCode!.code);
      await page.getByRole("button", { name: "Verify and sign in" }).click();

      await page.waitForURL(/\/account$/);
      // The account page's three panels, filled from verified claims and GetUser.
      for (const panel of ["ID token claims", "Access token claims", "User info"]) {
        await page.getByRole("heading", { name: panel }).waitFor();
      }
      const body = await page.textContent("main");
      expect(body).toContain(email);
      expect(body).toContain("token_use");

      await page.getByRole("button", { name: "Sign out", exact: true }).first().click();
      await page.waitForURL(/\/signin/);
      await page.goto(`${stack.bffUrl}/account`);
      await page.waitForURL(/\/signin/);
    });
  });

  it("ends the attempt after three wrong codes and sends the user back to sign in", async () => {
    const email = `e2e-${randomUUID().slice(0, 8)}@example.com`;
    await inNewPage(async (page) => {
      await signUpAndConfirm(page, email);
      await signInWithPassword(page, email);
      const realCode = await stack.latestCode(email);
      // Three different wrong codes: the same code sent twice is judged once.
      const wrongCodes = ["000000", "111111", "222222", "333333"].filter((code) => code !== realCode);

      for (const [index, left] of ["2 attempts left", "1 attempt left"].entries()) {
        await page.getByLabel("Verification code").fill(wrongCodes[index]!);
        await page.getByRole("button", { name: "Verify and sign in" }).click();
        await page.getByRole("alert").filter({ hasText: left }).waitFor();
      }
      await page.getByLabel("Verification code").fill(wrongCodes[2]!);
      await page.getByRole("button", { name: "Verify and sign in" }).click();
      await page.waitForURL(/\/signin$/);
      await page.getByText(/last attempt/i).waitFor();
    });
  });
});
