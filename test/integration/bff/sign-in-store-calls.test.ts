import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../../support/stack";
import { strongPassword, uniqueEmail } from "./flows";

/**
 * What a full sign-in (password step, then the code) costs in DynamoDB round-trips, counted by the
 * store's onCall hook as `npm run bench` counts them (README, "Performance of the BFF"): each
 * tier of the per-account throttle no longer costs a write of its own, and no step reads again a
 * record it has just read or written. A new call on this path fails here first.
 */

describe("store round-trips of a full sign-in", () => {
  let stack: TestStack;
  const calls: string[] = [];

  beforeAll(async () => {
    stack = await startTestStack({ onStoreCall: (operation) => calls.push(operation) });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("is at most 7 calls for the password step and 11 for the code step (46 in all before the throttle's tiers shared a record, 25 before the session's and the history's writes and reads were batched)", async () => {
    const email = uniqueEmail("store-calls");
    const setup = stack.client();
    expect((await setup.post("/api/signup", { email, password: strongPassword })).status).toBe(201);
    expect((await setup.post("/api/signup/confirm", { email, code: await stack.latestCode(email) })).status).toBe(200);

    const browser = stack.client();
    calls.length = 0;
    const started = await browser.post("/api/signin", { email, password: strongPassword });
    expect(started.status, started.text).toBe(200);
    const passwordStep = [...calls];
    const code = await stack.latestCode(email);
    calls.length = 0;
    const done = await browser.post("/api/signin/otp", { code });
    expect(done.status, done.text).toBe(200);
    const codeStep = [...calls];

    expect(passwordStep.length, passwordStep.join(", ")).toBeLessThanOrEqual(7);
    expect(codeStep.length, codeStep.join(", ")).toBeLessThanOrEqual(11);
  });
});
