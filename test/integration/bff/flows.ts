import { createHash } from "node:crypto";
import { expect } from "vitest";
import type { AuthenticatedSession, StoredSession } from "../../../bff/session/session-records";
import { openSession } from "../../../bff/session/token-sealing";
import type { HttpClient, HttpResponse } from "../../support/http-client";
import type { TestStack } from "../../support/stack";

/** Shared steps of the BFF integration tests (not a test file). */

let counter = 0;

export function uniqueEmail(label = "user"): string {
  counter += 1;
  return `${label}-${process.pid}-${Date.now().toString(36)}-${counter}@example.com`;
}

/** Meets Cognito's default policy: upper, lower, number, symbol, 8+. */
export const strongPassword = "Correct-Horse-9";

/** A JWT anywhere in a text (three base64url parts, the first a JSON header). */
export const jwtPattern = /eyJ[\w-]+\.[\w-]+\.[\w-]+/;

export async function signUpConfirmed(stack: TestStack, email = uniqueEmail(), password = strongPassword): Promise<{ email: string; password: string }> {
  const client = stack.client();
  const signUp = await client.post("/api/signup", { email, password });
  expect(signUp.status).toBe(201);
  const confirm = await client.post("/api/signup/confirm", { email, code: await stack.latestCode(email) });
  expect(confirm.status).toBe(200);
  return { email, password };
}

/** Password step done, a code sent: the client holds a pending sign-in. */
export async function passwordStep(client: HttpClient, email: string, password = strongPassword): Promise<HttpResponse> {
  const response = await client.post("/api/signin", { email, password });
  expect(response.status, response.text).toBe(200);
  expect(response.body).toMatchObject({ next: "otp" });
  return response;
}

/** A client signed in with password + emailed code. */
export async function signedInClient(stack: TestStack): Promise<{ client: HttpClient; email: string; password: string }> {
  const { email, password } = await signUpConfirmed(stack);
  const client = stack.client();
  await passwordStep(client, email, password);
  const done = await client.post("/api/signin/otp", { code: await stack.latestCode(email) });
  expect(done.status, done.text).toBe(200);
  return { client, email, password };
}

/** A code that is not the one sent (the sent one is random; flipping a digit cannot match it). */
export function wrongCode(code: string): string {
  return code.replace(/^./, (digit) => String((Number(digit) + 1) % 10));
}

/** The contract's error body of a response. */
export function errorOf(response: HttpResponse): { code: string; message: string; attemptsLeft?: number; fields?: Record<string, string> } {
  return (response.body as { error: { code: string; message: string } }).error;
}

/** The `tobira` cookie's payload (cookie-session: base64 JSON). */
export function sessionCookiePayload(client: HttpClient): Record<string, unknown> | undefined {
  const value = client.cookie("tobira");
  return value === undefined ? undefined : (JSON.parse(Buffer.from(value, "base64").toString("utf8")) as Record<string, unknown>);
}

/**
 * The server-side record behind a client's session cookie (the store keys it by the id's SHA-256).
 * A signed-in session's tokens are opened with the cookie's id (as the BFF does) and given beside
 * the stored fields, so a test that writes the record back keeps it readable.
 */
export async function storedSession<T = AuthenticatedSession>(stack: TestStack, client: HttpClient, kind: "session" | "signin" = "session"): Promise<T | undefined> {
  const sid = sessionCookiePayload(client)?.sid;
  if (typeof sid !== "string") return undefined;
  const record = await stack.store.get<StoredSession>(kind, createHash("sha256").update(sid).digest("base64url"));
  if (kind === "signin" || record === undefined) return record as T | undefined;
  const opened = openSession(sid, record);
  return (opened === undefined ? record : { ...record, ...opened }) as T;
}
