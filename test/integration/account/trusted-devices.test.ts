import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccountSessionsResponse } from "../../../common/api-contract";
import type { HttpClient } from "../../support/http-client";
import { startTestStack, type TestStack } from "../../support/stack";
import { errorOf, passwordStep, signUpConfirmed, storedSession, strongPassword } from "../bff/flows";
import { chromeOnMac, isSignedIn } from "./account-flows";

const cookieName = "tobira.trusted";

/** Signs in with password + code, ticking "don't ask for a code on this device". */
async function signInTrusting(stack: TestStack, client: HttpClient, email: string, password = strongPassword): Promise<void> {
  await passwordStep(client, email, password);
  const done = await client.post("/api/signin/otp", { code: await stack.latestCode(email), rememberDevice: true });
  expect(done.status, done.text).toBe(200);
}

describe("trusted devices: the code step skipped on a browser the user trusted", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.close());

  async function trustedBrowser() {
    const { email } = await signUpConfirmed(stack);
    const client = stack.client({ "user-agent": chromeOnMac });
    await signInTrusting(stack, client, email);
    return { email, client };
  }

  it("sets an HttpOnly, SameSite=Strict cookie at Path=/ (for the __Host- prefix over https) and keeps only the token's hash", async () => {
    const { email } = await signUpConfirmed(stack);
    const client = stack.client();
    await passwordStep(client, email);
    const response = await client.post("/api/signin/otp", { code: await stack.latestCode(email), rememberDevice: true });
    const setCookie = response.headers.getSetCookie().find((line) => line.startsWith(`${cookieName}=`))!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Path=\/(;|$)/);
    const token = client.cookie(cookieName)!;
    const { sub } = (await storedSession(stack, client))!;
    const records = await stack.store.queryByIndex<Record<string, unknown>>("trusted-device", sub);
    expect(records.map((record) => record.id)).toEqual([createHash("sha256").update(token).digest("base64url")]);
    expect(JSON.stringify(records)).not.toContain(token);
  });

  it("skips the code on the next sign-in: no code is sent, the sign-in is done after the password", async () => {
    const { email, client } = await trustedBrowser();
    await client.post("/api/logout", {});
    const sent = (await stack.outbox(email)).length;
    const response = await client.post("/api/signin", { email, password: strongPassword });
    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({ next: "done", redirectTo: "/account" });
    expect((await stack.outbox(email)).length).toBe(sent);
    expect((await client.get("/api/session")).body).toMatchObject({ authenticated: true, amr: ["pwd"] });
    const { sessions } = (await client.get("/api/account/sessions")).body as AccountSessionsResponse;
    expect(sessions.find((session) => session.current)?.method).toBe("password_trusted_device");
  });

  it("never replaces the password: a wrong one is refused on a trusted browser", async () => {
    const { email, client } = await trustedBrowser();
    await client.post("/api/logout", {});
    const response = await client.post("/api/signin", { email, password: "Wrong-Horse-9" });
    expect(response.status).toBe(401);
    expect(errorOf(response).code).toBe("invalid_credentials");
  });

  it("counts only for the account it was issued to", async () => {
    const { client } = await trustedBrowser();
    await client.post("/api/logout", {});
    const { email: other } = await signUpConfirmed(stack);
    await passwordStep(client, other);
  });

  it("asks for the code without the box ticked", async () => {
    const { email } = await signUpConfirmed(stack);
    const client = stack.client();
    await passwordStep(client, email);
    await client.post("/api/signin/otp", { code: await stack.latestCode(email) });
    expect(client.cookie(cookieName)).toBeUndefined();
    await client.post("/api/logout", {});
    await passwordStep(client, email);
  });

  it("is listed on the account page and can be forgotten; then the code is asked again", async () => {
    const { email, client } = await trustedBrowser();
    const { trustedDevices } = (await client.get("/api/account/sessions")).body as AccountSessionsResponse;
    expect(trustedDevices).toEqual([expect.objectContaining({ current: true, device: expect.objectContaining({ label: "Chrome on macOS" }), lastUsedAt: null })]);
    const forgotten = await client.delete(`/api/account/trusted-devices/${trustedDevices[0]!.id}`);
    expect(forgotten.status).toBe(204);
    await client.post("/api/logout", {});
    await passwordStep(client, email);
  });

  it("answers another user's device id like an unknown one: 404 not_found", async () => {
    const { client: alice } = await trustedBrowser();
    const { client: bob } = await trustedBrowser();
    const bobsDevice = ((await bob.get("/api/account/sessions")).body as AccountSessionsResponse).trustedDevices[0]!;
    expect((await alice.delete(`/api/account/trusted-devices/${bobsDevice.id}`)).status).toBe(404);
    expect(((await bob.get("/api/account/sessions")).body as AccountSessionsResponse).trustedDevices).toHaveLength(1);
  });

  it("is forgotten by a password change", async () => {
    const { email, client } = await trustedBrowser();
    expect((await client.post("/api/account/password", { currentPassword: strongPassword, newPassword: "Battery-Staple-7" })).status).toBe(200);
    await client.post("/api/logout", {});
    await passwordStep(client, email, "Battery-Staple-7");
  });

  it("is forgotten by signing out everywhere", async () => {
    const { email, client } = await trustedBrowser();
    await client.post("/api/account/sign-out-everywhere", {});
    expect(await isSignedIn(client)).toBe(false);
    await passwordStep(client, email);
  });

  it("is forgotten by a password reset", async () => {
    const { email, client } = await trustedBrowser();
    await stack.client().post("/api/password/forgot", { email });
    const reset = await stack.client().post("/api/password/reset", { email, code: await stack.latestCode(email), password: "Battery-Staple-7" });
    expect(reset.status, reset.text).toBe(200);
    await client.post("/api/logout", {});
    await passwordStep(client, email, "Battery-Staple-7");
  });
});

describe("trusted devices switched off (TRUSTED_DEVICES=false)", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ bffEnv: { TRUSTED_DEVICES: "false" } });
  });
  afterAll(() => stack.close());

  it("ignores the box: no cookie, and the code is asked at the next sign-in", async () => {
    const { email } = await signUpConfirmed(stack);
    const client = stack.client();
    await signInTrusting(stack, client, email);
    expect(client.cookie(cookieName)).toBeUndefined();
    expect((await client.get("/api/account")).body).toMatchObject({ trustedDevicesEnabled: false });
    await client.post("/api/logout", {});
    await passwordStep(client, email);
  });
});
