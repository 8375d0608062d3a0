import { createServer } from "node:net";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startRelyingParty, type RunningRelyingParty } from "../../examples/relying-party/relying-party";
import { signUpConfirmed, strongPassword } from "../integration/bff/flows";
import { describeInBrowser, launchChromium } from "../support/chromium";
import { startTestStack, type TestStack } from "../support/stack";

/**
 * The demo relying party (examples/relying-party, openid-client) signing a person in through
 * Tobira in a real browser: sign-in with password and emailed code, back at the RP with the
 * claims, a second sign-in without a password (SSO), a sign-out at the RP that ends the Tobira
 * session too, and a sign-out at Tobira that ends the RP's session (back-channel logout).
 */

/** A free port for the RP, known before the provider starts (its redirect URI must be registered). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "localhost", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describeInBrowser("demo relying party: sign-in, SSO and sign-out through Tobira (Chromium)", () => {
  let stack: TestStack;
  let rp: RunningRelyingParty;
  let browser: Browser;
  const clientId = "demo-rp-e2e";
  const clientSecret = "demo-rp-e2e-secret-0000000000000000000";

  beforeAll(async () => {
    const port = await freePort();
    const rpUrl = `http://localhost:${port}`;
    stack = await startTestStack({
      serveWeb: true,
      configure: (config) => ({
        ...config,
        oidc: {
          ...config.oidc,
          clients: [
            {
              clientId,
              clientSecret,
              name: "E2E demo app",
              redirectUris: [`${rpUrl}/callback`],
              postLogoutRedirectUris: [`${rpUrl}/`],
              backchannelLogoutUri: `${rpUrl}/backchannel-logout`,
              firstParty: true,
            },
          ],
        },
      }),
    });
    rp = await startRelyingParty({ issuerUrl: stack.bffUrl, clientId, clientSecret, port, publicUrl: rpUrl });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await rp?.close();
    await stack?.close();
  });

  async function tobiraSession(page: Page): Promise<unknown> {
    const response = await page.request.get(`${stack.bffUrl}/api/session`);
    return response.json();
  }

  /**
   * After a code sign-in a user without a passkey is offered one, on a page that names the app;
   * "Not now" goes on to it.
   */
  async function declinePasskeyOffer(page: Page): Promise<void> {
    await page.getByRole("heading", { name: "Sign in faster next time" }).waitFor();
    await page.getByText("E2E demo app", { exact: true }).waitFor();
    await page.getByRole("button", { name: "Not now" }).click();
  }

  async function signInAtRp(page: Page): Promise<void> {
    await page.goto(rp.url);
    await page.getByRole("link", { name: "Sign in with Tobira" }).click();
  }

  it("signs in from the RP, comes back with the claims, reuses the session (SSO) and signs out of both", async () => {
    const { email } = await signUpConfirmed(stack);
    const context: BrowserContext = await browser.newContext();
    const page = await context.newPage();

    // 1. The RP sends the browser to Tobira's sign-in page, which names the app.
    await signInAtRp(page);
    await page.waitForURL(`${stack.bffUrl}/signin`);
    await page.getByText("E2E demo app", { exact: true }).waitFor();
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(strongPassword);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByLabel("Verification code").waitFor();
    await page.getByLabel("Verification code").fill(await stack.latestCode(email));
    await page.getByRole("button", { name: "Verify and sign in" }).click();
    await declinePasskeyOffer(page);

    // 2. Back at the RP, signed in, with the verified ID-token claims and user info.
    await page.waitForURL(`${rp.url}/`);
    await page.getByRole("heading", { name: `Signed in as ${email}` }).waitFor();
    const claims = await page.getByRole("region", { name: "ID token claims" }).textContent();
    expect(claims).toContain(`"email": "${email}"`);
    expect(claims).toContain('"amr"');
    expect(claims).toContain(`"iss": "${stack.bffUrl}"`);
    expect(await page.getByRole("region", { name: "User info" }).textContent()).toContain('"email_verified": true');

    // The RP's refresh works too.
    await page.getByRole("button", { name: "Refresh tokens" }).click();
    await page.getByText("Tokens refreshed.").waitFor();

    // 3. A second sign-in from the RP (its own session forgotten) needs no password: SSO.
    await context.clearCookies({ domain: "localhost" });
    const visited: string[] = [];
    page.on("framenavigated", (frame) => {
      if (frame === page.mainFrame()) visited.push(frame.url());
    });
    await signInAtRp(page);
    await page.getByRole("heading", { name: `Signed in as ${email}` }).waitFor();
    expect(visited.some((url) => url.startsWith(`${stack.bffUrl}/signin`))).toBe(false);
    expect(await tobiraSession(page)).toMatchObject({ authenticated: true });

    // 4. Signing out at the RP: its id_token_hint names the signed-in user, so Tobira signs out
    //    without asking (RP-Initiated Logout 1.0 §2), and both sessions end.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${rp.url}/`);
    await page.getByText("You have signed out.").waitFor();
    await page.getByRole("link", { name: "Sign in with Tobira" }).waitFor();
    expect(await tobiraSession(page)).toEqual({ authenticated: false });
    await page.goto(`${stack.bffUrl}/account`);
    await page.waitForURL(/\/signin/);

    // And the next sign-in from the RP asks for the password again.
    await signInAtRp(page);
    await page.waitForURL(`${stack.bffUrl}/signin`);
    await context.close();
  });

  it("signing out of Tobira signs the user out of the RP too (back-channel logout)", async () => {
    const { email } = await signUpConfirmed(stack);
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInAtRp(page);
    await page.waitForURL(`${stack.bffUrl}/signin`);
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(strongPassword);
    await page.getByRole("button", { name: "Continue" }).click();
    // The code page shows once the code is sent: only then is it the newest message.
    await page.getByLabel("Verification code").waitFor();
    await page.getByLabel("Verification code").fill(await stack.latestCode(email));
    await page.getByRole("button", { name: "Verify and sign in" }).click();
    await declinePasskeyOffer(page);
    await page.getByRole("heading", { name: `Signed in as ${email}` }).waitFor();

    // At Tobira's account page, in the same browser: sign out.
    await page.goto(`${stack.bffUrl}/account`);
    await page.getByRole("button", { name: "Sign out", exact: true }).first().click();
    await page.waitForURL(/\/signin/);

    // The RP received the logout token and ended its own session.
    await expect
      .poll(async () => {
        await page.goto(rp.url);
        return page.getByRole("link", { name: "Sign in with Tobira" }).isVisible();
      })
      .toBe(true);
    await page.getByText("Tobira signed you out.").waitFor();
    await context.close();
  });

  it("cancelling on Tobira's sign-in page sends the user back to the RP with access_denied", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInAtRp(page);
    await page.waitForURL(`${stack.bffUrl}/signin`);
    await page.getByRole("link", { name: "Cancel and go back to E2E demo app" }).click();
    await page.waitForURL(new RegExp(`^${rp.url}/callback\\?`));
    await page.getByText("access_denied").waitFor();
    await context.close();
  });
});
