import { createServer } from "node:net";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startRelyingParty, type RunningRelyingParty } from "../../examples/relying-party/relying-party";
import { signUpConfirmed, strongPassword } from "../integration/bff/flows";
import { describeInBrowser, launchChromium } from "../support/chromium";
import { startTestStack, type TestStack } from "../support/stack";

/**
 * An app that is not Tobira's own (the demo RP registered without firstParty) in a real browser:
 * Tobira asks the user for consent, the user allows it and lands in the app; later the user
 * disconnects the app from the account page: the app is told (back-channel logout) and ends its
 * session, and the next sign-in asks for consent again.
 */

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "localhost", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describeInBrowser("consent for a third-party app, and disconnecting it (Chromium)", () => {
  let stack: TestStack;
  let rp: RunningRelyingParty;
  let browser: Browser;
  const clientId = "third-party-e2e";
  const clientSecret = "third-party-e2e-secret-000000000000000";

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
              name: "Photo Printer",
              redirectUris: [`${rpUrl}/callback`],
              postLogoutRedirectUris: [`${rpUrl}/`],
              backchannelLogoutUri: `${rpUrl}/backchannel-logout`,
              firstParty: false,
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

  it("asks for consent, signs in to the app once allowed, and ends the app's access when disconnected", async () => {
    const { email } = await signUpConfirmed(stack);
    const context = await browser.newContext();
    const page = await context.newPage();

    await page.goto(rp.url);
    await page.getByRole("link", { name: "Sign in with Tobira" }).click();
    await page.waitForURL(`${stack.bffUrl}/signin`);
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(strongPassword);
    await page.getByRole("button", { name: "Continue" }).click();
    // The code page shows once the code is sent: only then is it the newest message.
    await page.getByLabel("Verification code").waitFor();
    await page.getByLabel("Verification code").fill(await stack.latestCode(email));
    await page.getByRole("button", { name: "Verify and sign in" }).click();
    // A user without a passkey is offered one after a code sign-in: not now.
    await page.getByRole("heading", { name: "Sign in faster next time" }).waitFor();
    await page.getByRole("button", { name: "Not now" }).click();

    // The consent page names the app and what it will receive.
    await page.waitForURL(`${stack.bffUrl}/consent`);
    await page.getByRole("heading", { name: "Allow Photo Printer to use your account?" }).waitFor();
    await page.getByText("Your email address, and whether it's verified").waitFor();
    await page.getByRole("button", { name: "Allow", exact: true }).click();

    await page.waitForURL(`${rp.url}/`);
    await page.getByRole("heading", { name: `Signed in as ${email}` }).waitFor();

    // The account page lists the app; disconnecting it asks first.
    await page.goto(`${stack.bffUrl}/account`);
    const section = page.getByRole("region", { name: "Connected apps" });
    await section.getByRole("heading", { name: "Photo Printer" }).waitFor();
    await section.getByRole("button", { name: "Disconnect Photo Printer" }).click();
    await section.getByRole("button", { name: "Disconnect", exact: true }).click();
    await section.getByText("No apps are connected to your account.").waitFor();

    // The app was told (back-channel logout) and ended its session.
    await expect
      .poll(async () => {
        await page.goto(rp.url);
        return page.getByRole("link", { name: "Sign in with Tobira" }).isVisible();
      })
      .toBe(true);

    // And signing in to the app again asks for consent again.
    await page.getByRole("link", { name: "Sign in with Tobira" }).click();
    await page.waitForURL(`${stack.bffUrl}/consent`);
    await page.getByRole("button", { name: "Don't allow" }).click();
    await page.waitForURL(new RegExp(`^${rp.url}/callback\\?`));
    expect(await page.getByText("access_denied").isVisible()).toBe(true);
    await context.close();
  });
});
