import type { Request } from "express";
import { describe, expect, it } from "vitest";
import { loadBffConfig } from "../../../bff/config";
import { createSessionManager } from "../../../bff/session/session-manager";
import type { AuthenticatedSession } from "../../../bff/session/session-records";
import { memoryStore } from "../../support/memory-store";
import { pendingSignInRecord } from "../../support/session-fixtures";

/**
 * Signing in replaces the browser's session under a new id AND deletes the records of the old
 * one (OWASP Session Management Cheat Sheet, "Renew the Session ID After Any Privilege Level
 * Change"): a copy of the earlier cookie, kept by another tab or an attacker, must not stay
 * signed in as the earlier user.
 */

const now = () => Math.floor(Date.now() / 1000);

function signedIn(sub: string, email: string): AuthenticatedSession {
  return {
    sub,
    email,
    username: `internal-${sub}`,
    amr: ["pwd", "otp", "mfa"],
    authTime: now(),
    tokens: { idToken: "id", accessToken: "access", refreshToken: `refresh-${sub}`, accessTokenExpiresAt: now() + 3600 },
    createdAt: now(),
    expiresAt: now() + 3600,
  };
}

const pending = () => pendingSignInRecord({ email: "b@example.com", username: "internal-b" });

function setUp() {
  const sessions = createSessionManager({ store: memoryStore(), config: loadBffConfig({}) });
  /** Just what the session manager reads of a request: the cookie session, the user agent and the address. */
  const request = (session: object) => ({ session, ip: "192.0.2.1", get: () => "test-agent" }) as unknown as Request;
  const browser = request({});
  /** Another holder of the browser's cookie as it is now (a second tab, a stolen copy). */
  const copyOf = (req: Request) => request({ ...req.session });
  return { sessions, browser, copyOf };
}

describe("signing in over an existing session", () => {
  it("signs the earlier cookie out: a copy of A's cookie is no longer authenticated once the browser signs in as B", async () => {
    const { sessions, browser, copyOf } = setUp();
    await sessions.establish(browser, signedIn("sub-a", "a@example.com"));
    const oldCookie = copyOf(browser);
    expect((await sessions.readAuthenticated(oldCookie))?.sub).toBe("sub-a");

    await sessions.establish(browser, signedIn("sub-b", "b@example.com"));

    expect(await sessions.readAuthenticated(oldCookie)).toBeUndefined();
    expect((await sessions.readAuthenticated(browser))?.sub).toBe("sub-b");
  });

  it("returns the replaced session (so that its tokens can be revoked) and gives the browser a new id", async () => {
    const { sessions, browser } = setUp();
    await sessions.establish(browser, signedIn("sub-a", "a@example.com"));
    const oldId = browser.session?.sid as string;

    const replaced = await sessions.establish(browser, signedIn("sub-b", "b@example.com"));

    expect(replaced?.sub).toBe("sub-a");
    expect(browser.session?.sid).not.toBe(oldId);
  });

  it("deletes the pending sign-in that led to the new session: the old id cannot resume it", async () => {
    const { sessions, browser, copyOf } = setUp();
    await sessions.savePending(browser, pending());
    const oldCookie = copyOf(browser);

    await sessions.establish(browser, signedIn("sub-b", "b@example.com"));

    expect(await sessions.readPending(oldCookie)).toBeUndefined();
  });

  it("replaces nothing for a browser without a session", async () => {
    const { sessions, browser } = setUp();
    expect(await sessions.establish(browser, signedIn("sub-a", "a@example.com"))).toBeUndefined();
  });
});
