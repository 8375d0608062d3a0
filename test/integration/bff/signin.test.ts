import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CognitoTokens } from "../../../bff/cognito/cognito-gateway";
import type { PendingSignIn } from "../../../bff/session/session-records";
import { loadLocalConfig } from "../../../common/local-config";
import { createCreateAuthChallengeHandler } from "../../../triggers/create-auth-challenge";
import { startTestStack, type TestStack } from "../../support/stack";
import { errorOf, jwtPattern, passwordStep, sessionCookiePayload, signUpConfirmed, storedSession, strongPassword, uniqueEmail, wrongCode } from "./flows";

describe("sign-in: password, then a one-time code (POST /api/signin, /api/signin/otp/send, /api/signin/otp)", () => {
  let stack: TestStack;
  const revokedTokens: string[] = [];
  const passwordStepTokens: CognitoTokens[] = [];

  beforeAll(async () => {
    stack = await startTestStack({
      wrapCognito: (gateway) => {
        return {
          ...gateway,
          // Every answer of Cognito's that carried tokens, whichever call it was.
          respondToCustomChallenge: async (input) => {
            const outcome = await gateway.respondToCustomChallenge(input);
            if (outcome.type === "tokens") passwordStepTokens.push(outcome.tokens);
            return outcome;
          },
          revokeToken: async (token) => {
            revokedTokens.push(token);
            return gateway.revokeToken(token);
          },
        };
      },
    });
  });
  afterAll(() => stack.close());

  it("answers next:otp with the masked email after a correct password, and sends the code", async () => {
    const { email } = await signUpConfirmed(stack);
    const response = await passwordStep(stack.client(), email);
    expect(response.body).toEqual({
      next: "otp",
      delivery: { medium: "EMAIL", destination: `${email.charAt(0)}***@e***` },
      resendAvailableInSeconds: 0,
      resendsLeft: 3,
    });
    const [message] = await stack.outbox(email);
    expect(message?.subject).toMatch(/sign-in code/i);
    expect(message?.code).toMatch(/^\d{6}$/);
  });

  it("checks the password inside CUSTOM_AUTH: the password step yields no Cognito tokens at all", async () => {
    const { email } = await signUpConfirmed(stack);
    const before = passwordStepTokens.length;
    await passwordStep(stack.client(), email);
    expect(passwordStepTokens.length).toBe(before);
  });

  it("answers 401 invalid_credentials for a wrong password", async () => {
    const { email } = await signUpConfirmed(stack);
    const response = await stack.client().post("/api/signin", { email, password: "Wrong-Password-1" });
    expect(response.status).toBe(401);
    expect(errorOf(response).code).toBe("invalid_credentials");
  });

  it("answers an unknown email exactly like a wrong password (no account enumeration)", async () => {
    const { email } = await signUpConfirmed(stack);
    const wrongPassword = await stack.client().post("/api/signin", { email, password: "Wrong-Password-1" });
    const unknownUser = await stack.client().post("/api/signin", { email: uniqueEmail("nobody"), password: "Wrong-Password-1" });
    expect(unknownUser.status).toBe(wrongPassword.status);
    expect(unknownUser.body).toEqual(wrongPassword.body);
  });

  it("answers an unconfirmed account exactly like a wrong password, whether the password is wrong or right", async () => {
    // Cognito says "not confirmed" whatever the password (docs/cognito-behaviour.md, "Password sign-in").
    const email = uniqueEmail();
    await stack.client().post("/api/signup", { email, password: strongPassword });
    const unknownUser = await stack.client().post("/api/signin", { email: uniqueEmail("nobody"), password: "Wrong-Password-1" });
    const wrongPassword = await stack.client().post("/api/signin", { email, password: "Wrong-Password-1" });
    const rightPassword = await stack.client().post("/api/signin", { email, password: strongPassword });
    for (const response of [wrongPassword, rightPassword]) {
      expect(response.status).toBe(401);
      expect(response.body).toEqual(unknownUser.body);
    }
    expect(errorOf(wrongPassword).code).toBe("invalid_credentials");
  });

  it("signs in with the emailed code: next:done to /account, amr pwd+otp+mfa, a new session id", async () => {
    const { email } = await signUpConfirmed(stack);
    const client = stack.client();
    await passwordStep(client, email);
    const pendingId = sessionCookiePayload(client)?.sid;
    const before = Math.floor(Date.now() / 1000);

    const done = await client.post("/api/signin/otp", { code: await stack.latestCode(email) });

    expect(done.status).toBe(200);
    expect(done.body).toEqual({ next: "done", redirectTo: "/account" });
    const sessionId = sessionCookiePayload(client)?.sid;
    expect(typeof sessionId).toBe("string");
    expect(sessionId).not.toBe(pendingId);
    const session = await client.get("/api/session");
    expect(session.body).toMatchObject({ authenticated: true, user: { email }, amr: ["pwd", "otp", "mfa"] });
    expect((session.body as { authTime: number }).authTime).toBeGreaterThanOrEqual(before - 1);
  });

  it("does not accept the pre-sign-in session id once the sign-in completed (session fixation)", async () => {
    const { email } = await signUpConfirmed(stack);
    const client = stack.client();
    await passwordStep(client, email);
    const attacker = client.fork(); // holds the id the browser had before signing in
    await client.post("/api/signin/otp", { code: await stack.latestCode(email) });
    expect((await attacker.get("/api/session")).body).toEqual({ authenticated: false });
  });

  it("answers a wrong code with 400 code_mismatch and attemptsLeft, inside error and at the top level", async () => {
    const { email } = await signUpConfirmed(stack);
    const client = stack.client();
    await passwordStep(client, email);
    const code = await stack.latestCode(email);

    const first = await client.post("/api/signin/otp", { code: wrongCode(code) });
    expect(first.status).toBe(400);
    expect(first.body).toMatchObject({ error: { code: "code_mismatch", attemptsLeft: 2 }, attemptsLeft: 2 });
    // A different wrong code: the same one submitted again is judged once (idempotent submission).
    const second = await client.post("/api/signin/otp", { code: wrongCode(wrongCode(code)) });
    expect(second.body).toMatchObject({ error: { code: "code_mismatch", attemptsLeft: 1 }, attemptsLeft: 1 });
  });

  it("ends the attempt with 401 challenge_failed at the third wrong code; the right code no longer works", async () => {
    const { email } = await signUpConfirmed(stack);
    const client = stack.client();
    await passwordStep(client, email);
    const code = await stack.latestCode(email);
    // Three different wrong codes: the same one submitted again is judged once (idempotent submission).
    await client.post("/api/signin/otp", { code: wrongCode(code) });
    await client.post("/api/signin/otp", { code: wrongCode(wrongCode(code)) });

    const third = await client.post("/api/signin/otp", { code: wrongCode(wrongCode(wrongCode(code))) });
    expect(third.status).toBe(401);
    expect(errorOf(third).code).toBe("challenge_failed");
    const after = await client.post("/api/signin/otp", { code });
    expect(after.status).toBe(401);
    expect(errorOf(after).code).toBe("session_expired");
  });

  it("sends a new code on /api/signin/otp/send, and that code signs in", async () => {
    const { email } = await signUpConfirmed(stack);
    const client = stack.client();
    await passwordStep(client, email);
    const firstCode = await stack.latestCode(email);

    const resend = await client.post("/api/signin/otp/send", {});
    expect(resend.status).toBe(200);
    expect(resend.body).toEqual({
      next: "otp",
      delivery: { medium: "EMAIL", destination: expect.stringContaining("***@") },
      resendAvailableInSeconds: 0,
      resendsLeft: 2,
    });
    expect(await stack.outbox(email)).toHaveLength(3); // sign-up code, first and second sign-in codes
    const secondCode = await stack.latestCode(email);
    expect(secondCode).toMatch(/^\d{6}$/);
    expect(secondCode).not.toBe(firstCode);
    const done = await client.post("/api/signin/otp", { code: secondCode });
    expect(done.body).toEqual({ next: "done", redirectTo: "/account" });
  });

  it("does not accept the previous code after a resend", async () => {
    const { email } = await signUpConfirmed(stack);
    const client = stack.client();
    await passwordStep(client, email);
    const firstCode = await stack.latestCode(email);
    await client.post("/api/signin/otp/send", {});
    const secondCode = await stack.latestCode(email);
    if (secondCode === firstCode) return; // one chance in a million: nothing to tell apart

    const old = await client.post("/api/signin/otp", { code: firstCode });
    expect(old.status).toBe(400);
    expect(errorOf(old).code).toBe("code_mismatch");
  });

  it("keeps counting wrong codes across resends: three in total end the attempt", async () => {
    const { email } = await signUpConfirmed(stack);
    const client = stack.client();
    await passwordStep(client, email);

    const first = await client.post("/api/signin/otp", { code: wrongCode(await stack.latestCode(email)) });
    expect(first.body).toMatchObject({ attemptsLeft: 2 });
    await client.post("/api/signin/otp/send", {});
    const second = await client.post("/api/signin/otp", { code: wrongCode(await stack.latestCode(email)) });
    expect(second.body).toMatchObject({ attemptsLeft: 1 });
    await client.post("/api/signin/otp/send", {});
    const third = await client.post("/api/signin/otp", { code: wrongCode(await stack.latestCode(email)) });
    expect(third.status).toBe(401);
    expect(errorOf(third).code).toBe("challenge_failed");
    expect(await storedSession<PendingSignIn>(stack, client, "signin")).toBeUndefined();
  });

  // A resend answers the waiting code round (RESEND), so a wrong code and a resend sent at the
  // same moment answer one single-use Cognito session: the sign-in service serializes them.
  it("counts a wrong code sent while a resend is under way: three in total still end the attempt", async () => {
    // OWASP Authentication Cheat Sheet: a resend must not hand back wrong-code attempts.
    const { email } = await signUpConfirmed(stack);
    const client = stack.client();
    await passwordStep(client, email);
    const attemptsLeft: number[] = [];

    for (let round = 1; round <= 3; round += 1) {
      const [wrong, resend] = await Promise.all([
        client.post("/api/signin/otp", { code: wrongCode(await stack.latestCode(email)) }),
        client.post("/api/signin/otp/send", {}),
      ]);
      if (round < 3) {
        expect(wrong.status, wrong.text).toBe(400);
        expect(resend.status, resend.text).toBe(200);
        attemptsLeft.push(errorOf(wrong).attemptsLeft!);
        // Neither write lost the other's update.
        expect(await storedSession<PendingSignIn>(stack, client, "signin")).toMatchObject({ failedCodes: round, resends: round });
      } else {
        expect(wrong.status, wrong.text).toBe(401);
        expect(errorOf(wrong).code).toBe("challenge_failed");
      }
    }

    expect(attemptsLeft).toEqual([2, 1]);
    expect(await storedSession<PendingSignIn>(stack, client, "signin")).toBeUndefined();
    const after = await client.post("/api/signin/otp", { code: await stack.latestCode(email) });
    expect(errorOf(after).code).toBe("session_expired");
  });

  it("refuses a fourth resend with 429 limit_exceeded", async () => {
    const { email } = await signUpConfirmed(stack);
    const client = stack.client();
    await passwordStep(client, email);
    for (let resend = 0; resend < 3; resend += 1) {
      expect((await client.post("/api/signin/otp/send", {})).status).toBe(200);
    }
    const refused = await client.post("/api/signin/otp/send", {});
    expect(refused.status).toBe(429);
    expect(errorOf(refused).code).toBe("limit_exceeded");
  });

  // A browser that never started a sign-in has nothing that could have expired.
  it("answers 400 no_pending_signin to a code from a browser that started no sign-in", async () => {
    const response = await stack.client().post("/api/signin/otp", { code: "123456" });
    expect(response.status).toBe(400);
    expect(errorOf(response).code).toBe("no_pending_signin");
  });

  it("answers 400 no_pending_signin to a resend from a browser that started no sign-in", async () => {
    const response = await stack.client().post("/api/signin/otp/send", {});
    expect(response.status).toBe(400);
    expect(errorOf(response).code).toBe("no_pending_signin");
  });

  it("revokes the earlier Cognito session when the same browser signs in again", async () => {
    const { email } = await signUpConfirmed(stack);
    const client = stack.client();
    await passwordStep(client, email);
    await client.post("/api/signin/otp", { code: await stack.latestCode(email) });
    const first = await storedSession(stack, client);

    await passwordStep(client, email);
    await client.post("/api/signin/otp", { code: await stack.latestCode(email) });

    expect(revokedTokens).toContain(first!.tokens.refreshToken);
    expect(await storedSession(stack, client)).toMatchObject({ email });
  });

  it("never puts a Cognito token in a response body or the cookie", async () => {
    const { email } = await signUpConfirmed(stack);
    const client = stack.client();
    const responses = [await client.post("/api/signin", { email, password: strongPassword })];
    responses.push(await client.post("/api/signin/otp", { code: wrongCode(await stack.latestCode(email)) }));
    responses.push(await client.post("/api/signin/otp", { code: await stack.latestCode(email) }));
    responses.push(await client.get("/api/session"), await client.get("/api/account/claims"));
    const stored = (await storedSession(stack, client))!;

    for (const response of responses) {
      expect(response.text).not.toMatch(jwtPattern);
      for (const token of Object.values(stored.tokens)) if (typeof token === "string") expect(response.text).not.toContain(token);
      for (const cookie of response.setCookies) expect(cookie).not.toMatch(jwtPattern);
    }
    expect(Object.keys(sessionCookiePayload(client) ?? {})).toEqual(["sid"]);
  });
});

