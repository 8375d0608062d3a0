import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../../support/stack";
import { errorOf, passwordStep, signedInClient, signUpConfirmed, uniqueEmail, wrongCode } from "./flows";

describe("password reset: POST /api/password/forgot, /api/password/reset", () => {
  let stack: TestStack;
  let skewMs = 0;

  beforeAll(async () => {
    stack = await startTestStack({ emulator: { now: () => Date.now() + skewMs } });
  });
  afterAll(() => stack.close());

  it("sends a reset code: 200 {delivery}", async () => {
    const { email } = await signUpConfirmed(stack);
    const response = await stack.client().post("/api/password/forgot", { email });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ delivery: { medium: "EMAIL", destination: expect.stringContaining("***@") } });
    expect(await stack.outbox(email)).toHaveLength(2);
  });

  it("answers an unknown email like a known one (no account enumeration)", async () => {
    const response = await stack.client().post("/api/password/forgot", { email: uniqueEmail("nobody") });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ delivery: { medium: "EMAIL", destination: expect.stringContaining("***@") } });
  });

  it("resets with the code: 200 {next:signin}; the new password signs in, the old one no longer", async () => {
    const { email, password } = await signUpConfirmed(stack);
    const client = stack.client();
    await client.post("/api/password/forgot", { email });
    const newPassword = "New-Passw0rd!";
    const response = await client.post("/api/password/reset", { email, code: await stack.latestCode(email), password: newPassword });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ next: "signin" });
    expect(errorOf(await stack.client().post("/api/signin", { email, password })).code).toBe("invalid_credentials");
    await passwordStep(stack.client(), email, newPassword);
  });

  it("signs the user out of every browser after a reset (OWASP Forgot Password), and nobody else", async () => {
    const victim = await signedInClient(stack);
    const bystander = await signedInClient(stack);
    await stack.client().post("/api/password/forgot", { email: victim.email });
    // Typed in another case than at sign-up: still the same account.
    const response = await stack
      .client()
      .post("/api/password/reset", { email: victim.email.toUpperCase(), code: await stack.latestCode(victim.email), password: "New-Passw0rd!" });
    expect(response.status, response.text).toBe(200);
    expect(response.body).toEqual({ next: "signin" });
    expect((await victim.client.get("/api/session")).body).toEqual({ authenticated: false });
    expect((await bystander.client.get("/api/session")).body).toMatchObject({ authenticated: true, user: { email: bystander.email } });
  });

  it("answers 400 code_mismatch to a wrong reset code", async () => {
    const { email } = await signUpConfirmed(stack);
    await stack.client().post("/api/password/forgot", { email });
    const response = await stack.client().post("/api/password/reset", { email, code: wrongCode(await stack.latestCode(email)), password: "New-Passw0rd!" });
    expect(response.status).toBe(400);
    expect(errorOf(response).code).toBe("code_mismatch");
  });

  it("answers a reset code older than an hour like a wrong one, 400 code_mismatch", async () => {
    const { email } = await signUpConfirmed(stack);
    await stack.client().post("/api/password/forgot", { email });
    const code = await stack.latestCode(email);
    skewMs += 2 * 60 * 60 * 1000;
    try {
      const response = await stack.client().post("/api/password/reset", { email, code, password: "New-Passw0rd!" });
      expect(response.status).toBe(400);
      expect(errorOf(response).code).toBe("code_mismatch");
    } finally {
      skewMs -= 2 * 60 * 60 * 1000;
    }
  });

  it("answers 400 invalid_password to a new password that breaks the policy", async () => {
    const { email } = await signUpConfirmed(stack);
    await stack.client().post("/api/password/forgot", { email });
    const response = await stack.client().post("/api/password/reset", { email, code: await stack.latestCode(email), password: "short" });
    expect(response.status).toBe(400);
    expect(errorOf(response).code).toBe("invalid_password");
  });
});
