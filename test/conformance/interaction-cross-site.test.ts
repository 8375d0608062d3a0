import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpClient } from "../support/http-client";
import type { TestStack } from "../support/stack";
import { follow, queryOf, rawAuthorizationUrl, startOidcStack } from "./support";

/**
 * The interaction routes that answer the app with access_denied (cancel, abort, no-passkey) change
 * state: a navigation from another site (Fetch Metadata `Sec-Fetch-Site: cross-site` or
 * `same-site`) is refused with a 403 page and the request stays pending; Tobira's own pages
 * (`same-origin`), a typed URL (`none`) and browsers without Fetch Metadata go on.
 */

let stack: TestStack;

beforeAll(async () => {
  stack = await startOidcStack();
});

afterAll(async () => {
  await stack?.close();
});

/** A browser at the sign-in page for a fresh request, and the request's interaction uid. */
async function pendingRequest(): Promise<{ browser: HttpClient; uid: string }> {
  const browser = stack.client();
  const start = await follow(browser, await rawAuthorizationUrl(stack));
  expect(new URL(start.location!).pathname).toBe("/signin");
  const uid = start.hops[0]!.location!.split("/").pop()!;
  return { browser, uid };
}

async function expectRefused(browser: HttpClient, path: string, site: string): Promise<void> {
  const response = await browser.get(path, { headers: { "sec-fetch-site": site, accept: "text/html" } });
  expect(response.status).toBe(403);
  expect(response.headers.get("content-type")).toMatch(/text\/html/);
  expect(response.headers.get("location")).toBeNull();
  expect(response.text).toContain("access_denied");
}

/** The request is still pending: cancelling from Tobira's own page answers the app. */
async function expectStillPending(browser: HttpClient): Promise<void> {
  const cancelled = await follow(browser, "/interaction/cancel");
  expect(queryOf(cancelled.location)).toMatchObject({ error: "access_denied", state: "state-123" });
}

describe("/interaction/cancel", () => {
  it("refuses a cross-site navigation, and the request stays pending", async () => {
    const { browser } = await pendingRequest();
    await expectRefused(browser, "/interaction/cancel", "cross-site");
    await expectStillPending(browser);
  });
});

describe("/interaction/:uid/abort", () => {
  it("refuses a cross-site navigation, and the request stays pending", async () => {
    const { browser, uid } = await pendingRequest();
    await expectRefused(browser, `/interaction/${uid}/abort`, "cross-site");
    await expectStillPending(browser);
  });

  it("refuses a navigation from a sibling site (same-site is not same-origin)", async () => {
    const { browser, uid } = await pendingRequest();
    await expectRefused(browser, `/interaction/${uid}/abort`, "same-site");
    await expectStillPending(browser);
  });

  it("answers the app with access_denied from Tobira's own page", async () => {
    const { browser, uid } = await pendingRequest();
    const response = await browser.get(`/interaction/${uid}/abort`, { headers: { "sec-fetch-site": "same-origin" } });
    expect(response.status).toBe(303);
    const answer = await follow(browser, response.headers.get("location")!);
    expect(queryOf(answer.location)).toMatchObject({ error: "access_denied", state: "state-123" });
  });
});

describe("/interaction/:uid/no-passkey", () => {
  it("refuses a cross-site navigation, and the request stays pending", async () => {
    const { browser, uid } = await pendingRequest();
    await expectRefused(browser, `/interaction/${uid}/no-passkey`, "cross-site");
    await expectStillPending(browser);
  });
});
