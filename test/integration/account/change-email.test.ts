import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../../support/stack";
import { errorOf, passwordStep, signUpConfirmed, strongPassword, uniqueEmail, wrongCode } from "../bff/flows";
import { ageSignIn, chromeOnMac, mailsTo, signInBrowser } from "./account-flows";

describe("POST /api/account/email, /email/verify, /email/resend: change the email address", () => {
  let stack: TestStack;
  beforeAll(async () => {
    // Security mails on: these tests read them from the outbox.
    stack = await startTestStack({ bffEnv: { SECURITY_MAILS: "true" } });
  });
  afterAll(() => stack.close());

  async function signedIn() {
    const { email } = await signUpConfirmed(stack);
    return { email, client: await signInBrowser(stack, email, chromeOnMac) };
  }

  it("sends a code to the new address and keeps the old one signing in until it is verified", async () => {
    const { email, client } = await signedIn();
    const next = uniqueEmail("next");
    const response = await client.post("/api/account/email", { email: next });
    expect(response.status, response.text).toBe(202);
    expect(response.body).toMatchObject({ next: "verify", delivery: { medium: "EMAIL" } });
    expect((await client.get("/api/account")).body).toMatchObject({ email, pendingEmail: next });
    expect((await stack.client().post("/api/signin", { email: next, password: strongPassword })).status).toBe(401);
    await passwordStep(stack.client(), email);
  });

  it("after the code: the new address signs in, the old one no longer does, the old address gets a notice", async () => {
    const { email, client } = await signedIn();
    const next = uniqueEmail("moved");
    await client.post("/api/account/email", { email: next });
    const verified = await client.post("/api/account/email/verify", { code: await stack.latestCode(next) });
    expect(verified.status, verified.text).toBe(200);
    expect(verified.body).toEqual({ email: next });

    expect((await client.get("/api/session")).body).toMatchObject({ user: { email: next } });
    expect((await client.get("/api/account")).body).toMatchObject({ email: next, pendingEmail: null });
    await passwordStep(stack.client(), next);
    expect((await stack.client().post("/api/signin", { email, password: strongPassword })).status).toBe(401);
    const [notice] = await mailsTo(stack, email, /email address of your .* account was changed/);
    expect(notice?.text).toMatch(/changed to .\*\*\*@e\*\*\*/);
    expect(notice?.text).not.toContain(next);
  });

  it("sends another code with /email/resend", async () => {
    const { client } = await signedIn();
    const next = uniqueEmail("resend");
    await client.post("/api/account/email", { email: next });
    const resent = await client.post("/api/account/email/resend", {});
    expect(resent.status).toBe(202);
    expect((await stack.outbox(next)).length).toBe(2);
    expect((await client.post("/api/account/email/verify", { code: await stack.latestCode(next) })).status).toBe(200);
  });

  it("needs a recent sign-in: 403 reauthentication_required", async () => {
    const { client } = await signedIn();
    await ageSignIn(stack, client, stack.config.account.reauthWindowSeconds + 60);
    const response = await client.post("/api/account/email", { email: uniqueEmail("late") });
    expect(response.status).toBe(403);
    expect(errorOf(response).code).toBe("reauthentication_required");
  });

  it("refuses a wrong code with 400 code_mismatch and keeps the old address", async () => {
    const { email, client } = await signedIn();
    const next = uniqueEmail("wrong");
    await client.post("/api/account/email", { email: next });
    const response = await client.post("/api/account/email/verify", { code: wrongCode(await stack.latestCode(next)) });
    expect(response.status).toBe(400);
    expect(errorOf(response).code).toBe("code_mismatch");
    expect((await client.get("/api/account")).body).toMatchObject({ email, pendingEmail: next });
  });

  it("refuses a code when no change is waiting: 400 bad_request", async () => {
    const { client } = await signedIn();
    const response = await client.post("/api/account/email/verify", { code: "123456" });
    expect(response.status).toBe(400);
    expect(errorOf(response).code).toBe("bad_request");
    expect((await client.post("/api/account/email/resend", {})).status).toBe(400);
  });

  it("refuses the current address, a malformed one and another account's address", async () => {
    const { email, client } = await signedIn();
    const same = await client.post("/api/account/email", { email: email.toUpperCase() });
    expect(errorOf(same)).toMatchObject({ code: "bad_request", fields: { email: expect.any(String) } });
    const malformed = await client.post("/api/account/email", { email: "not-an-address" });
    expect(errorOf(malformed)).toMatchObject({ code: "bad_request", fields: { email: expect.any(String) } });
    const { email: taken } = await signUpConfirmed(stack);
    const conflict = await client.post("/api/account/email", { email: taken });
    expect(conflict.status).toBe(409);
    expect(errorOf(conflict).code).toBe("username_exists");
  });

  it("limits wrong codes per account: the sixth in 15 minutes is 429 rate_limited", async () => {
    const { client } = await signedIn();
    const next = uniqueEmail("guess");
    await client.post("/api/account/email", { email: next });
    const wrong = wrongCode(await stack.latestCode(next));
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect(errorOf(await client.post("/api/account/email/verify", { code: wrong })).code).toBe("code_mismatch");
    }
    const limited = await client.post("/api/account/email/verify", { code: wrong });
    expect(limited.status).toBe(429);
    expect(errorOf(limited).code).toBe("rate_limited");
  });

  it("limits codes sent per account: the sixth in an hour is 429 rate_limited", async () => {
    const { client } = await signedIn();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await client.post("/api/account/email", { email: uniqueEmail(`send-${attempt}`) })).status).toBe(202);
    }
    const limited = await client.post("/api/account/email", { email: uniqueEmail("send-6") });
    expect(limited.status).toBe(429);
    expect(errorOf(limited).code).toBe("rate_limited");
  });

  it("refuses without a session: 401 unauthenticated", async () => {
    expect(errorOf(await stack.client().post("/api/account/email", { email: uniqueEmail() })).code).toBe("unauthenticated");
    expect(errorOf(await stack.client().post("/api/account/email/verify", { code: "123456" })).code).toBe("unauthenticated");
  });
});
