import type { Request } from "express";
import { describe, expect, it } from "vitest";
import { loadBffConfig } from "../../../bff/config";
import { createSessionManager } from "../../../bff/session/session-manager";
import type { PendingSignIn } from "../../../bff/session/session-records";
import { pendingOf, pendingReadBy, rememberPending } from "../../../bff/signin/request-records";
import type { Store } from "../../../bff/store/store";
import { memoryStore } from "../../support/memory-store";
import { pendingSignInRecord } from "../../support/session-fixtures";

/**
 * One sign-in request reads its pending sign-in once (bff/signin/request-records.ts), and a
 * versioned write may start from that read (SessionManager.updatePending's `known`) without
 * losing a concurrent update or acting on a stale record.
 */

const pendingSignIn = () => pendingSignInRecord();

/** The memory store, counting `get`s. */
function countingStore(): { store: Store; gets: () => number } {
  const inner = memoryStore();
  let gets = 0;
  return {
    store: {
      ...inner,
      get: (kind, id) => {
        gets += 1;
        return inner.get(kind, id);
      },
    },
    gets: () => gets,
  };
}

async function setUp() {
  const { store, gets } = countingStore();
  const sessions = createSessionManager({ store, config: loadBffConfig({}) });
  const browser = { session: {} } as unknown as Request;
  await sessions.savePending(browser, pendingSignIn());
  // Another request of the same browser (same cookie).
  const request = () => ({ session: { ...browser.session } }) as unknown as Request;
  return { sessions, request, gets };
}

describe("the pending sign-in read once per request", () => {
  it("is read from the store once however many steps of the request ask", async () => {
    const { sessions, request, gets } = await setUp();
    const req = request();
    const before = gets();
    const first = await pendingOf(req, sessions);
    const second = await pendingOf(req, sessions);
    expect(first?.email).toBe("a@example.com");
    expect(second).toBe(first);
    expect(pendingReadBy(req)).toBe(first);
    expect(gets() - before).toBe(1);
  });

  it("is read again by another request", async () => {
    const { sessions, request, gets } = await setUp();
    await pendingOf(request(), sessions);
    const before = gets();
    await pendingOf(request(), sessions);
    expect(gets() - before).toBe(1);
  });

  it("remembers that none is pending, and a newer read when told", async () => {
    const { sessions, gets } = await setUp();
    const stranger = { session: {} } as unknown as Request;
    expect(await pendingOf(stranger, sessions)).toBeUndefined();
    const newer = { ...pendingSignIn(), version: 7 };
    rememberPending(stranger, newer);
    const before = gets();
    expect(await pendingOf(stranger, sessions)).toBe(newer);
    expect(gets()).toBe(before);
  });
});

describe("a versioned update starting from the request's read (updatePending's known)", () => {
  it("saves the read: a current guess is written without reading the record again", async () => {
    const { sessions, request, gets } = await setUp();
    const req = request();
    const known = await sessions.readPending(req);
    const before = gets();
    const written = await sessions.updatePending(req, (current) => ({ ...current, failedCodes: current.failedCodes + 1 }), known);
    expect(written?.failedCodes).toBe(1);
    expect(gets()).toBe(before);
    expect((await sessions.readPending(req))?.failedCodes).toBe(1);
  });

  it("loses no concurrent update: a stale guess fails the version check and the change is made on the stored record", async () => {
    const { sessions, request } = await setUp();
    const req = request();
    const stale = await sessions.readPending(req);
    // Another request counts a wrong code meanwhile.
    await sessions.updatePending(request(), (current) => ({ ...current, failedCodes: current.failedCodes + 1 }));
    const written = await sessions.updatePending(req, (current) => ({ ...current, failedCodes: current.failedCodes + 1 }), stale);
    expect(written?.failedCodes).toBe(2);
    expect((await sessions.readPending(req))?.failedCodes).toBe(2);
  });

  it("reads again instead of refusing on a stale guess: what the stored record allows goes ahead", async () => {
    const { sessions, request } = await setUp();
    const req = request();
    const stale = { ...(await sessions.readPending(req))!, step: "choose" as const };
    const refuseChoose = (current: PendingSignIn) => {
      if (current.step !== "otp") throw new Error("Ask for a code first.");
      return { ...current, resends: current.resends + 1 };
    };
    const written = await sessions.updatePending(req, refuseChoose, stale);
    expect(written?.resends).toBe(1);
  });

  it("still refuses what the stored record itself does not allow", async () => {
    const { sessions, request } = await setUp();
    const req = request();
    const known = await sessions.readPending(req);
    await expect(
      sessions.updatePending(
        req,
        () => {
          throw new Error("refused");
        },
        known,
      ),
    ).rejects.toThrow("refused");
  });

  it("does not recreate an attempt that ended after the guess was read", async () => {
    const { sessions, request } = await setUp();
    const req = request();
    const known = await sessions.readPending(req);
    await sessions.clearPending(request());
    expect(await sessions.updatePending(req, (current) => current, known)).toBeUndefined();
    expect(await sessions.readPending(req)).toBeUndefined();
  });
});
