import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorizationRequest, authorizeInBrowser, discover, newUser, startOidcStack } from "../../conformance/support";
import { HttpClient, type HttpResponse, type RequestOptions } from "../../support/http-client";
import type { TestStack } from "../../support/stack";

/**
 * The OpenID Provider's cookies (`tobira.op*`) and the BFF's pending-request cookie
 * (`tobira.interaction`) carry a session or name one: script must not read them (OWASP Session
 * Management Cheat Sheet, "HttpOnly Attribute"), and they stay first-party (SameSite=Lax).
 */

/** A browser that remembers every Set-Cookie line it was sent. */
class RecordingBrowser extends HttpClient {
  readonly setCookieLines: string[] = [];

  override async request<T = unknown>(method: string, path: string, body: unknown, options: RequestOptions = {}): Promise<HttpResponse<T>> {
    const response = await super.request<T>(method, path, body, options);
    this.setCookieLines.push(...response.setCookies);
    return response;
  }
}

const nameOf = (line: string) => line.slice(0, line.indexOf("="));

let stack: TestStack;
let lines: string[];

beforeAll(async () => {
  stack = await startOidcStack();
  const browser = new RecordingBrowser(stack.bffUrl);
  const request = await authorizationRequest(await discover(stack));
  await authorizeInBrowser(stack, browser, request.url, await newUser(stack));
  await browser.post("/api/logout", {});
  lines = browser.setCookieLines;
  // A whole sign-in from an app: more than the default hook time on a busy machine.
}, 60_000);
afterAll(() => stack?.close());

describe("cookies of the OpenID Provider and of a pending authorization request", () => {
  it.each(["tobira.op", "tobira.op.interaction", "tobira.op.resume", "tobira.interaction"])("sets %s during a sign-in from an app", (name) => {
    expect(lines.map(nameOf)).toContain(name);
  });

  it("sets every one of them (and their signatures) HttpOnly and SameSite=Lax, whether it is set or cleared", () => {
    const providerLines = lines.filter((line) => /^tobira\.(op|interaction)[^=]*=/.test(line));
    expect(providerLines.length).toBeGreaterThan(4);
    for (const line of providerLines) {
      expect(line, line).toMatch(/;\s*httponly/i);
      expect(line, line).toMatch(/;\s*samesite=lax/i);
    }
  });
});
