import { expect } from "vitest";
import type { AuthenticatedSession } from "../../../bff/session/session-records";
import type { HttpClient } from "../../support/http-client";
import type { TestStack } from "../../support/stack";
import { passwordStep, storedSession, strongPassword } from "../bff/flows";

/** Shared steps of the account security centre's integration tests (not a test file). */

export const chromeOnMac = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
export const firefoxOnWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0";

/** Another browser (its own cookies and User-Agent) signed in to the same account with password + code. */
export async function signInBrowser(stack: TestStack, email: string, userAgent: string, password = strongPassword): Promise<HttpClient> {
  const client = stack.client({ "user-agent": userAgent });
  await passwordStep(client, email, password);
  const done = await client.post("/api/signin/otp", { code: await stack.latestCode(email) });
  expect(done.status, done.text).toBe(200);
  return client;
}

export async function isSignedIn(client: HttpClient): Promise<boolean> {
  const response = await client.get("/api/session");
  return (response.body as { authenticated: boolean }).authenticated;
}

/** Makes the client's sign-in `ageSeconds` old (sensitive actions want a recent one). */
export async function ageSignIn(stack: TestStack, client: HttpClient, ageSeconds: number): Promise<void> {
  const { createHash } = await import("node:crypto");
  const session = (await storedSession<AuthenticatedSession>(stack, client))!;
  const payload = JSON.parse(Buffer.from(client.cookie("tobira")!, "base64").toString("utf8")) as { sid: string };
  const key = createHash("sha256").update(payload.sid).digest("base64url");
  await stack.store.put("session", key, { ...session, authTime: session.authTime - ageSeconds }, { ttlSeconds: 600, index: session.sub });
}

/** Messages to `email` whose subject matches. */
export async function mailsTo(stack: TestStack, email: string, subject: RegExp) {
  return (await stack.outbox(email)).filter((message) => subject.test(message.subject));
}
