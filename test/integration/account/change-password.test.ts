import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../../support/stack";
import { errorOf, passwordStep, signUpConfirmed, strongPassword, storedSession } from "../bff/flows";
import { chromeOnMac, firefoxOnWindows, isSignedIn, mailsTo, signInBrowser } from "./account-flows";

const newPassword = "Battery-Staple-7";

describe("POST /api/account/password: change the password", () => {
  let stack: TestStack;
  beforeAll(async () => {
    // Security mails on: these tests read them from the outbox.
    stack = await startTestStack({ bffEnv: { SECURITY_MAILS: "true" } });
  });
  afterAll(() => stack.close());

  it("changes the password, keeps this browser signed in and ends every other session", async () => {
    const { email } = await signUpConfirmed(stack);
    const here = await signInBrowser(stack, email, chromeOnMac);
    const there = await signInBrowser(stack, email, firefoxOnWindows);

    const response = await here.post("/api/account/password", { currentPassword: strongPassword, newPassword });
    expect(response.status, response.text).toBe(200);
    expect(response.body).toEqual({ otherSessionsEnded: 1 });

    expect(await isSignedIn(here)).toBe(true);
    expect(await isSignedIn(there)).toBe(false);
    const old = await stack.client().post("/api/signin", { email, password: strongPassword });
    expect(errorOf(old).code).toBe("invalid_credentials");
    await passwordStep(stack.client(), email, newPassword);
  });

  it("ends every grant the OpenID Provider gave apps for the account", async () => {
    const { email } = await signUpConfirmed(stack);
    const here = await signInBrowser(stack, email, chromeOnMac);
    const { sub } = (await storedSession(stack, here))!;
    await stack.store.put("oidc-Grant", "grant-1", { accountId: sub, clientId: "some-app", kind: "Grant" }, { index: sub, ttlSeconds: 600 });
    await stack.store.put("oidc-RefreshToken", "refresh-1", { grantId: "grant-1", kind: "RefreshToken" }, { index: "grant-1", ttlSeconds: 600 });

    const response = await here.post("/api/account/password", { currentPassword: strongPassword, newPassword });
    expect(response.status).toBe(200);
    expect(await stack.store.get("oidc-Grant", "grant-1")).toBeUndefined();
    expect(await stack.store.get("oidc-RefreshToken", "refresh-1")).toBeUndefined();
  });

  it("mails the account a notice (text and HTML) and records the change in the history", async () => {
    const { email } = await signUpConfirmed(stack);
    const here = await signInBrowser(stack, email, chromeOnMac);
    await here.post("/api/account/password", { currentPassword: strongPassword, newPassword });

    const [mail] = await mailsTo(stack, email, /password was changed/);
    expect(mail?.text).toContain("Chrome on macOS");
    expect(mail?.text).toMatch(/If this wasn't you, reset your password/);
    expect(mail?.html).toContain("<!doctype html>");
    const history = await here.get("/api/account/history");
    expect((history.body as { events: { type: string }[] }).events.map((event) => event.type)).toContain("password_changed");
  });

  it("refuses a wrong current password with 400 invalid_credentials on the currentPassword field", async () => {
    const { email } = await signUpConfirmed(stack);
    const here = await signInBrowser(stack, email, chromeOnMac);
    const response = await here.post("/api/account/password", { currentPassword: "Wrong-Horse-9", newPassword });
    expect(response.status).toBe(400);
    expect(errorOf(response)).toMatchObject({ code: "invalid_credentials", fields: { currentPassword: expect.any(String) } });
    await passwordStep(stack.client(), email, strongPassword);
  });

  it("refuses a new password the pool's policy rejects with 400 invalid_password", async () => {
    const { email } = await signUpConfirmed(stack);
    const here = await signInBrowser(stack, email, chromeOnMac);
    const response = await here.post("/api/account/password", { currentPassword: strongPassword, newPassword: "weakpass" });
    expect(response.status).toBe(400);
    expect(errorOf(response).code).toBe("invalid_password");
  });

  it("refuses the current password as the new one with 400 bad_request on the newPassword field", async () => {
    const { email } = await signUpConfirmed(stack);
    const here = await signInBrowser(stack, email, chromeOnMac);
    const response = await here.post("/api/account/password", { currentPassword: strongPassword, newPassword: strongPassword });
    expect(response.status).toBe(400);
    expect(errorOf(response)).toMatchObject({ code: "bad_request", fields: { newPassword: expect.any(String) } });
  });

  it("refuses without a session: 401 unauthenticated", async () => {
    const response = await stack.client().post("/api/account/password", { currentPassword: strongPassword, newPassword });
    expect(response.status).toBe(401);
    expect(errorOf(response).code).toBe("unauthenticated");
  });

  it("limits wrong current passwords per account: the sixth in 15 minutes is 429 rate_limited with Retry-After", async () => {
    const { email } = await signUpConfirmed(stack);
    const here = await signInBrowser(stack, email, chromeOnMac);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const wrong = await here.post("/api/account/password", { currentPassword: `Wrong-Horse-${attempt}`, newPassword });
      expect(errorOf(wrong).code).not.toBe("rate_limited");
    }
    const limited = await here.post("/api/account/password", { currentPassword: strongPassword, newPassword });
    expect(limited.status).toBe(429);
    expect(errorOf(limited).code).toBe("rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
