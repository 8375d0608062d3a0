import type { Request } from "express";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadBffConfig } from "../../../bff/config";
import { ApiError } from "../../../bff/errors";
import { createSessionManager, signInKind } from "../../../bff/session/session-manager";
import type { PendingSignIn } from "../../../bff/session/session-records";
import { sessionStoreKey } from "../../../bff/session/token-sealing";
import { memoryStore } from "../../support/memory-store";
import { pendingSignInRecord } from "../../support/session-fixtures";

/**
 * A sign-in between the password step and the second factor (bff/session/session-manager.ts):
 * its absolute lifetime, its compare-and-set updates, and clearing it.
 */

const now = () => Math.floor(Date.now() / 1000);

const pendingSignIn = (startedAt = now()) => pendingSignInRecord({ at: startedAt });

function setUp(store = memoryStore()) {
  const sessions = createSessionManager({ store, config: loadBffConfig({ SIGNIN_TTL_SECONDS: "600" }) });
  return { sessions, store, browser: () => ({ session: {} }) as unknown as Request };
}

const failedCode = (current: PendingSignIn): PendingSignIn => ({ ...current, failedCodes: current.failedCodes + 1 });

describe("the lifetime of a pending sign-in", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("ends SIGNIN_TTL_SECONDS after the password step, however often it was updated", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(1_800_000_000_000);
    const { sessions, browser } = setUp();
    const laptop = browser();
    await sessions.savePending(laptop, pendingSignIn());
    vi.setSystemTime(1_800_000_200_000);
    await sessions.updatePending(laptop, failedCode);

    vi.setSystemTime(1_800_000_599_000);
    expect(await sessions.readPending(laptop)).toMatchObject({ failedCodes: 1 });

    vi.setSystemTime(1_800_000_600_000);
    expect(await sessions.readPending(laptop)).toBeUndefined();
  });
});

