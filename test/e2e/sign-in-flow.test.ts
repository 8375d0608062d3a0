import { createHash } from "node:crypto";
import type { Browser, BrowserContext, CDPSession, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { AuthenticatedSession } from "../../bff/session/session-records";
import type { SessionResponse } from "../../common/api-contract";
import { signUpConfirmed, strongPassword, uniqueEmail } from "../integration/bff/flows";
import { userWithPasskey } from "../integration/passkeys/passkey-flows";
import { describeInBrowser, launchChromium } from "../support/chromium";
import { startTestStack, type TestStack } from "../support/stack";

/**
 * The sign-in flow as a new user meets it, in Chromium with DevTools' virtual authenticator (a
 * platform authenticator with resident keys and user verification that "touches" by itself):
 * two accounts in one browser, pasted codes, Back after signing in, the resend cool-down, a
 * dropped connection (DevTools' offline emulation), a passkey at sign-up and after a code, and
 * adding a passkey after the step-up window (the password asked for in place). The BFF waits
 * 30 s between two codes here, as it does by default.
 */
describeInBrowser("the sign-in flow without rough edges (Chromium, virtual authenticator)", () => {
  let stack: TestStack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startTestStack({ serveWeb: true, publicHost: "localhost", bffEnv: { OTP_RESEND_COOLDOWN_SECONDS: "30" } });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  /** A fresh browser with a virtual authenticator; conditional (autofill) sign-in reported unavailable, so /signin does not sign in by itself. */
  async function device(): Promise<{ context: BrowserContext; page: Page; cdp: CDPSession; authenticatorId: string }> {
    const context = await browser.newContext();
    await context.addInitScript(() => {
      PublicKeyCredential.isConditionalMediationAvailable = async () => false;
    });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("WebAuthn.enable", { enableUI: false });
    const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
    return { context, page, cdp, authenticatorId };
  }

  async function session(page: Page): Promise<SessionResponse> {
    return (await (await page.request.get(`${stack.bffUrl}/api/session`)).json()) as SessionResponse;
  }

  async function codesSent(email: string): Promise<number> {
    return (await stack.outbox(email)).filter((message) => message.code !== "").length;
  }

  async function latestCode(email: string): Promise<string> {
    const latest = (await stack.outbox(email)).find((message) => message.code !== "");
    if (latest === undefined) throw new Error(`no code was sent to ${email}`);
    return latest.code;
  }

  async function openSignIn(page: Page): Promise<void> {
    await page.goto(`${stack.bffUrl}/signin`);
    await page.getByRole("button", { name: "Sign in with a passkey" }).waitFor();
    await page.waitForLoadState("networkidle");
  }

  async function submitPassword(page: Page, email: string): Promise<void> {
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(strongPassword);
    await page.getByRole("button", { name: "Continue" }).click();
  }

  async function enterCode(page: Page, email: string): Promise<void> {
    await page.getByLabel("Verification code").fill(await latestCode(email));
    await page.getByRole("button", { name: "Verify and sign in" }).click();
  }

  /** Password and code; the offer of a passkey that follows is answered with `onOffer`. */
  async function signInWithCode(page: Page, email: string, onOffer: "Not now" | "Create a passkey" = "Not now"): Promise<void> {
    await openSignIn(page);
    await submitPassword(page, email);
    await page.getByLabel("Verification code").waitFor();
    await enterCode(page, email);
    await page.waitForURL(/\/(account|passkeys\/add)$/);
    if (page.url().endsWith("/passkeys/add")) {
      await page.getByRole("button", { name: onOffer }).click();
      if (onOffer === "Create a passkey") await page.getByRole("button", { name: "Continue" }).click();
      await page.waitForURL(/\/account$/);
    }
  }

  async function signOut(page: Page): Promise<void> {
    await page.getByRole("button", { name: "Sign out", exact: true }).first().click();
    await page.waitForURL(/\/signin/);
  }

  it("signs B in with B's passkey after A's password, from 'Sign in with a different account' and from a reloaded /signin", async () => {
    // A has a passkey elsewhere, so A's password leads to the choice; this device holds only B's.
    const alice = await userWithPasskey(stack);
    const { email: bob } = await signUpConfirmed(stack);
    const { context, page } = await device();
    await signInWithCode(page, bob, "Create a passkey");
    await signOut(page);

    for (const leave of ["different account", "reload"] as const) {
      await openSignIn(page);
      await submitPassword(page, alice.email);
      await page.getByRole("heading", { name: "Choose how to confirm it's you" }).waitFor();
      if (leave === "different account") await page.getByRole("link", { name: "Sign in with a different account" }).click();
      else await page.goto(`${stack.bffUrl}/signin`);
      await page.getByRole("button", { name: "Sign in with a passkey" }).click();
      await page.waitForURL(/\/account$/);
      expect(await session(page)).toMatchObject({ authenticated: true, user: { email: bob }, amr: ["swk", "user"] });
      await signOut(page);
    }
    await context.close();
  });

  it("keeps all six digits of a code pasted with a space or a dash", async () => {
    const { email } = await signUpConfirmed(stack);
    const { context, page } = await device();
    await openSignIn(page);
    await submitPassword(page, email);
    const field = page.getByLabel("Verification code");
    for (const [pasted, kept] of [
      ["123 456", "123456"],
      ["654-321", "654321"],
    ]) {
      await field.fill("");
      await field.focus();
      // As a paste arrives: one insertion, which an input's maxLength would cut short.
      await page.keyboard.insertText(pasted!);
      expect(await field.inputValue()).toBe(kept);
    }
    await context.close();
  });

  it("does not show 'Enter your code' on Back after signing in, nor a form on /signin/code opened directly", async () => {
    const { email } = await signUpConfirmed(stack);
    const { context, page } = await device();
    await signInWithCode(page, email);

    await page.goBack();
    await page.waitForLoadState("networkidle");
    expect(await page.getByRole("heading", { name: "Enter your code" }).count()).toBe(0);
    expect(await session(page)).toMatchObject({ authenticated: true });

    const stranger = await device();
    await stranger.page.goto(`${stack.bffUrl}/signin/code`);
    await stranger.page.getByText("There's no sign-in in progress").waitFor();
    expect(stranger.page.url()).toMatch(/\/signin$/);
    expect(await stranger.page.getByText(/took too long and has expired/).count()).toBe(0);
    await stranger.page.goto(`${stack.bffUrl}/signin/choose`);
    await stranger.page.getByText("There's no sign-in in progress").waitFor();
    await stranger.context.close();
    await context.close();
  });

  it("waits out the cool-down between codes: the button says when, and a burst of resends mails nothing", async () => {
    const { email } = await signUpConfirmed(stack);
    const { context, page } = await device();
    await openSignIn(page);
    await submitPassword(page, email);
    await page.getByLabel("Verification code").waitFor();
    const sent = await codesSent(email);

    const resend = page.getByRole("button", { name: /Send a new code \(in \d+ s\)/ });
    await resend.waitFor();
    expect(await resend.isDisabled()).toBe(true);
    const burst = await Promise.all([1, 2, 3, 4].map(() => page.request.post(`${stack.bffUrl}/api/signin/otp/send`, { data: {}, headers: { origin: stack.bffUrl } })));
    expect(burst.map((response) => response.status())).toEqual([429, 429, 429, 429]);
    expect(await codesSent(email)).toBe(sent);
    await context.close();
  });

  it("survives a dropped connection: a message and 'Try again', nothing sent by itself when the network is back", async () => {
    const { email } = await signUpConfirmed(stack);
    const { context, page, cdp } = await device();
    await openSignIn(page);
    const sent = await codesSent(email);

    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", { offline: true, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await submitPassword(page, email);
    await page.getByRole("alert").filter({ hasText: "We couldn't reach the server" }).waitFor();
    expect(await page.getByRole("button", { name: "Continue" }).getAttribute("aria-busy")).toBeNull();

    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await page.waitForTimeout(2_000);
    // Back online: no sign-in went through and no code was mailed behind the person's back.
    expect(await codesSent(email)).toBe(sent);
    expect(page.url()).toMatch(/\/signin$/);

    await page.getByRole("button", { name: "Try again" }).click();
    await page.getByLabel("Verification code").waitFor();
    expect(await codesSent(email)).toBe(sent + 1);
    await context.close();
  });

  it("offers a passkey right after sign-up, and that passkey signs in alone", async () => {
    const email = uniqueEmail("e2e-signup-passkey");
    const { context, page } = await device();
    await page.goto(`${stack.bffUrl}/signup`);
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(strongPassword);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByLabel("Confirmation code").waitFor();
    await page.getByLabel("Confirmation code").fill(await latestCode(email));
    await page.getByRole("button", { name: "Confirm email address" }).click();

    await page.getByRole("heading", { name: "Your account is ready" }).waitFor();
    expect(await session(page)).toMatchObject({ authenticated: true, user: { email }, amr: ["pwd", "otp", "mfa"] });
    await page.getByRole("button", { name: "Create a passkey" }).click();
    await page.getByText("Passkey added: “Chrome on Linux”").waitFor();
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL(/\/account$/);
    await signOut(page);

    await openSignIn(page);
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await page.waitForURL(/\/account$/);
    expect(await session(page)).toMatchObject({ authenticated: true, user: { email }, amr: ["swk", "user"] });
    await context.close();
  });

  it("offers a passkey after a code sign-in (having tried the browser's automatic upgrade silently), and not again after 'Not now'", async () => {
    const { email } = await signUpConfirmed(stack);
    const { context, page } = await device();
    const calls: string[] = [];
    page.on("request", (request) => calls.push(`${request.method()} ${new URL(request.url()).pathname}`));

    await openSignIn(page);
    const conditionalCreate = await page.evaluate(async () => {
      const capabilities = await (PublicKeyCredential as unknown as { getClientCapabilities?: () => Promise<Record<string, boolean>> }).getClientCapabilities?.();
      return capabilities?.conditionalCreate === true;
    });
    await submitPassword(page, email);
    await page.getByLabel("Verification code").waitFor();
    await enterCode(page, email);
    await page.getByRole("heading", { name: "Sign in faster next time" }).waitFor();
    // Where Chromium reports conditional create, the upgrade was asked for first; the virtual
    // authenticator does not complete it, so the offer follows without a word about it.
    if (conditionalCreate) expect(calls).toContain("POST /api/passkeys/options");
    expect(await page.getByRole("alert").count()).toBe(0);
    await page.getByRole("button", { name: "Not now" }).click();
    await page.waitForURL(/\/account$/);
    await signOut(page);

    await openSignIn(page);
    await submitPassword(page, email);
    await page.getByLabel("Verification code").waitFor();
    await enterCode(page, email);
    await page.waitForURL(/\/account$/);
    await context.close();
  });

  it("asks for the password before adding a passkey once the sign-in's factor proof is older than the step-up window, then adds it", async () => {
    const { email } = await signUpConfirmed(stack);
    const { context, page, cdp, authenticatorId } = await device();
    await signInWithCode(page, email);

    // The sign-in (and the factor it proved) is now an hour old (past PASSKEY_STEP_UP_SECONDS).
    const cookie = (await context.cookies(stack.bffUrl)).find((candidate) => candidate.name === "tobira");
    const sid = (JSON.parse(Buffer.from(cookie!.value, "base64").toString("utf8")) as { sid: string }).sid;
    const key = createHash("sha256").update(sid).digest("base64url");
    const stored = (await stack.store.get<AuthenticatedSession>("session", key))!;
    await stack.store.put(
      "session",
      key,
      { ...stored, authTime: stored.authTime - 3600, factorProvedAt: stored.factorProvedAt! - 3600 },
      { ttlSeconds: 3600, index: stored.sub },
    );

    await page.getByRole("button", { name: "Add a passkey" }).click();
    await page.getByRole("heading", { name: "Confirm it's you" }).waitFor();
    expect((await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials).toHaveLength(0);
    await page.getByLabel("Password", { exact: true }).fill(strongPassword);
    await page.getByRole("button", { name: "Confirm and add the passkey" }).click();
    await page.getByText(/^Passkey added: /).waitFor();
    expect((await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials).toHaveLength(1);
    await context.close();
  });
});
