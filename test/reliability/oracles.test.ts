import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forgotPasswordAnswerMs } from "../../bff/password/forgot-password";
import { signUpConfirmed, strongPassword, uniqueEmail } from "./support/flows";
import { startReliabilityStack, timed, type ReliabilityStack } from "./support/reliability-stack";

/**
 * Existence oracles (OWASP Authentication Cheat Sheet, "Authentication and Error Messages"; OWASP
 * Forgot Password Cheat Sheet): wherever the contract does not already say that an account exists
 * (sign-up's 409 does), an existing account and an unknown one get the same answer — the same
 * status, the same body, and for forgot-password the same time.
 */

describe("answers alike for existing and unknown accounts", () => {
  let stack: ReliabilityStack;

  beforeAll(async () => {
    // Cognito's own lockout is what the lockout case looks at, not the BFF's throttle.
    stack = await startReliabilityStack({ env: { ACCOUNT_THROTTLE_FACTOR: "100" } });
  });
  afterAll(() => stack.close());

  const withoutDestination = (body: unknown) => JSON.stringify(body).replace(/"destination":"[^"]*"/, '"destination":"…"');

  it("answers a resend for a confirmed account as for an unknown one", async () => {
    const email = await signUpConfirmed(stack);
    const confirmed = await stack.client().post("/api/signup/resend", { email });
    const unknown = await stack.client().post("/api/signup/resend", { email: uniqueEmail("nobody") });
    expect(confirmed.status).toBe(unknown.status);
    expect(withoutDestination(confirmed.body)).toBe(withoutDestination(unknown.body));
  });

  it("answers a confirmation code for an unknown, a confirmed and an unconfirmed account alike", async () => {
    const confirmed = await signUpConfirmed(stack);
    const unconfirmed = uniqueEmail("unconfirmed");
    expect((await stack.client().post("/api/signup", { email: unconfirmed, password: strongPassword })).status).toBe(201);
    const answers = await Promise.all(
      [confirmed, unconfirmed, uniqueEmail("nobody")].map((email) => stack.client().post("/api/signup/confirm", { email, code: "000000" })),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual(answers[0]!.body);
    }
  });

  it("answers a reset code for an unknown account, an account that asked for no code and a wrong code alike", async () => {
    const neverAsked = await signUpConfirmed(stack);
    const asked = await signUpConfirmed(stack);
    expect((await stack.client().post("/api/password/forgot", { email: asked })).status).toBe(200);
    const answers = await Promise.all(
      [neverAsked, asked, uniqueEmail("nobody")].map((email) => stack.client().post("/api/password/reset", { email, code: "000000", password: "Another-Horse-7" })),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual(answers[0]!.body);
    }
  });

  it("answers wrong passwords alike past Cognito's lockout (an unknown account is never locked)", async () => {
    const email = await signUpConfirmed(stack);
    const tries = async (target: string) => {
      const client = stack.client();
      const seen: string[] = [];
      for (let attempt = 0; attempt < 7; attempt += 1) {
        const answer = await client.post("/api/signin", { email: target, password: "Wrong-Horse-1" });
        seen.push(`${answer.status} ${answer.text}`);
      }
      return seen;
    };
    const [existing, unknown] = await Promise.all([tries(email), tries(uniqueEmail("nobody"))]);
    expect(existing).toEqual(unknown);
  });

  it(`answers forgot-password for an existing and an unknown account alike, ${forgotPasswordAnswerMs} ms after the request`, async () => {
    const email = await signUpConfirmed(stack);
    const before = (await stack.outbox(email)).length;
    const samples = { existing: [] as number[], unknown: [] as number[] };
    for (let round = 0; round < 3; round += 1) {
      const existing = await timed(() => stack.client().post("/api/password/forgot", { email }));
      const unknown = await timed(() => stack.client().post("/api/password/forgot", { email: uniqueEmail("nobody") }));
      expect(existing.value.status).toBe(200);
      expect(withoutDestination(existing.value.body)).toBe(withoutDestination(unknown.value.body));
      samples.existing.push(existing.ms);
      samples.unknown.push(unknown.ms);
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[1]!;
    for (const ms of [...samples.existing, ...samples.unknown]) expect(ms).toBeGreaterThanOrEqual(forgotPasswordAnswerMs - 5);
    expect(Math.abs(median(samples.existing) - median(samples.unknown))).toBeLessThan(150);
    // The codes went out all the same.
    expect((await stack.outbox(email)).length).toBeGreaterThan(before);
  });
});
