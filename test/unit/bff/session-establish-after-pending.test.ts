import type { Request } from "express";
import { describe, expect, it } from "vitest";
import { loadBffConfig } from "../../../bff/config";
import { createSessionManager } from "../../../bff/session/session-manager";
import type { Store } from "../../../bff/store/store";
import { memoryStore } from "../../support/memory-store";
import { pendingSignInRecord, signedInRecord } from "../../support/session-fixtures";

/**
 * Completing a pending sign-in ends the signed-in session its password step moved under the
 * sign-in's id (OWASP Session Management Cheat Sheet, "Renew the Session ID After Any Privilege
 * Level Change"). The pending sign-in says whether there is one, so a browser that was not signed
 * in costs no read-and-delete of a session that cannot be there.
 */

function setUp() {
  const calls: string[] = [];
  const backing = memoryStore();
  // Counts the calls the session manager makes, not those the memory store makes of itself.
  const store = new Proxy(backing, {
    get(target, property: keyof Store) {
      const member = target[property];
      return typeof member === "function"
        ? (...args: unknown[]) => {
            calls.push(property);
            return (member as (...values: unknown[]) => unknown).apply(target, args);
          }
        : member;
    },
  });
  const sessions = createSessionManager({ store, config: loadBffConfig({}) });
  const request = (session: object) => ({ session, ip: "192.0.2.1", headers: { "user-agent": "test-agent" } }) as unknown as Request;
  return { sessions, calls, browser: request({}), copyOf: (req: Request) => request({ ...req.session }) };
}

describe("completing a pending sign-in", () => {
  it("records at the password step that a signed-in session was moved under the sign-in's id, and completing ends it", async () => {
    const { sessions, browser, copyOf } = setUp();
    await sessions.establish(browser, signedInRecord({ sub: "sub-a" }));
    await sessions.savePending(browser, pendingSignInRecord({ email: "b@example.com" }));
    const pending = (await sessions.readPending(browser))!;
    expect(pending.signedInUnderId).toBe(true);
    const atCodeStep = copyOf(browser);

    const replaced = await sessions.establish(browser, signedInRecord({ sub: "sub-b" }), { signedInUnderId: pending.signedInUnderId });

    expect(replaced?.sub).toBe("sub-a");
    expect(await sessions.readAuthenticated(atCodeStep)).toBeUndefined();
    expect((await sessions.readAuthenticated(browser))?.sub).toBe("sub-b");
  });

  it("records that none was moved for a browser that was not signed in, and completing then writes in one call", async () => {
    const { sessions, browser, calls } = setUp();
    await sessions.savePending(browser, pendingSignInRecord());
    const pending = (await sessions.readPending(browser))!;
    expect(pending.signedInUnderId).toBe(false);
    calls.length = 0;

    expect(await sessions.establish(browser, signedInRecord(), { signedInUnderId: pending.signedInUnderId })).toBeUndefined();

    expect(calls).toEqual(["putMany"]);
  });

  it("looks for a session under the id when the pending sign-in does not say (a record written before it did)", async () => {
    const { sessions, browser, calls } = setUp();
    await sessions.establish(browser, signedInRecord({ sub: "sub-a" }));
    calls.length = 0;

    const replaced = await sessions.establish(browser, signedInRecord({ sub: "sub-b" }), { signedInUnderId: undefined });

    expect(replaced?.sub).toBe("sub-a");
    expect(calls).toEqual(["consume", "putMany"]);
  });
});