describe("sign-in expiry", () => {
  let stack: TestStack;
  let skewMs = 0;

  beforeAll(async () => {
    stack = await startTestStack({ emulator: { now: () => Date.now() + skewMs }, bffEnv: { SIGNIN_TTL_SECONDS: "600" } });
  });
  afterAll(() => stack.close());

  it("answers 401 session_expired when Cognito's challenge session has expired, and forgets the attempt", async () => {
    const { email } = await signUpConfirmed(stack);
    const client = stack.client();
    await passwordStep(client, email);
    const code = await stack.latestCode(email);
    skewMs += (loadLocalConfig().userPool.authSessionValidityMinutes + 1) * 60_000; // past Cognito's session validity

    const response = await client.post("/api/signin/otp", { code });
    expect(response.status).toBe(401);
    expect(errorOf(response).code).toBe("session_expired");
    expect(await storedSession<PendingSignIn>(stack, client, "signin")).toBeUndefined();
  });
});

describe("pending sign-in lifetime", () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ bffEnv: { SIGNIN_TTL_SECONDS: "1" } });
  });
  afterAll(() => stack.close());

  it("forgets a pending sign-in after SIGNIN_TTL_SECONDS: the code then gets 401 session_expired", async () => {
    const { email } = await signUpConfirmed(stack);
    const client = stack.client();
    await passwordStep(client, email);
    const code = await stack.latestCode(email);
    await new Promise((resolve) => setTimeout(resolve, 2_100));

    const response = await client.post("/api/signin/otp", { code });
    expect(response.status).toBe(401);
    expect(errorOf(response).code).toBe("session_expired");
  });
});

describe("sign-in when the code cannot be sent", () => {
  let stack: TestStack;

  beforeAll(async () => {
    const local = loadLocalConfig();
    const failingDelivery = { send: async () => Promise.reject(new Error("SES: MessageRejected")) };
    stack = await startTestStack({
      emulator: { triggers: { createAuthChallenge: createCreateAuthChallengeHandler({ config: local.triggers, delivery: failingDelivery }) } },
    });
  });
  afterAll(() => stack.close());

  it("answers 502 delivery_failed with a message a person understands", async () => {
    const { email } = await signUpConfirmed(stack);
    const response = await stack.client().post("/api/signin", { email, password: strongPassword });
    expect(response.status).toBe(502);
    expect(errorOf(response)).toEqual({ code: "delivery_failed", message: expect.stringMatching(/could not send/i) });
    expect(response.text).not.toContain("SES");
  });
});
