import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../../support/stack";
import { errorOf, signUpConfirmed, storedSession, strongPassword } from "../bff/flows";
import { ageSignIn, chromeOnMac, firefoxOnWindows, isSignedIn, mailsTo, signInBrowser } from "./account-flows";

describe("POST /api/account/delete: delete the account", () => {
  let stack: TestStack;
  beforeAll(async () => {
    // Security mails on: these tests read them from the outbox.
    stack = await startTestStack({ bffEnv: { SECURITY_MAILS: "true" } });
  });
  afterAll(() => stack.close());

  it("deletes the user in Cognito, erases everything Tobira kept, signs every browser out and says goodbye", async () => {
    const { email } = await signUpConfirmed(stack);
    const here = await signInBrowser(stack, email, chromeOnMac);
    const there = await signInBrowser(stack, email, firefoxOnWindows);
    const { sub, username } = (await storedSession(stack, here))!;
    expect(await stack.store.get("security-account", username)).toEqual({ sub });
    await stack.store.put("passkey", `credential-of-${sub}`, { username, name: "Laptop" }, { index: username });
    await stack.store.put("oidc-Grant", `grant-of-${sub}`, { accountId: sub, clientId: "some-app" }, { index: sub, ttlSeconds: 600 });

    const response = await here.post("/api/account/delete", { confirmation: email });
    expect(response.status, response.text).toBe(200);
    expect(response.body).toEqual({ redirectTo: "/signin" });

    expect(await isSignedIn(here)).toBe(false);
    expect(await isSignedIn(there)).toBe(false);
    expect(errorOf(await stack.client().post("/api/signin", { email, password: strongPassword })).code).toBe("invalid_credentials");
    expect(await stack.store.get("passkey", `credential-of-${sub}`)).toBeUndefined();
    expect(await stack.store.get("oidc-Grant", `grant-of-${sub}`)).toBeUndefined();
    expect(await stack.store.queryByIndex("security-event", sub)).toEqual([]);
    expect(await stack.store.get("security-account", username)).toBeUndefined();
    expect(await stack.store.queryByIndex("session", sub)).toEqual([]);
    const [goodbye] = await mailsTo(stack, email, /account was deleted/);
    expect(goodbye?.text).toMatch(/cannot be restored/);
  });

  it("needs a recent sign-in: 403 reauthentication_required, and the account stays", async () => {
    const { email } = await signUpConfirmed(stack);
    const here = await signInBrowser(stack, email, chromeOnMac);
    await ageSignIn(stack, here, stack.config.account.reauthWindowSeconds + 60);
    const response = await here.post("/api/account/delete", { confirmation: email });
    expect(response.status).toBe(403);
    expect(errorOf(response).code).toBe("reauthentication_required");
    expect((await stack.client().post("/api/signin", { email, password: strongPassword })).status).toBe(200);
  });

  it("needs the email address typed as confirmation: 400 bad_request on the confirmation field", async () => {
    const { email } = await signUpConfirmed(stack);
    const here = await signInBrowser(stack, email, chromeOnMac);
    const response = await here.post("/api/account/delete", { confirmation: "delete" });
    expect(response.status).toBe(400);
    expect(errorOf(response)).toMatchObject({ code: "bad_request", fields: { confirmation: expect.any(String) } });
    expect(await isSignedIn(here)).toBe(true);
    expect(errorOf(await here.post("/api/account/delete", {})).fields).toHaveProperty("confirmation");
  });

  it("refuses without a session: 401 unauthenticated", async () => {
    expect(errorOf(await stack.client().post("/api/account/delete", { confirmation: "x@example.com" })).code).toBe("unauthenticated");
  });
});
