import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../../support/stack";
import { passwordStep, signedInClient, signUpConfirmed } from "./flows";

/**
 * A browser signed in as A that signs in as B: the session of A ends everywhere its cookie went
 * (OWASP Session Management Cheat Sheet, "Renew the Session ID After Any Privilege Level
 * Change"). The session-fixation tests replay the id from before any sign-in; these replay an id
 * that was already signed in.
 */

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.close());

describe("signing in as another user in the same browser", () => {
  it("ends A's session: a copy of A's cookie is answered as signed out once the browser is B's", async () => {
    const a = await signedInClient(stack);
    const b = await signUpConfirmed(stack);
    const copyOfA = a.client.fork();
    expect((await copyOfA.get("/api/session")).body).toMatchObject({ authenticated: true, user: { email: a.email } });

    await passwordStep(a.client, b.email, b.password);
    const done = await a.client.post("/api/signin/otp", { code: await stack.latestCode(b.email) });
    expect(done.status, done.text).toBe(200);

    expect((await a.client.get("/api/session")).body).toMatchObject({ authenticated: true, user: { email: b.email } });
    expect((await copyOfA.get("/api/session")).body).toEqual({ authenticated: false });
    expect((await copyOfA.get("/api/account/claims")).status).toBe(401);
  });
});
