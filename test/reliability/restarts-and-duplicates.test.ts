import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PendingSignIn } from "../../bff/session/session-records";
import type { HttpClient } from "../support/http-client";
import { errorOf, passwordStep, signUpConfirmed, wrongCode } from "./support/flows";
import { startReliabilityStack, type ReliabilityStack } from "./support/reliability-stack";

/**
 * What a restart, a second instance and a double click do to a sign-in in progress: nothing.
 * The pending sign-in lives in the table, so any instance finishes it; a code sent twice at once
 * is judged once (bff/throttle/code-answer-guard.ts), so it neither counts twice nor ends the
 * sign-in.
 */

describe("restarts, two instances and duplicate submissions", () => {
  let stack: ReliabilityStack;

  beforeAll(async () => {
    stack = await startReliabilityStack({ env: { ACCOUNT_THROTTLE_FACTOR: "100" } });
  });
  afterAll(() => stack.close());

  /** `to` with the cookies of `from`: the same browser, sent to another instance by the load balancer. */
  function withCookiesOf(from: HttpClient, to: HttpClient): HttpClient {
    for (const name of from.cookieNames()) to.setCookie(name, from.cookie(name)!);
    return to;
  }

  /** The pending sign-in behind a client's cookie, read from the table. */
  async function pendingOf(client: HttpClient): Promise<PendingSignIn | undefined> {
    const value = client.cookie("tobira");
    const sid = value === undefined ? undefined : (JSON.parse(Buffer.from(value, "base64").toString("utf8")) as { sid?: string }).sid;
    if (sid === undefined) return undefined;
    return stack.table.get<PendingSignIn>("signin", createHash("sha256").update(sid).digest("base64url"));
  }

  it("finishes a sign-in whose BFF restarted between the password and the code", async () => {
    const email = await signUpConfirmed(stack);
    const client = stack.client();
    await passwordStep(client, email);
    await stack.restartBff();
    const done = await client.post("/api/signin/otp", { code: await stack.latestCode(email) });
    expect(done.status, done.text).toBe(200);
    expect((await client.get("/api/session")).body).toMatchObject({ authenticated: true, user: { email } });
  });

  it("finishes on a second instance a sign-in the first began, and both know the session", async () => {
    const email = await signUpConfirmed(stack);
    const second = await stack.startInstance();
    const onFirst = stack.client();
    await passwordStep(onFirst, email);
    const onSecond = withCookiesOf(onFirst, stack.client({}, second));
    const done = await onSecond.post("/api/signin/otp", { code: await stack.latestCode(email) });
    expect(done.status, done.text).toBe(200);
    const backOnFirst = withCookiesOf(onSecond, stack.client());
    expect((await backOnFirst.get("/api/session")).body).toMatchObject({ authenticated: true, user: { email } });
  });

  it("judges the same wrong code sent twice at once once: one wrong code counted, the sign-in alive", async () => {
    const email = await signUpConfirmed(stack);
    const client = stack.client();
    await passwordStep(client, email);
    const code = await stack.latestCode(email);
    const wrong = wrongCode(code);

    const answers = await Promise.all([client.post("/api/signin/otp", { code: wrong }), client.fork().post("/api/signin/otp", { code: wrong })]);
    for (const answer of answers) {
      expect(answer.status, answer.text).toBe(400);
      expect(errorOf(answer)).toMatchObject({ code: "code_mismatch", attemptsLeft: 2 });
    }
    expect(await pendingOf(client)).toMatchObject({ failedCodes: 1 });

    const done = await client.post("/api/signin/otp", { code });
    expect(done.status, done.text).toBe(200);
  });

  it("answers the same wrong code sent again later without counting it again", async () => {
    const email = await signUpConfirmed(stack);
    const client = stack.client();
    await passwordStep(client, email);
    const code = await stack.latestCode(email);
    const first = await client.post("/api/signin/otp", { code: wrongCode(code) });
    const again = await client.post("/api/signin/otp", { code: wrongCode(code) });
    expect(errorOf(first)).toMatchObject({ code: "code_mismatch", attemptsLeft: 2 });
    expect(errorOf(again)).toMatchObject({ code: "code_mismatch", attemptsLeft: 2 });
    expect(await pendingOf(client)).toMatchObject({ failedCodes: 1 });
    expect((await client.post("/api/signin/otp", { code })).status).toBe(200);
  });

  it("signs in once when the right code is sent twice at once, and answers both", async () => {
    const email = await signUpConfirmed(stack);
    const client = stack.client();
    await passwordStep(client, email);
    const code = await stack.latestCode(email);
    const copy = client.fork();
    const answers = await Promise.all([client.post("/api/signin/otp", { code }), copy.post("/api/signin/otp", { code })]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    const signedIn = answers[0]!.setCookies.length > 0 ? client : copy;
    expect((await signedIn.get("/api/session")).body).toMatchObject({ authenticated: true, user: { email } });
  });

  it("keeps two different wrong codes sent at once apart: each is judged, two counted", async () => {
    const email = await signUpConfirmed(stack);
    const client = stack.client();
    await passwordStep(client, email);
    const code = await stack.latestCode(email);
    const answers = await Promise.all([
      client.post("/api/signin/otp", { code: wrongCode(code) }),
      client.fork().post("/api/signin/otp", { code: wrongCode(wrongCode(code)) }),
    ]);
    expect(answers.map((answer) => errorOf(answer).code)).toEqual(["code_mismatch", "code_mismatch"]);
    expect(await pendingOf(client)).toMatchObject({ failedCodes: 2 });
    expect((await client.post("/api/signin/otp", { code })).status).toBe(200);
  });
});
