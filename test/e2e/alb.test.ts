import { AdminGetUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startAlbTestStack, uniqueEmail, PASSWORD, type AlbTestStack } from "../integration/alb/alb-stack";
import { latestCode } from "../integration/emulator/support";
import { describeInBrowser, launchChromium } from "../support/chromium";

/**
 * ALB mode (docs/architecture.md, "ALB mode") in a real browser: the app behind the local ALB, which signs people in with
 * the emulator's managed login; a new person creates the account right there (sign up, the code
 * from the outbox, confirm); the account page shows the three panels; signing out expires the
 * ALB's cookies and goes through Cognito's /logout, so the next visit asks to sign in again.
 */
describeInBrowser("ALB mode: managed login through the local ALB, account page, sign-out (Chromium)", () => {
  let stack: AlbTestStack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startAlbTestStack({ proxy: true, serveWeb: true });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function expectSignInPage(page: Page): Promise<void> {
    await page.waitForURL((url) => url.href.startsWith(`${stack.emulator.url}/login?`));
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
  }

  async function albSessionCookies(page: Page): Promise<string[]> {
    return (await page.context().cookies(stack.alb!.url)).map((cookie) => cookie.name).filter((name) => name.startsWith("AWSELBAuthSessionCookie-"));
  }

  it("signs up and in on the managed login of a fresh stack, shows the three panels, signs out and asks to sign in again", async () => {
    const email = uniqueEmail("e2e-alb");
    const context = await browser.newContext();
    const page = await context.newPage();

    await page.goto(`${stack.alb!.url}/`);
    await expectSignInPage(page);
    await page.getByRole("link", { name: "Create an account" }).click();
    await page.getByRole("heading", { name: "Create an account" }).waitFor();
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("heading", { name: "Confirm your account" }).waitFor();
    await page.getByLabel("Confirmation code").fill(await latestCode(stack.emulator.url, email));
    await page.getByRole("button", { name: "Confirm account" }).click();
    await expectSignInPage(page);
    await page.getByRole("status").filter({ hasText: "Account confirmed — sign in" }).waitFor();
    const user = await stack.cognito.send(new AdminGetUserCommand({ UserPoolId: stack.localConfig.userPool.id, Username: email }));
    const sub = user.UserAttributes?.find((attribute) => attribute.Name === "sub")?.Value;
    expect(sub).toBeDefined();

    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();

    await page.waitForURL(`${stack.alb!.url}/account`);
    // The first panel is the load balancer's signed header, not an ID token.
    for (const panel of ["Load balancer's signed user claims", "Access token claims", "User info"]) {
      await page.getByRole("heading", { name: panel }).waitFor();
    }
    expect(await page.getByRole("heading", { name: "ID token claims" }).count()).toBe(0);
    await page.getByText("checked against the load balancer's public key").waitFor();
    const main = await page.textContent("main");
    expect(main).toContain(email);
    expect(main).toContain(sub!);
    expect(main).toContain("token_use");
    expect(await albSessionCookies(page)).toContain("AWSELBAuthSessionCookie-0");
    const shard = (await context.cookies(stack.alb!.url)).find((cookie) => cookie.name === "AWSELBAuthSessionCookie-0");
    expect(shard).toMatchObject({ httpOnly: true, secure: true, path: "/" });

    // The SPA's own sign-in pages do not exist behind the load balancer: they lead to the account page.
    for (const path of ["/signin", "/signup", "/password/forgot"]) {
      await page.goto(`${stack.alb!.url}${path}`);
      await page.waitForURL(`${stack.alb!.url}/account`);
      await page.getByRole("heading", { name: "Your account" }).waitFor();
      expect(await page.getByText("There is nothing at this address.").count()).toBe(0);
    }

    await page.getByRole("button", { name: "Sign out", exact: true }).first().click();
    await expectSignInPage(page);
    expect(await albSessionCookies(page)).toEqual([]);

    await page.goto(`${stack.alb!.url}/account`);
    await expectSignInPage(page);
    await context.close();
  });

  it("keeps a wrong password on the sign-in page with a generic error", async () => {
    const email = uniqueEmail("e2e-alb");
    await stack.signUpConfirmed(email);
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.alb!.url}/account`);
    await expectSignInPage(page);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("Wrong-Horse-9");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "Incorrect username or password." }).waitFor();
    expect(page.url().startsWith(`${stack.emulator.url}/login?`)).toBe(true);
    expect(await albSessionCookies(page)).toEqual([]);
    await context.close();
  });
});