describe("updating a pending sign-in", () => {
  it("bumps its version by one with each update", async () => {
    const { sessions, browser } = setUp();
    const laptop = browser();
    await sessions.savePending(laptop, pendingSignIn());
    const before = (await sessions.readPending(laptop))!.version;

    await sessions.updatePending(laptop, failedCode);
    await sessions.updatePending(laptop, failedCode);

    expect(await sessions.readPending(laptop)).toMatchObject({ failedCodes: 2, version: before + 2 });
  });

  it("updates a record written before versions existed", async () => {
    const { sessions, browser, store } = setUp();
    const laptop = browser();
    await sessions.savePending(laptop, pendingSignIn());
    const id = sessionStoreKey((laptop.session as { sid: string }).sid);
    const { version: _version, ...withoutVersion } = (await store.get<PendingSignIn>(signInKind, id))!;
    await store.put(signInKind, id, withoutVersion, { ttlSeconds: 600 });

    expect(await sessions.updatePending(laptop, failedCode)).toMatchObject({ failedCodes: 1, version: 1 });
  });

  it("gives up with 429 after five attempts when other requests keep changing the record", async () => {
    const store = memoryStore();
    const put = store.put.bind(store);
    // Every compare-and-set loses, as if another request of this browser wrote in between each time.
    store.put = async (kind, id, value, options) => (options?.condition !== undefined && "field" in options.condition ? false : put(kind, id, value, options));
    const { sessions, browser } = setUp(store);
    const laptop = browser();
    await sessions.savePending(laptop, pendingSignIn());
    let attempts = 0;

    const update = sessions.updatePending(laptop, (current) => {
      attempts += 1;
      return failedCode(current);
    });

    await expect(update).rejects.toBeInstanceOf(ApiError);
    await expect(update).rejects.toMatchObject({ status: 429, code: "rate_limited", message: expect.stringContaining("Too many requests") });
    expect(attempts).toBe(5);
  });

  it("starts from the record the request already read, without reading it again, when it is current", async () => {
    const store = memoryStore();
    const get = store.get.bind(store);
    let reads = 0;
    store.get = async (kind, id) => {
      if (kind === signInKind) reads += 1;
      return get(kind, id);
    };
    const { sessions, browser } = setUp(store);
    const laptop = browser();
    await sessions.savePending(laptop, pendingSignIn());
    const known = (await sessions.readPending(laptop))!;
    reads = 0;

    expect(await sessions.updatePending(laptop, failedCode, known)).toMatchObject({ failedCodes: 1, version: known.version + 1 });
    expect(reads).toBe(0);
  });

  it("reads the record again when the one the request read is stale, and applies the update to it", async () => {
    const { sessions, browser } = setUp();
    const laptop = browser();
    await sessions.savePending(laptop, pendingSignIn());
    const stale = (await sessions.readPending(laptop))!;
    await sessions.updatePending(laptop, (current) => ({ ...current, resends: current.resends + 1 }));

    expect(await sessions.updatePending(laptop, failedCode, stale)).toMatchObject({ failedCodes: 1, resends: 1 });
    expect(await sessions.readPending(laptop)).toMatchObject({ failedCodes: 1, resends: 1 });
  });

  it("reads the record again when the update refuses the one the request read, and applies it to the current record", async () => {
    const { sessions, browser } = setUp();
    const laptop = browser();
    await sessions.savePending(laptop, pendingSignIn());
    const stale = (await sessions.readPending(laptop))!;
    await sessions.updatePending(laptop, (current) => ({ ...current, cognitoSession: "round-2" }));
    const onRoundTwoOnly = (current: PendingSignIn): PendingSignIn => {
      if (current.cognitoSession !== "round-2") throw new Error("not the current round");
      return failedCode(current);
    };

    expect(await sessions.updatePending(laptop, onRoundTwoOnly, stale)).toMatchObject({ cognitoSession: "round-2", failedCodes: 1 });
  });

  it("passes on the update's refusal of the stored record", async () => {
    const { sessions, browser } = setUp();
    const laptop = browser();
    await sessions.savePending(laptop, pendingSignIn());
    const refusal = new Error("refused");

    await expect(
      sessions.updatePending(laptop, () => {
        throw refusal;
      }),
    ).rejects.toBe(refusal);
  });

  it("answers undefined for a browser without a session cookie", async () => {
    const { sessions, browser } = setUp();
    expect(await sessions.updatePending(browser(), failedCode)).toBeUndefined();
  });
});

describe("clearing a pending sign-in", () => {
  it("clears it while it still holds the Cognito session the caller names", async () => {
    const { sessions, browser } = setUp();
    const laptop = browser();
    await sessions.savePending(laptop, pendingSignIn());

    await sessions.clearPending(laptop, "round-1");

    expect(await sessions.readPending(laptop)).toBeUndefined();
  });

  it("leaves it alone once a concurrent request moved it on to another Cognito session", async () => {
    const { sessions, browser } = setUp();
    const laptop = browser();
    await sessions.savePending(laptop, pendingSignIn());
    await sessions.updatePending(laptop, (current) => ({ ...current, cognitoSession: "round-2" }));

    await sessions.clearPending(laptop, "round-1");

    expect(await sessions.readPending(laptop)).toMatchObject({ cognitoSession: "round-2" });
  });

  it("clears it unconditionally when no Cognito session is named", async () => {
    const { sessions, browser } = setUp();
    const laptop = browser();
    await sessions.savePending(laptop, pendingSignIn());

    await sessions.clearPending(laptop);

    expect(await sessions.readPending(laptop)).toBeUndefined();
  });

  it("does nothing when the sign-in it names has already ended", async () => {
    const { sessions, browser } = setUp();
    const laptop = browser();
    await sessions.savePending(laptop, pendingSignIn());
    await sessions.clearPending(laptop);

    await expect(sessions.clearPending(laptop, "round-1")).resolves.toBeUndefined();
  });

  it("does nothing for a browser without a session cookie", async () => {
    const { sessions, browser } = setUp();
    await expect(sessions.clearPending(browser(), "round-1")).resolves.toBeUndefined();
    await expect(sessions.clearPending(browser())).resolves.toBeUndefined();
  });
});
