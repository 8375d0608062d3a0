import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBff } from "../../../bff/server";
import { HttpClient } from "../../support/http-client";
import { startTestStack, type TestStack } from "../../support/stack";
import { errorOf, strongPassword, uniqueEmail } from "./flows";

describe("rate limits on sign-up, sign-in, codes and reset", () => {
  let stack: TestStack;
  let ipCounter = 0;
  /** A distinct client address per call (the BFF trusts X-Forwarded-For from its proxy). */
  const freshIp = () => {
    ipCounter += 1;
    return `198.51.100.${ipCounter}`;
  };

  beforeAll(async () => {
    stack = await startTestStack({ bffEnv: { RATE_LIMIT_PER_IP: "3", RATE_LIMIT_PER_EMAIL: "2", RATE_LIMIT_WINDOW_SECONDS: "60", TRUST_PROXY: "1" } });
  });
  afterAll(() => stack.close());

  it("answers the call over the per-IP limit with 429 rate_limited and Retry-After", async () => {
    const client = stack.client({ "x-forwarded-for": freshIp() });
    const statuses: number[] = [];
    let last;
    for (let call = 0; call < 4; call += 1) {
      last = await client.post("/api/signin", { email: uniqueEmail(), password: strongPassword });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    expect(errorOf(last!)).toEqual({ code: "rate_limited", message: expect.any(String) });
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("counts one budget per IP over all guarded calls", async () => {
    const client = stack.client({ "x-forwarded-for": freshIp() });
    await client.post("/api/signup/resend", { email: uniqueEmail() });
    await client.post("/api/password/forgot", { email: uniqueEmail() });
    await client.post("/api/signin/otp/send", {});
    const fourth = await client.post("/api/signin/otp", { code: "123456" });
    expect(fourth.status).toBe(429);
  });

  it("limits sign-up calls naming the same email from different IPs (sign-in has the per-account throttle, test/reliability)", async () => {
    const email = uniqueEmail();
    const attempt = () => stack.client({ "x-forwarded-for": freshIp() }).post("/api/signup/confirm", { email, code: "123456" });
    expect((await attempt()).status).toBe(400);
    expect((await attempt()).status).toBe(400);
    const third = await attempt();
    expect(third.status).toBe(429);
    expect(errorOf(third).code).toBe("rate_limited");
  });

  it("counts only failures against an email: calls that succeed for anyone (forgot-password) cannot lock its owner out", async () => {
    const email = uniqueEmail();
    for (let call = 0; call < 3; call += 1) {
      expect((await stack.client({ "x-forwarded-for": freshIp() }).post("/api/password/forgot", { email })).status).toBe(200);
    }
    const signIn = await stack.client({ "x-forwarded-for": freshIp() }).post("/api/signin", { email, password: "Wrong-Password-1" });
    expect(signIn.status).toBe(401);
  });

  it("gives passkey request options (fetched on every sign-in page load) a budget of their own", async () => {
    const client = stack.client({ "x-forwarded-for": freshIp() });
    for (let call = 0; call < 4; call += 1) expect((await client.post("/api/signin/passkey/options", {})).status).toBe(200);
    const signIn = await client.post("/api/signin", { email: uniqueEmail(), password: strongPassword });
    expect(signIn.status).toBe(401);
  });

  it("does not limit another email when one is limited", async () => {
    const email = uniqueEmail();
    for (let call = 0; call < 3; call += 1) await stack.client({ "x-forwarded-for": freshIp() }).post("/api/password/forgot", { email });
    const other = await stack.client({ "x-forwarded-for": freshIp() }).post("/api/password/forgot", { email: uniqueEmail() });
    expect(other.status).toBe(200);
  });

  it("does not limit reads such as GET /api/session", async () => {
    const client = stack.client({ "x-forwarded-for": freshIp() });
    const statuses = [];
    for (let call = 0; call < 5; call += 1) statuses.push((await client.get("/api/session")).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
  });

  it("shares the counters between BFF instances on the same store", async () => {
    const second = await startBff({ config: stack.config, store: stack.store, port: 0, host: "127.0.0.1" });
    try {
      const ip = freshIp();
      const onFirst = stack.client({ "x-forwarded-for": ip });
      const onSecond = new HttpClient(second.url, { "x-forwarded-for": ip });
      await onFirst.post("/api/signin", { email: uniqueEmail(), password: strongPassword });
      await onSecond.post("/api/signin", { email: uniqueEmail(), password: strongPassword });
      await onFirst.post("/api/signin", { email: uniqueEmail(), password: strongPassword });
      expect((await onSecond.post("/api/signin", { email: uniqueEmail(), password: strongPassword })).status).toBe(429);
    } finally {
      await second.close();
    }
  });
});
