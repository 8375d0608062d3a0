import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../../support/stack";
import { errorOf, uniqueEmail } from "./flows";

/**
 * Every call that guesses or sends something carries the rate limits (OWASP Authentication Cheat
 * Sheet, "Protect Against Automated Attacks"), each route on its own: removing the limit from any
 * one of them fails a test here. The two code-guessing endpoints are also limited per email, and
 * the email is counted in one spelling, so changing its case or padding it does not buy a new budget.
 */

const perIp = 3;
const perEmail = 2;

let stack: TestStack;
let ipCounter = 0;
/** A distinct client address per call (the BFF trusts X-Forwarded-For from its proxy). */
const freshIp = () => {
  ipCounter += 1;
  return `203.0.113.${ipCounter}`;
};

beforeAll(async () => {
  stack = await startTestStack({
    bffEnv: { RATE_LIMIT_PER_IP: String(perIp), RATE_LIMIT_PER_EMAIL: String(perEmail), RATE_LIMIT_WINDOW_SECONDS: "60", TRUST_PROXY: "1" },
  });
});
afterAll(() => stack.close());

/** The guarded routes; an empty body fails validation after the limiter has counted the call. */
const perIpLimitedRoutes = [
  "/api/signup",
  "/api/signup/confirm",
  "/api/signup/resend",
  "/api/signin",
  "/api/signin/otp/send",
  "/api/signin/otp",
  "/api/signin/passkey",
  "/api/password/forgot",
  "/api/password/reset",
];

describe("the per-IP limit", () => {
  it.each(perIpLimitedRoutes)("guards POST %s on its own", async (route) => {
    const client = stack.client({ "x-forwarded-for": freshIp() });
    for (let call = 0; call < perIp; call += 1) expect((await client.post(route, {})).status).not.toBe(429);
    const over = await client.post(route, {});
    expect(over.status).toBe(429);
    expect(errorOf(over).code).toBe("rate_limited");
  });
});

describe("the per-email limit on the code-guessing endpoints", () => {
  // POST /api/password/reset is throttled per account instead (bff/throttle/, reset codes; its
  // tests are in test/reliability), so that a stranger's guesses never lock the owner out.
  const guesses = {
    "/api/signup/confirm": (email: string) => ({ email, code: "123456" }),
  };

  it.each(Object.keys(guesses) as (keyof typeof guesses)[])("refuses the guess over the limit at POST %s, each from another IP", async (route) => {
    const email = uniqueEmail("guess");
    const guess = () => stack.client({ "x-forwarded-for": freshIp() }).post(route, guesses[route](email));
    for (let call = 0; call < perEmail; call += 1) expect((await guess()).status).toBe(400);
    const over = await guess();
    expect(over.status).toBe(429);
    expect(errorOf(over).code).toBe("rate_limited");
  });

  it("counts an email in any case and with surrounding spaces against one budget", async () => {
    const email = uniqueEmail("mixed-case");
    const spellings = [email, email.toUpperCase(), `  ${email.replace(/^./, (first) => first.toUpperCase())} `];
    const statuses: number[] = [];
    for (const spelling of spellings) {
      statuses.push((await stack.client({ "x-forwarded-for": freshIp() }).post("/api/signup/confirm", guesses["/api/signup/confirm"](spelling))).status);
    }
    expect(statuses).toEqual([400, 400, 429]);
  });
});
