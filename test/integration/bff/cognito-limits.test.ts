import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../../support/stack";
import { errorOf, signUpConfirmed, strongPassword, uniqueEmail } from "./flows";

/**
 * What the product does where Cognito is strict (docs/cognito-behaviour.md, "Quotas" and
 * "Settings"): its per-user limits and daily mail limit answer clearly and leave no dead end, and
 * both of Cognito's answers to a resend for a confirmed account look the same from outside.
 */

const HOUR_MS = 3600_000;

function skewedClock() {
  let skewMs = 0;
  return { now: () => Date.now() + skewMs, advance: (ms: number) => void (skewMs += ms) };
}

describe("Cognito's per-user limit on confirmation codes", () => {
  const clock = skewedClock();
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ emulator: { now: clock.now } });
  });
  afterAll(() => stack.close());

  it("answers the sixth resend in an hour 429 limit_exceeded, sends nothing more, and resends again an hour later", async () => {
    const email = uniqueEmail();
    const client = stack.client();
    expect((await client.post("/api/signup", { email, password: strongPassword })).status).toBe(201);
    for (let resend = 1; resend <= 5; resend += 1) expect((await client.post("/api/signup/resend", { email })).status).toBe(200);

    const limited = await client.post("/api/signup/resend", { email });
    expect(limited.status).toBe(429);
    expect(errorOf(limited)).toMatchObject({ code: "limit_exceeded", message: expect.stringMatching(/too many codes/i) });
    expect(await stack.outbox(email)).toHaveLength(6);

    clock.advance(HOUR_MS + 1000);
    expect((await client.post("/api/signup/resend", { email })).status).toBe(200);
    expect((await client.post("/api/signup/confirm", { email, code: await stack.latestCode(email) })).status).toBe(200);
  });
});

describe("SignUp limited after it created the user (Cognito's default sender, 50 mails a day)", () => {
  const clock = skewedClock();
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({
      emulator: { now: clock.now, poolSettings: { emailSendingAccount: "COGNITO_DEFAULT" }, quotas: { defaultSenderEmailsPerDay: 1 } },
    });
  });
  afterAll(() => stack.close());

  it("answers 429 limit_exceeded saying the account exists, and signing up again a day later sends the code that confirms it", async () => {
    expect((await stack.client().post("/api/signup", { email: uniqueEmail("first"), password: strongPassword })).status).toBe(201);

    const email = uniqueEmail();
    const client = stack.client();
    const limited = await client.post("/api/signup", { email, password: strongPassword });
    expect(limited.status).toBe(429);
    expect(errorOf(limited)).toMatchObject({ code: "limit_exceeded", message: expect.stringMatching(/account is created/i) });
    expect(await stack.outbox(email)).toEqual([]);

    // Still limited: the retry meets the limit again instead of username_exists.
    const stillLimited = await client.post("/api/signup", { email, password: strongPassword });
    expect(stillLimited.status).toBe(429);
    expect(errorOf(stillLimited).code).toBe("limit_exceeded");

    clock.advance(24 * HOUR_MS + 1000);
    const retried = await client.post("/api/signup", { email, password: strongPassword });
    expect(retried.status).toBe(201);
    expect(retried.body).toMatchObject({ next: "confirm" });
    const confirmed = await client.post("/api/signup/confirm", { email, code: await stack.latestCode(email) });
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.body).toEqual({ next: "signin" });
  });
});

describe("a resend for a confirmed account where Cognito sends a code instead of refusing", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ emulator: { poolSettings: { resendToConfirmedUser: "send" } } });
  });
  afterAll(() => stack.close());

  it("answers the resend like one for an unknown email, as under the refusing pool", async () => {
    const { email } = await signUpConfirmed(stack);
    const confirmed = await stack.client().post("/api/signup/resend", { email });
    const unknown = await stack.client().post("/api/signup/resend", { email: `${email.split("@")[0]}x@example.com` });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toEqual(unknown.body);
  });

  it("still answers a second sign-up of a confirmed account 409 username_exists (no code is sent)", async () => {
    const { email } = await signUpConfirmed(stack);
    const sentBefore = (await stack.outbox(email)).length;
    const again = await stack.client().post("/api/signup", { email, password: strongPassword });
    expect(again.status).toBe(409);
    expect(errorOf(again).code).toBe("username_exists");
    expect(await stack.outbox(email)).toHaveLength(sentBefore);
  });
});
