import { expect } from "vitest";
import type { HttpClient, HttpResponse } from "../../support/http-client";
import type { ReliabilityStack } from "./reliability-stack";

/** Shared steps of the reliability tests (not a test file). */

let counter = 0;

export function uniqueEmail(label = "user"): string {
  counter += 1;
  return `${label}-${process.pid}-${Date.now().toString(36)}-${counter}@example.com`;
}

export const strongPassword = "Correct-Horse-9";

export async function signUpConfirmed(stack: ReliabilityStack, email = uniqueEmail()): Promise<string> {
  const client = stack.client();
  const signUp = await client.post("/api/signup", { email, password: strongPassword });
  expect(signUp.status, signUp.text).toBe(201);
  const confirm = await client.post("/api/signup/confirm", { email, code: await stack.latestCode(email) });
  expect(confirm.status, confirm.text).toBe(200);
  return email;
}

/** Password step done and a code sent. */
export async function passwordStep(client: HttpClient, email: string, password = strongPassword): Promise<HttpResponse> {
  const response = await client.post("/api/signin", { email, password });
  expect(response.status, response.text).toBe(200);
  expect(response.body).toMatchObject({ next: "otp" });
  return response;
}

export async function signIn(stack: ReliabilityStack, client: HttpClient, email: string): Promise<void> {
  await passwordStep(client, email);
  const done = await client.post("/api/signin/otp", { code: await stack.latestCode(email) });
  expect(done.status, done.text).toBe(200);
}

/** A code that is not the one sent. */
export function wrongCode(code: string): string {
  return code.replace(/^./, (digit) => String((Number(digit) + 1) % 10));
}

export function errorOf(response: HttpResponse): { code: string; message: string; attemptsLeft?: number } {
  return (response.body as { error: { code: string; message: string; attemptsLeft?: number } }).error;
}

/** 503 service_unavailable with a Retry-After, in the contract's shape. */
export function expectServiceUnavailable(response: HttpResponse): void {
  expect(response.status, response.text).toBe(503);
  expect(errorOf(response).code).toBe("service_unavailable");
  expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
