import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SignInStatusResponse } from "../../../common/api-contract";
import { startTestStack, type TestStack } from "../../support/stack";
import { errorOf, passwordStep, signUpConfirmed } from "./flows";

/**
 * The pending sign-in seen from the browser: GET /api/signin says whether one is waiting and
 * where, DELETE /api/signin ends it ("Sign in with a different account", a fresh sign-in page),
 * and the cool-down between codes (OTP_RESEND_COOLDOWN_SECONDS).
 */
describe("GET and DELETE /api/signin", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.close());

  it("answers pending:false to a browser that started no sign-in", async () => {
    const status = await stack.client().get<SignInStatusResponse>("/api/signin");
    expect(status.status).toBe(200);
    expect(status.body).toEqual({ pending: false });
  });

  it("answers the code step, where the code went and the resends left, after the password", async () => {
    const { email } = await signUpConfirmed(stack);
    const client = stack.client();
    await passwordStep(client, email);
    const status = await client.get<SignInStatusResponse>("/api/signin");
    expect(status.body).toMatchObject({ pending: true, next: "otp", methods: ["otp"], delivery: { medium: "EMAIL" }, resendsLeft: 3 });
  });

  it("ends the pending sign-in on DELETE: its code no longer signs in, and the browser started none", async () => {
    const { email } = await signUpConfirmed(stack);
    const client = stack.client();
    await passwordStep(client, email);
    const code = await stack.latestCode(email);

    const cancelled = await client.delete("/api/signin", {});
    expect(cancelled.status).toBe(204);
    expect((await client.get<SignInStatusResponse>("/api/signin")).body).toEqual({ pending: false });
    const late = await client.post("/api/signin/otp", { code });
    expect(late.status).toBe(401);
    expect(errorOf(late).code).toBe("session_expired");
  });

  it("answers 204 to DELETE when nothing is pending, and leaves a signed-in session alone", async () => {
    const { email } = await signUpConfirmed(stack);
    const client = stack.client();
    await passwordStep(client, email);
    await client.post("/api/signin/otp", { code: await stack.latestCode(email) });
    expect((await client.delete("/api/signin", {})).status).toBe(204);
    expect((await client.get("/api/session")).body).toMatchObject({ authenticated: true });
  });

  it("refuses DELETE /api/signin from another site (403 cross_site_request)", async () => {
    const response = await stack.client({ "sec-fetch-site": "cross-site" }).delete("/api/signin", {});
    expect(response.status).toBe(403);
    expect(errorOf(response).code).toBe("cross_site_request");
  });
});

describe("the cool-down between two codes of one sign-in", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ bffEnv: { OTP_RESEND_COOLDOWN_SECONDS: "30" } });
  });
  afterAll(() => stack.close());

  it("refuses a resend right after the code with 429 resend_too_soon, Retry-After and the seconds to wait, and mails nothing", async () => {
    const { email } = await signUpConfirmed(stack);
    const client = stack.client();
    const first = await passwordStep(client, email);
    expect(first.body).toMatchObject({ resendAvailableInSeconds: 30, resendsLeft: 3 });
    const mails = (await stack.outbox(email)).length;

    const burst = await Promise.all([1, 2, 3, 4].map(() => client.post("/api/signin/otp/send", {})));
    for (const response of burst) {
      expect(response.status).toBe(429);
      expect(errorOf(response).code).toBe("resend_too_soon");
      expect((response.body as { error: { retryAfterSeconds: number } }).error.retryAfterSeconds).toBeGreaterThan(0);
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    expect(await stack.outbox(email)).toHaveLength(mails);
  });
});
