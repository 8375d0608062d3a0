import { AdminGetUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../../support/stack";
import { poolId, sdkClient } from "../emulator/support";
import { errorOf, signUpConfirmed, strongPassword, uniqueEmail, wrongCode } from "./flows";

describe("sign-up: POST /api/signup, /api/signup/confirm, /api/signup/resend", () => {
  let stack: TestStack;
  let skewMs = 0;

  beforeAll(async () => {
    stack = await startTestStack({ emulator: { now: () => Date.now() + skewMs } });
  });
  afterAll(() => stack.close());

  it("creates the account with 201 {next:confirm, delivery} and emails a code", async () => {
    const email = uniqueEmail();
    const response = await stack.client().post("/api/signup", { email, password: strongPassword });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ next: "confirm", delivery: { medium: "EMAIL", destination: expect.stringMatching(/^u\*\*\*@e\*\*\*$/) } });
    expect(await stack.latestCode(email)).toMatch(/^\d{6}$/);
  });

  it("stores the SPA's language as the user's locale attribute (locale ja → locale=ja, read back with AdminGetUser)", async () => {
    const email = uniqueEmail();
    expect((await stack.client().post("/api/signup", { email, password: strongPassword, locale: "ja" })).status).toBe(201);
    const user = await sdkClient(stack.emulatorUrl).send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
    expect(user.UserAttributes?.find((attribute) => attribute.Name === "locale")?.Value).toBe("ja");
  });

  it("keeps accepting a sign-up without locale (older clients): no locale attribute is set", async () => {
    const email = uniqueEmail();
    expect((await stack.client().post("/api/signup", { email, password: strongPassword })).status).toBe(201);
    const user = await sdkClient(stack.emulatorUrl).send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
    expect(user.UserAttributes?.some((attribute) => attribute.Name === "locale")).toBe(false);
  });

  it("answers 400 bad_request to a locale the SPA does not speak, and creates no account", async () => {
    const email = uniqueEmail();
    const response = await stack.client().post("/api/signup", { email, password: strongPassword, locale: "xx" });
    expect(response.status).toBe(400);
    expect(errorOf(response).code).toBe("bad_request");
    expect(await stack.outbox(email)).toHaveLength(0);
  });

  it("normalizes the email (trimmed, lower-case) before creating the account", async () => {
    const email = uniqueEmail();
    const response = await stack.client().post("/api/signup", { email: `  ${email.toUpperCase()} `, password: strongPassword });
    expect(response.status).toBe(201);
    expect(await stack.outbox(email)).toHaveLength(1);
  });

  it("answers 409 username_exists for an email already signed up", async () => {
    const { email } = await signUpConfirmed(stack);
    const response = await stack.client().post("/api/signup", { email, password: strongPassword });
    expect(response.status).toBe(409);
    expect(errorOf(response).code).toBe("username_exists");
  });

  it("answers 400 invalid_password naming the broken rule, without Cognito's wording", async () => {
    const response = await stack.client().post("/api/signup", { email: uniqueEmail(), password: "alllowercase-1" });
    expect(response.status).toBe(400);
    expect(errorOf(response)).toEqual({ code: "invalid_password", message: "The password needs an upper-case letter." });
  });

  it("confirms with the emailed code: 200 {next:signin}, and the password then signs in", async () => {
    const email = uniqueEmail();
    const client = stack.client();
    await client.post("/api/signup", { email, password: strongPassword });
    const response = await client.post("/api/signup/confirm", { email, code: await stack.latestCode(email) });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ next: "signin" });
    expect((await client.post("/api/signin", { email, password: strongPassword })).status).toBe(200);
  });

  it("answers 400 code_mismatch to a wrong confirmation code", async () => {
    const email = uniqueEmail();
    await stack.client().post("/api/signup", { email, password: strongPassword });
    const response = await stack.client().post("/api/signup/confirm", { email, code: wrongCode(await stack.latestCode(email)) });
    expect(response.status).toBe(400);
    expect(errorOf(response).code).toBe("code_mismatch");
  });

  it("answers 400 code_mismatch for an unknown email (does not reveal that it is unknown)", async () => {
    const response = await stack.client().post("/api/signup/confirm", { email: uniqueEmail("nobody"), code: "123456" });
    expect(response.status).toBe(400);
    expect(errorOf(response).code).toBe("code_mismatch");
  });

  it("answers a code older than 24 hours like a wrong one, 400 code_mismatch (an unknown account cannot expire)", async () => {
    const email = uniqueEmail();
    await stack.client().post("/api/signup", { email, password: strongPassword });
    const code = await stack.latestCode(email);
    skewMs += 25 * 60 * 60 * 1000;
    try {
      const response = await stack.client().post("/api/signup/confirm", { email, code });
      expect(response.status).toBe(400);
      expect(errorOf(response)).toMatchObject({ code: "code_mismatch", message: expect.stringMatching(/expired/) });
    } finally {
      skewMs -= 25 * 60 * 60 * 1000;
    }
  });

  it("answers a confirmed account like an unknown one, 400 code_mismatch (the answer does not say the account exists)", async () => {
    const { email } = await signUpConfirmed(stack);
    const response = await stack.client().post("/api/signup/confirm", { email, code: await stack.latestCode(email) });
    const unknown = await stack.client().post("/api/signup/confirm", { email: uniqueEmail("nobody"), code: await stack.latestCode(email) });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(unknown.body);
  });

  it("resends the confirmation code: 200 {delivery}, and the new code confirms", async () => {
    const email = uniqueEmail();
    const client = stack.client();
    await client.post("/api/signup", { email, password: strongPassword });
    const response = await client.post("/api/signup/resend", { email });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ delivery: { medium: "EMAIL", destination: expect.stringContaining("***@") } });
    expect(await stack.outbox(email)).toHaveLength(2);
    expect((await client.post("/api/signup/confirm", { email, code: await stack.latestCode(email) })).status).toBe(200);
  });

  it("sends a new code when the same email signs up again before confirming (201 confirm), and that code confirms", async () => {
    const email = uniqueEmail();
    const client = stack.client();
    expect((await client.post("/api/signup", { email, password: strongPassword })).status).toBe(201);
    const again = await client.post("/api/signup", { email, password: strongPassword });
    expect(again.status).toBe(201);
    expect(again.body).toEqual({ next: "confirm", delivery: { medium: "EMAIL", destination: expect.stringContaining("***@") } });
    expect(await stack.outbox(email)).toHaveLength(2);
    expect((await client.post("/api/signup/confirm", { email, code: await stack.latestCode(email) })).status).toBe(200);
    expect((await client.post("/api/signin", { email, password: strongPassword })).status).toBe(200);
  });

  it("answers a resend for a confirmed account like one for an unknown email, and sends nothing", async () => {
    const { email } = await signUpConfirmed(stack);
    const sentBefore = (await stack.outbox(email)).length;
    const confirmed = await stack.client().post("/api/signup/resend", { email });
    const unknown = await stack.client().post("/api/signup/resend", { email: `${email.split("@")[0]}x@example.com` });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toEqual(unknown.body);
    expect(await stack.outbox(email)).toHaveLength(sentBefore);
  });

  it("answers a resend for an unknown email like any other (no account enumeration)", async () => {
    const response = await stack.client().post("/api/signup/resend", { email: uniqueEmail("nobody") });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ delivery: { medium: "EMAIL", destination: expect.stringContaining("***@") } });
  });
});
