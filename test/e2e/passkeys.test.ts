import { createServer } from "node:net";
import type { Browser, BrowserContext, CDPSession, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { SessionResponse } from "../../common/api-contract";
import { startRelyingParty, type RunningRelyingParty } from "../../examples/relying-party/relying-party";
import { signUpConfirmed, strongPassword } from "../integration/bff/flows";
import { describeInBrowser, launchChromium } from "../support/chromium";
import { startTestStack, type TestStack } from "../support/stack";

/**
 * Passkeys in a real browser, with Chromium's DevTools virtual authenticator (CDP WebAuthn
 * domain: a platform authenticator with resident keys and user verification that "touches"
 * by itself). The stack's public URL is http://localhost:<port>: an IP address cannot be an
 * RP ID (WebAuthn L3 §5.1.3), so the browser must not use 127.0.0.1.
 */

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "localhost", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describeInBrowser("passkeys with a virtual authenticator: register, second step, passkey-first, manage (Chromium)", () => {
  let stack: TestStack;
  let browser: Browser;
  let rp: RunningRelyingParty;
  const rpClient = { clientId: "demo-rp-passkeys", clientSecret: "demo-rp-passkeys-secret-000000000000000" };

  beforeAll(async () => {
    // The demo RP's redirect URI must be registered before the provider starts: its port comes first.
    const rpPort = await freePort();
    const rpUrl = `http://localhost:${rpPort}`;
    stack = await startTestStack({
      serveWeb: true,
      publicHost: "localhost",
      configure: (config) => ({
        ...config,
        oidc: {
          ...config.oidc,
          clients: [{ ...rpClient, name: "Passkey demo app", redirectUris: [`${rpUrl}/callback`], postLogoutRedirectUris: [`${rpUrl}/`], firstParty: true }],
        },
      }),
    });
    rp = await startRelyingParty({ issuerUrl: stack.bffUrl, ...rpClient, port: rpPort, publicUrl: rpUrl });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await rp?.close();
    await stack?.close();
  });

  /**
   * A page in a fresh context with a virtual platform authenticator attached. The virtual
   * authenticator answers a conditional (autofill) request by itself, which would sign in as
   * soon as /signin opens; so autofill is reported unavailable unless a step turns it on with
   * `setAutofill` (the SPA then behaves as in a browser without conditional mediation).
   */
  async function pageWithAuthenticator(): Promise<{ context: BrowserContext; page: Page; cdp: CDPSession; authenticatorId: string }> {
    const context = await browser.newContext();
    await context.addInitScript(() => {
      const original = PublicKeyCredential.isConditionalMediationAvailable?.bind(PublicKeyCredential);
      PublicKeyCredential.isConditionalMediationAvailable = async () => localStorage.getItem("e2e-autofill") === "on" && original !== undefined && (await original());
    });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("WebAuthn.enable", { enableUI: false });
    const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: {
        protocol: "ctap2",
        transport: "internal",
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    return { context, page, cdp, authenticatorId };
  }

  async function setAutofill(page: Page, on: boolean): Promise<void> {
    await page.evaluate((value) => localStorage.setItem("e2e-autofill", value), on ? "on" : "off");
  }

  /** Codes mailed to `email` (the outbox also holds security notices, which carry none). */
  async function codesSent(email: string): Promise<number> {
    return (await stack.outbox(email)).filter((message) => message.code !== "").length;
  }

  async function session(page: Page): Promise<SessionResponse> {
    return (await (await page.request.get(`${stack.bffUrl}/api/session`)).json()) as SessionResponse;
  }

  async function openSignIn(page: Page): Promise<void> {
    await page.goto(`${stack.bffUrl}/signin`);
    await page.getByRole("button", { name: "Sign in with a passkey" }).waitFor();
    // The autofill ceremony fetches its options on arrival; let that settle before typing.
    await page.waitForLoadState("networkidle");
  }

  async function submitPassword(page: Page, email: string): Promise<void> {
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(strongPassword);
    await page.getByRole("button", { name: "Continue" }).click();
  }

  /**
   * Password and code. A user without a passkey is then offered one ("Sign in faster next
   * time", after the browser's automatic upgrade was tried silently): declined here, so the
   * account page adds it.
   */
  async function signInWithCode(page: Page, email: string): Promise<void> {
    await openSignIn(page);
    await submitPassword(page, email);
    // A user with a passkey chooses first: the code, here.
    const codeField = page.getByLabel("Verification code");
    const emailMeACode = page.getByRole("button", { name: "Email me a code" });
    await codeField.or(emailMeACode).waitFor();
    if (await emailMeACode.isVisible()) await emailMeACode.click();
    await codeField.waitFor();
    await codeField.fill(await stack.latestCode(email));
    await page.getByRole("button", { name: "Verify and sign in" }).click();
    await page.waitForURL(/\/(account|passkeys\/add)$/);
    if (page.url().endsWith("/passkeys/add")) {
      await page.getByRole("button", { name: "Not now" }).click();
      await page.waitForURL(/\/account$/);
    }
  }

  async function addPasskey(page: Page): Promise<string> {
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await page.getByText(/^Passkey added/).waitFor();
    const item = page.locator("li.passkey-item");
    await item.first().waitFor();
    return (await item.last().getByRole("heading", { level: 3 }).textContent()) ?? "";
  }

  async function signOut(page: Page): Promise<void> {
    // The summary's "Sign out" (the account page may list other sessions with their own).
    await page.getByRole("button", { name: "Sign out", exact: true }).first().click();
    await page.waitForURL(/\/signin/);
  }

  it("registers a passkey, signs in with password + passkey and with the passkey alone, renames and deletes it", async () => {
    const { email } = await signUpConfirmed(stack);
    const { context, page, cdp, authenticatorId } = await pageWithAuthenticator();

    // 1. Signed in with the code, the account page adds a passkey (a resident key on the virtual
    // authenticator). Its default name says where it was made, never "Passkey on this device";
    // "This device" is a badge, since it was made in this browser.
    await signInWithCode(page, email);
    const name = await addPasskey(page);
    expect(name).toBe("Chrome on Linux");
    const item = page.locator("li.passkey-item").filter({ hasText: name });
    await expect(item.textContent()).resolves.toContain("This device");
    await expect(item.textContent()).resolves.toContain("Device-bound passkey");
    await expect(item.textContent()).resolves.not.toMatch(/hardware key|security key/i);
    const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]?.isResidentCredential).toBe(true);
    await signOut(page);

    // 2. Password, then the choice; the passkey finishes the sign-in and no message is sent.
    const messagesBefore = await codesSent(email);
    await openSignIn(page);
    await submitPassword(page, email);
    await page.getByRole("heading", { name: "Choose how to confirm it's you" }).waitFor();
    await page.getByRole("button", { name: "Use a passkey" }).click();
    await page.waitForURL(/\/account$/);
    expect(await session(page)).toMatchObject({ authenticated: true, user: { email }, amr: ["pwd", "swk", "user", "mfa"] });
    expect(await codesSent(email)).toBe(messagesBefore);
    await signOut(page);

    // 3. Passkey-first: no email, no password.
    await openSignIn(page);
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await page.waitForURL(/\/account$/);
    expect(await session(page)).toMatchObject({ authenticated: true, user: { email }, amr: ["swk", "user"] });
    expect(await codesSent(email)).toBe(messagesBefore);
    await signOut(page);

    // 3b. Passkey-first through the browser's autofill (conditional mediation): the virtual
    // authenticator picks the passkey offered on the email field, as a person would.
    // The field offers passkeys (checked before autofill is on: with it, the sign-in may finish first).
    await page.goto(`${stack.bffUrl}/signin`);
    await expect(page.getByLabel("Email address").getAttribute("autocomplete")).resolves.toBe("username webauthn");
    await setAutofill(page, true);
    await page.reload();
    await page.waitForURL(/\/account$/);
    expect(await session(page)).toMatchObject({ authenticated: true, amr: ["swk", "user"] });
    await setAutofill(page, false);

    // 4. Rename, then delete, on the account page (the sign-in is recent, no re-authentication
    // needed). After the delete the browser is told which passkeys the account still accepts
    // (signalAllAcceptedCredentials): the authenticator forgets the deleted one.
    await page.getByRole("button", { name: `Rename ${name}` }).click();
    await page.getByLabel("Passkey name").fill("My laptop");
    await page.getByRole("button", { name: "Save name" }).click();
    await page.getByRole("heading", { level: 3, name: "My laptop" }).waitFor();
    await page.getByRole("button", { name: "Delete My laptop" }).click();
    await page.getByRole("button", { name: "Delete passkey" }).click();
    // The last one: the page says plainly how sign-in works from now on.
    await page.getByText("From now on you'll sign in with your password and a code we email to").waitFor();
    await expect.poll(async () => (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials.length, { timeout: 10_000 }).toBe(0);
    await context.close();
  });

  it("refuses a passkey the account no longer knows and tells the browser to forget it (signalUnknownCredential)", async () => {
    const { email } = await signUpConfirmed(stack);
    const { context, page, cdp, authenticatorId } = await pageWithAuthenticator();
    await signInWithCode(page, email);
    await addPasskey(page);
    await signOut(page);
    // Removed on the server only (another device deleted it, say): the authenticator still holds it.
    const [credential] = (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials;
    const credentialId = Buffer.from(credential!.credentialId, "base64").toString("base64url");
    await stack.store.delete("passkey", credentialId);

    await openSignIn(page);
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await page.getByRole("alert").filter({ hasText: "We don't recognise this passkey" }).waitFor();
    expect(page.url()).toMatch(/\/signin$/);
    expect(await session(page)).toEqual({ authenticated: false });
    await expect.poll(async () => (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials.length, { timeout: 10_000 }).toBe(0);
    await context.close();
  });

  it("says 'This device' only in the browser that made the passkey", async () => {
    const { email } = await signUpConfirmed(stack);
    const first = await pageWithAuthenticator();
    await signInWithCode(first.page, email);
    const name = await addPasskey(first.page);
    await first.context.close();

    const second = await pageWithAuthenticator();
    await signInWithCode(second.page, email);
    const item = second.page.locator("li.passkey-item").filter({ hasText: name });
    await item.waitFor();
    expect(await item.textContent()).not.toContain("This device");
    expect(await item.textContent()).toContain("Stays on the device that created it");
    await second.context.close();
  });

  it("signs in to the demo relying party with the passkey alone", async () => {
    const { email } = await signUpConfirmed(stack);
    const { context, page } = await pageWithAuthenticator();
    await signInWithCode(page, email);
    await addPasskey(page);
    await signOut(page);

    await page.goto(rp.url);
    await page.getByRole("link", { name: "Sign in with Tobira" }).click();
    await page.waitForURL(`${stack.bffUrl}/signin`);
    await page.getByText("Passkey demo app", { exact: true }).waitFor();

    // Every step of the app's sign-in names it and offers Cancel: the choice too.
    await submitPassword(page, email);
    await page.getByRole("heading", { name: "Choose how to confirm it's you" }).waitFor();
    await page.getByText("Passkey demo app", { exact: true }).waitFor();
    await page.getByRole("link", { name: "Cancel and go back to Passkey demo app" }).waitFor();
    await page.getByRole("link", { name: "Sign in with a different account" }).click();
    await page.waitForURL(`${stack.bffUrl}/signin`);

    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await page.waitForURL(`${rp.url}/`);
    await page.getByRole("heading", { name: `Signed in as ${email}` }).waitFor();
    const claims = await page.getByRole("region", { name: "ID token claims" }).textContent();
    expect(claims).toContain(`"email": "${email}"`);
    expect(claims).toContain('"swk"');
    await context.close();
  });
});
