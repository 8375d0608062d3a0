import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorOf, expectServiceUnavailable, passwordStep, signIn, signUpConfirmed, sleep, strongPassword, uniqueEmail } from "./support/flows";
import { startReliabilityStack, testDeadlines, timed, type ReliabilityStack } from "./support/reliability-stack";

/**
 * Cognito stopped, hung and slowed behind the fault proxy (docs/architecture.md, "Deadlines"):
 * every /api call that needs Cognito answers 503 service_unavailable with Retry-After within
 * its deadline, session reads do not need Cognito at all, an abandoned call that sends mail is
 * never sent again, and sign-in works as soon as Cognito is back.
 */

const cognitoDeadlineMs = Number(testDeadlines.COGNITO_TIMEOUT_MS);
/**
 * Time for the event loop, the store and the test's own HTTP round trip on a busy machine; the
 * bound stays far below the API deadline (10 s), so it is Cognito's own deadline that answers.
 */
const slackMs = 3_000;

describe("Cognito outages", () => {
  let stack: ReliabilityStack;

  beforeAll(async () => {
    // The API deadline stays at its default (10 s): Cognito's own deadline must answer long before it.
    stack = await startReliabilityStack({ shortDeadlines: true });
  });
  afterAll(() => stack.close());

  it("answers every Cognito call 503 with Retry-After within the deadline while Cognito hangs, and signs in once it is back", async () => {
    const email = await signUpConfirmed(stack);
    await stack.cognito.hang();
    try {
      const calls = {
        signIn: () => stack.client().post("/api/signin", { email, password: strongPassword }),
        signUp: () => stack.client().post("/api/signup", { email: uniqueEmail(), password: strongPassword }),
        confirm: () => stack.client().post("/api/signup/confirm", { email, code: "123456" }),
        resend: () => stack.client().post("/api/signup/resend", { email }),
        reset: () => stack.client().post("/api/password/reset", { email, code: "123456", password: "New-Passw0rd!" }),
      };
      const results = Object.fromEntries(await Promise.all(Object.entries(calls).map(async ([name, call]) => [name, await timed(call)] as const)));
      // Each ends at Cognito's own deadline, long before the API's (10 s).
      for (const { value, ms } of Object.values(results)) {
        expectServiceUnavailable(value);
        expect(ms).toBeLessThan(cognitoDeadlineMs + slackMs);
      }
    } finally {
      await stack.cognito.pass();
    }
    await signIn(stack, stack.client(), email);
  });

  it("answers 503 at once while Cognito refuses connections (stopped)", async () => {
    await stack.cognito.stop();
    try {
      const { value, ms } = await timed(() => stack.client().post("/api/signin", { email: uniqueEmail(), password: strongPassword }));
      expectServiceUnavailable(value);
      expect(ms).toBeLessThan(cognitoDeadlineMs + slackMs);
    } finally {
      await stack.cognito.pass();
    }
  });

  it("answers GET /api/session for a signed-in user while Cognito hangs", async () => {
    const email = await signUpConfirmed(stack);
    const client = stack.client();
    await signIn(stack, client, email);
    await stack.cognito.hang();
    try {
      const { value, ms } = await timed(() => client.get("/api/session"));
      expect(value.status).toBe(200);
      expect(value.body).toMatchObject({ authenticated: true, user: { email } });
      // It never waited for Cognito's deadline.
      expect(ms).toBeLessThan(cognitoDeadlineMs);
    } finally {
      await stack.cognito.pass();
    }
  });

  it("sends no stray code: a resend abandoned at the deadline is not sent again when Cognito comes back", async () => {
    const email = await signUpConfirmed(stack);
    const client = stack.client();
    await passwordStep(client, email);
    const before = (await stack.outbox(email)).length;

    await stack.cognito.hang();
    const resend = await client.post("/api/signin/otp/send", {});
    expectServiceUnavailable(resend);
    // Cognito answers again at once: a retry of the abandoned call would get through now.
    await stack.cognito.pass();
    await sleep(1_000);
    expect((await stack.outbox(email)).length).toBe(before);

    // The sign-in is still alive: the code sent before the outage signs in.
    const done = await client.post("/api/signin/otp", { code: await stack.latestCode(email) });
    expect(done.status, done.text).toBe(200);
  });

  it("signs in through a slowed Cognito within its deadline", async () => {
    const email = await signUpConfirmed(stack);
    await stack.cognito.slow(100);
    try {
      await signIn(stack, stack.client(), email);
    } finally {
      await stack.cognito.pass();
    }
  });

  it("answers forgot-password 503 once Cognito has been found unavailable, never a delivery that cannot come", async () => {
    await stack.cognito.stop();
    try {
      const first = await stack.client().post("/api/password/forgot", { email: uniqueEmail() });
      expectServiceUnavailable(first);
      expect(errorOf(first).code).toBe("service_unavailable");
    } finally {
      await stack.cognito.pass();
    }
  });
});

describe("the API deadline", () => {
  let stack: ReliabilityStack;
  const apiDeadlineMs = 3_500;

  beforeAll(async () => {
    stack = await startReliabilityStack({ env: { COGNITO_TIMEOUT_MS: "3000", API_TIMEOUT_MS: String(apiDeadlineMs) } });
  });
  afterAll(() => stack.close());

  it("ends a call made of several slow Cognito calls at the API deadline with 503", async () => {
    const email = await signUpConfirmed(stack);
    // Each Cognito call stays under its own deadline; the sign-in's several in a row do not fit in the API's.
    await stack.cognito.slow(600);
    try {
      const { value, ms } = await timed(() => stack.client().post("/api/signin", { email, password: strongPassword }));
      expectServiceUnavailable(value);
      expect(ms).toBeGreaterThanOrEqual(apiDeadlineMs - 50);
      expect(ms).toBeLessThan(apiDeadlineMs + slackMs);
    } finally {
      await stack.cognito.pass();
    }
  });
});
