import type { Request } from "express";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { loadBffConfig } from "../../../bff/config";
import { createSessionManager, normalisedEmail, sessionActivityKind, sessionKind, sessionUserKind, signInKind } from "../../../bff/session/session-manager";
import type { AuthenticatedSession } from "../../../bff/session/session-records";
import { sessionStoreKey } from "../../../bff/session/token-sealing";
import type { Store } from "../../../bff/store/store";
import { memoryStore } from "../../support/memory-store";
import { signedInRecord, pendingSignInRecord } from "../../support/session-fixtures";

/**
 * When a signed-in session ends (bff/session/session-manager.ts): at its absolute expiry, or once
 * unused for the idle timeout — also when it was used on another instance of the BFF, which
 * learns of it from the activity record written at most once per resolution (a quarter of the
 * idle timeout, at most five minutes). And nothing of it stays in the store after its expiry.
 */

/** Epoch seconds at which each test starts (a whole second). */
const start = 1_800_000_000;

/** Moves the clock to `seconds` after the start. */
const at = (seconds: number) => vi.setSystemTime((start + seconds) * 1000);

interface StoreCall {
  method: string;
  kind: string;
  id: string;
  value?: unknown;
}

/** The store with every call recorded by kind and id (batched reads and writes count per record). */
function recorded(store: Store): { store: Store; calls: StoreCall[] } {
  const calls: StoreCall[] = [];
  const wrapped = new Proxy(store, {
    get(target, property, receiver) {
      const member: unknown = Reflect.get(target, property, receiver);
      if (typeof member !== "function") return member;
      return (...args: unknown[]) => {
        if (property === "getMany") {
          for (const key of args[0] as { kind: string; id: string }[]) calls.push({ method: "get", kind: key.kind, id: key.id });
        } else if (property === "putMany") {
          for (const record of args[0] as StoreCall[]) calls.push({ method: "put", kind: record.kind, id: record.id, value: record.value });
        } else {
          calls.push({ method: String(property), kind: args[0] as string, id: args[1] as string, value: args[2] });
        }
        return (member as (...memberArgs: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: wrapped, calls };
}

function setUp(idleTimeoutSeconds: number) {
  const { store, calls } = recorded(memoryStore());
  const config = loadBffConfig({ SESSION_IDLE_TIMEOUT_SECONDS: String(idleTimeoutSeconds) });
  /** One BFF instance: its own memory of the activity it wrote, the shared store. */
  const instance = () => createSessionManager({ store, config });
  const browser = () => ({ session: {} }) as unknown as Request;
  /** A second holder of the browser's cookie as it is now (e.g. the same browser's next request). */
  const copyOf = (req: Request) => ({ session: { ...req.session } }) as unknown as Request;
  const keyOf = (req: Request) => sessionStoreKey((req.session as { sid: string }).sid);
  /** The `at` of each activity record written, in seconds after the start. */
  const activityWrites = () =>
    calls.filter((call) => call.method === "put" && call.kind === sessionActivityKind).map((call) => (call.value as { at: number }).at - start);
  return { store, calls, instance, browser, copyOf, keyOf, activityWrites };
}

const signedIn = (lifetimeSeconds = 8 * 3600): AuthenticatedSession => signedInRecord({ email: "Alice@Example.com", username: "internal-1", at: start, lifetimeSeconds });

const pendingSignIn = () => pendingSignInRecord({ email: "alice@example.com", at: start });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  at(0);
});

afterEach(() => {
  vi.useRealTimers();
});

describe("the idle timeout", () => {
  it("ends a session unused for exactly the idle timeout", async () => {
    const { instance, browser } = setUp(600);
    const sessions = instance();
    const laptop = browser();
    await sessions.establish(laptop, signedIn());

    at(600);

    expect(await sessions.readAuthenticated(laptop)).toBeUndefined();
  });

  it("keeps a session used on another instance: the instance that signed it in reads that activity", async () => {
    const { instance, browser, copyOf } = setUp(600);
    const [first, second] = [instance(), instance()];
    const laptop = browser();
    await first.establish(laptop, signedIn());
    at(500);
    expect(await second.readAuthenticated(copyOf(laptop))).toBeDefined();

    at(600);

    expect((await first.readAuthenticated(laptop))?.sub).toBe("sub-1");
  });

  it("ends the session when the idle timeout has passed since the last activity on another instance", async () => {
    const { instance, browser, copyOf } = setUp(600);
    const [first, second] = [instance(), instance()];
    const laptop = browser();
    await first.establish(laptop, signedIn());
    at(500);
    expect(await second.readAuthenticated(copyOf(laptop))).toBeDefined();

    at(1100);

    expect(await first.readAuthenticated(laptop)).toBeUndefined();
  });

  it("does not end a session on another instance that was used within the idle timeout less a quarter of it", async () => {
    const { instance, browser, copyOf } = setUp(600);
    const [first, second] = [instance(), instance()];
    const laptop = browser();
    await first.establish(laptop, signedIn());
    for (const seconds of [100, 200, 300, 400, 500]) {
      at(seconds);
      expect(await first.readAuthenticated(laptop)).toBeDefined();
    }

    at(500 + 440);

    expect(await second.readAuthenticated(copyOf(laptop))).toBeDefined();
  });

  it("does not list a session that became idle, on an instance that never read it", async () => {
    const { instance, browser } = setUp(600);
    await instance().establish(browser(), signedIn());

    at(600);

    expect(await instance().listFor("sub-1")).toEqual([]);
    expect(await instance().liveSessionsOf("sub-1")).toEqual([]);
  });
});

describe("the activity record", () => {
  it("is written at most once per resolution, a quarter of the idle timeout", async () => {
    const { instance, browser, activityWrites } = setUp(600);
    const sessions = instance();
    const laptop = browser();
    await sessions.establish(laptop, signedIn());

    for (const seconds of [100, 150, 250, 300, 400]) {
      at(seconds);
      await sessions.readAuthenticated(laptop);
    }

    expect(activityWrites()).toEqual([150, 300]);
  });

  it("is written at most every five minutes under a long idle timeout", async () => {
    const { instance, browser, activityWrites } = setUp(3600);
    const sessions = instance();
    const laptop = browser();
    await sessions.establish(laptop, signedIn());

    for (const seconds of [299, 300, 599, 600]) {
      at(seconds);
      await sessions.readAuthenticated(laptop);
    }

    expect(activityWrites()).toEqual([300, 600]);
  });

  it("is written once per resolution for each of several sessions in use at once", async () => {
    const { instance, browser, activityWrites } = setUp(600);
    const sessions = instance();
    const [laptop, phone] = [browser(), browser()];
    await sessions.establish(laptop, signedIn());
    await sessions.establish(phone, signedIn());

    for (const [seconds, device] of [
      [150, laptop],
      [160, phone],
      [170, laptop],
      [180, phone],
    ] as const) {
      at(seconds);
      await sessions.readAuthenticated(device);
    }

    expect(activityWrites()).toEqual([150, 160]);
  });

  it("is not read while this instance wrote the activity within the idle timeout", async () => {
    const { instance, browser, calls } = setUp(600);
    const sessions = instance();
    const laptop = browser();
    await sessions.establish(laptop, signedIn());
    for (const seconds of [10, 150, 400]) {
      at(seconds);
      expect(await sessions.readAuthenticated(laptop)).toBeDefined();
    }

    expect(calls.filter((call) => call.method === "get" && call.kind === sessionActivityKind)).toEqual([]);
  });

  it("of a renewed session (a step-up) keeps it live on another instance", async () => {
    const { instance, browser, copyOf } = setUp(600);
    const [first, second] = [instance(), instance()];
    const laptop = browser();
    await first.establish(laptop, signedIn());
    at(500);
    await first.renewAuthenticated(laptop, { ...signedIn(), factorProvedAt: start + 500 });

    at(700);

    expect((await second.readAuthenticated(copyOf(laptop)))?.factorProvedAt).toBe(start + 500);
  });

  it("of a session carried to a new id at the password step keeps it live on another instance", async () => {
    const { instance, browser, copyOf } = setUp(600);
    const [first, second] = [instance(), instance()];
    const laptop = browser();
    await first.establish(laptop, signedIn());
    at(500);
    await first.savePending(laptop, pendingSignIn());

    at(700);

    expect((await second.readAuthenticated(copyOf(laptop)))?.sub).toBe("sub-1");
  });
});

describe("the absolute expiry", () => {
  it("ends a session at its expiry even while the store still holds the record (its TTL rounds up to whole seconds)", async () => {
    const { instance, browser, store, keyOf } = setUp(600);
    const sessions = instance();
    const laptop = browser();
    vi.setSystemTime(start * 1000 + 500);
    await sessions.establish(laptop, signedIn(300));

    at(300);

    expect(await store.get(sessionKind, keyOf(laptop))).toBeDefined();
    expect(await sessions.readAuthenticated(laptop)).toBeUndefined();
    expect(await sessions.listFor("sub-1")).toEqual([]);
  });

  it("leaves no record of a session in the store once it has expired: session, activity, email pointer", async () => {
    const { instance, browser, store, keyOf } = setUp(600);
    const sessions = instance();
    const laptop = browser();
    await sessions.establish(laptop, signedIn(1000));
    at(150);
    await sessions.readAuthenticated(laptop);
    const key = keyOf(laptop);
    expect(await store.get(sessionActivityKind, key)).toBeDefined();
    expect(await sessions.subForEmail("alice@example.com")).toBe("sub-1");

    at(1001);

    expect(await store.get(sessionKind, key)).toBeUndefined();
    expect(await store.get(sessionActivityKind, key)).toBeUndefined();
    expect(await store.get(sessionUserKind, normalisedEmail("alice@example.com"))).toBeUndefined();
  });

  it("leaves no record of a renewed session once it has expired", async () => {
    const { instance, browser, store, keyOf } = setUp(600);
    const sessions = instance();
    const laptop = browser();
    await sessions.establish(laptop, signedIn(1000));
    at(100);
    await sessions.renewAuthenticated(laptop, signedIn(1000));
    const key = keyOf(laptop);
    expect(await store.get(sessionActivityKind, key)).toBeDefined();

    at(1001);

    expect(await store.get(sessionKind, key)).toBeUndefined();
    expect(await store.get(sessionActivityKind, key)).toBeUndefined();
  });

  it("leaves no record of a session carried to a new id at the password step once it has expired", async () => {
    const { instance, browser, store, keyOf } = setUp(600);
    const sessions = instance();
    const laptop = browser();
    await sessions.establish(laptop, signedIn(1000));
    at(100);
    await sessions.savePending(laptop, pendingSignIn());
    const key = keyOf(laptop);
    expect(await store.get(sessionActivityKind, key)).toBeDefined();

    at(1001);

    expect(await store.get(sessionKind, key)).toBeUndefined();
    expect(await store.get(sessionActivityKind, key)).toBeUndefined();
    expect(await store.get(signInKind, key)).toBeUndefined();
  });

  it("keeps the email pointer while the session lives, for a sign-out after a password reset", async () => {
    const { instance, browser } = setUp(3600);
    const sessions = instance();
    await sessions.establish(browser(), signedIn(8 * 3600));

    at(8 * 3600 - 1);

    expect(await sessions.subForEmail(" ALICE@example.com")).toBe("sub-1");
  });
});
