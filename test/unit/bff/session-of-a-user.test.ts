import type { Request } from "express";
import { describe, expect, it } from "vitest";
import { loadBffConfig } from "../../../bff/config";
import { createSessionManager, sessionKind } from "../../../bff/session/session-manager";
import type { AuthenticatedSession } from "../../../bff/session/session-records";
import { sealSession, sessionStoreKey } from "../../../bff/session/token-sealing";
import { memoryStore } from "../../support/memory-store";
import { signedInRecord, pendingSignInRecord } from "../../support/session-fixtures";

/**
 * A user's signed-in sessions as the rest of the BFF sees them (bff/session/session-manager.ts):
 * the account page's list and public ids, ending one or the others, the provider's live-user
 * check, the browser recorded at sign-in, the id renewed at a step-up, and requests that carry
 * no usable session id.
 */

const now = () => Math.floor(Date.now() / 1000);

const signedIn = (sub: string, refreshToken = `refresh-${sub}`, authTime = now()): AuthenticatedSession =>
  signedInRecord({ sub, authTime, tokens: { idToken: `id-${sub}`, accessToken: `access-${sub}`, refreshToken } });

const pendingSignIn = () => pendingSignInRecord({ email: "alice@example.com", username: "internal-alice" });

function setUp() {
  const store = memoryStore();
  const config = loadBffConfig({});
  const sessions = createSessionManager({ store, config });
  const browser = (extra: Partial<Request> = {}) => ({ session: {}, headers: {}, ...extra }) as unknown as Request;
  const copyOf = (req: Request) => ({ session: { ...req.session } }) as unknown as Request;
  const sidOf = (req: Request) => (req.session as { sid: string }).sid;
  return { store, config, sessions, browser, copyOf, sidOf };
}

describe("public session ids (the account page)", () => {
  it("names this browser's session as the account page's list does", async () => {
    const { sessions, browser } = setUp();
    const laptop = browser();
    await sessions.establish(laptop, signedIn("alice"));

    const listed = await sessions.listFor("alice");

    expect(listed.map((entry) => entry.id)).toEqual([sessions.currentPublicId(laptop)]);
  });

  it("gives each session its own short id that reveals neither the cookie's id nor the store key", async () => {
    const { sessions, browser, sidOf } = setUp();
    const [laptop, phone] = [browser(), browser()];
    await sessions.establish(laptop, signedIn("alice"));
    await sessions.establish(phone, signedIn("alice"));

    const [laptopId, phoneId] = [sessions.currentPublicId(laptop)!, sessions.currentPublicId(phone)!];

    expect(laptopId).not.toBe(phoneId);
    for (const [publicId, req] of [
      [laptopId, laptop],
      [phoneId, phone],
    ] as const) {
      expect(publicId).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(sidOf(req)).not.toContain(publicId);
      expect(sessionStoreKey(sidOf(req))).not.toContain(publicId);
    }
  });

  it("names no session for a browser that is not signed in", () => {
    const { sessions, browser } = setUp();
    expect(sessions.currentPublicId(browser())).toBeUndefined();
  });
});

describe("the account page's list of sessions", () => {
  it("shows each session without its tokens, with the browser that signed in and its last activity", async () => {
    const { sessions, browser } = setUp();
    const laptop = browser({ headers: { "user-agent": "Laptop Browser" }, ip: "192.0.2.7" } as Partial<Request>);
    await sessions.establish(laptop, signedIn("alice", "refresh-secret"));

    const [entry] = await sessions.listFor("alice");

    expect(entry!.session).toMatchObject({ sub: "alice", client: { userAgent: "Laptop Browser", ip: "192.0.2.7" } });
    expect(entry!.lastActiveAt).toBe(now());
    expect(JSON.stringify(entry)).not.toMatch(/refresh-secret|access-alice|id-alice|sealed/);
  });

  it("shows the sign-in as the last activity of a session signed in on this instance after its record was made", async () => {
    const { sessions, browser } = setUp();
    await sessions.establish(browser(), { ...signedIn("alice"), createdAt: now() - 30 });

    const [entry] = await sessions.listFor("alice");

    expect(entry!.lastActiveAt).toBe(now());
  });

  it("lists only records that are the user's own, whatever the index says", async () => {
    const { store, config, sessions } = setUp();
    const sid = "m".repeat(43);
    await store.put(sessionKind, sessionStoreKey(sid), sealSession(sid, signedIn("mallory"), config.cookie.keys), { ttlSeconds: 600, index: "alice" });

    expect(await sessions.listFor("alice")).toEqual([]);
    expect(await sessions.liveSessionsOf("alice")).toEqual([]);
  });
});

describe("the browser recorded at sign-in", () => {
  it("keeps at most 512 characters of the User-Agent", async () => {
    const { sessions, browser } = setUp();
    await sessions.establish(browser({ headers: { "user-agent": "x".repeat(600) }, ip: "192.0.2.7" } as Partial<Request>), signedIn("alice"));

    const [entry] = await sessions.listFor("alice");

    expect(entry!.session.client).toEqual({ userAgent: "x".repeat(512), ip: "192.0.2.7" });
  });

  it("records empty values for a request without a User-Agent or address", async () => {
    const { sessions } = setUp();
    await sessions.establish({ session: {} } as unknown as Request, signedIn("alice"));

    const [entry] = await sessions.listFor("alice");

    expect(entry!.session.client).toEqual({ userAgent: "", ip: "" });
  });

  it("keeps the browser the caller already recorded", async () => {
    const { sessions, browser } = setUp();
    const client = { userAgent: "Recorded Browser", ip: "198.51.100.1" };
    await sessions.establish(browser({ headers: { "user-agent": "Other" }, ip: "192.0.2.7" } as Partial<Request>), { ...signedIn("alice"), client });

    const [entry] = await sessions.listFor("alice");

    expect(entry!.session.client).toEqual(client);
  });
});

describe("ending sessions from elsewhere", () => {
  it("ends every session of the user when the browser asking has no session id (after a password change)", async () => {
    const { sessions, browser } = setUp();
    const [laptop, phone] = [browser(), browser()];
    await sessions.establish(laptop, signedIn("alice"));
    await sessions.establish(phone, signedIn("alice"));

    const ended = await sessions.endOtherSessionsOf(browser(), "alice");

    expect(ended.map((session) => session.refreshToken)).toEqual(["refresh-alice", "refresh-alice"]);
    expect(await sessions.readAuthenticated(laptop)).toBeUndefined();
    expect(await sessions.readAuthenticated(phone)).toBeUndefined();
  });

  it("gives the provider's live-user check the user's live sessions, newest sign-in first, with refresh tokens only", async () => {
    const { sessions, browser } = setUp();
    await sessions.establish(browser(), signedIn("alice", "refresh-older", now() - 60));
    await sessions.establish(browser(), signedIn("alice", "refresh-newest", now()));
    await sessions.establish(browser(), signedIn("alice", "refresh-oldest", now() - 120));

    const live = await sessions.liveSessionsOf("alice");

    expect(live.map((session) => session.refreshToken)).toEqual(["refresh-newest", "refresh-older", "refresh-oldest"]);
    expect(JSON.stringify(live)).not.toMatch(/access-alice|id-alice/);
  });
});

describe("store round-trips of the live-user check", () => {
  function countedSetUp() {
    const calls: string[] = [];
    const store = memoryStore();
    const counted = new Proxy(store, {
      get(target, property, receiver) {
        const member: unknown = Reflect.get(target, property, receiver);
        if (typeof member !== "function") return member;
        return (...args: unknown[]) => {
          calls.push(String(property));
          return (member as (...values: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const sessions = createSessionManager({ store: counted, config: loadBffConfig({}) });
    const browser = () => ({ session: {}, headers: {} }) as unknown as Request;
    return { calls, sessions, browser };
  }

  it("reads the activity of all the user's sessions in one batch after the query, not one read each", async () => {
    const { calls, sessions, browser } = countedSetUp();
    for (const name of ["a", "b", "c"]) await sessions.establish(browser(), signedIn("alice", `refresh-${name}`));
    calls.length = 0;

    expect(await sessions.liveSessionsOf("alice")).toHaveLength(3);
    expect(calls).toEqual(["queryByIndex", "getMany"]);
  });

  it("reads the activity of more than 100 sessions in batches of 100 (BatchGetItem's limit), missing none", async () => {
    const { calls, sessions, browser } = countedSetUp();
    for (let index = 0; index < 101; index += 1) await sessions.establish(browser(), signedIn("alice", `refresh-${index}`));
    calls.length = 0;

    expect(await sessions.liveSessionsOf("alice")).toHaveLength(101);
    expect(calls).toEqual(["queryByIndex", "getMany", "getMany"]);
  });

  it("makes no activity read for a user without sessions", async () => {
    const { calls, sessions } = countedSetUp();

    expect(await sessions.liveSessionsOf("alice")).toEqual([]);
    expect(calls).toEqual(["queryByIndex"]);
  });
});

describe("renewing the session id at a step-up", () => {
  it("moves the session to a new id with what the step-up proved; the old id is signed out and its pending sign-in gone", async () => {
    const { sessions, browser, copyOf, sidOf } = setUp();
    const laptop = browser();
    await sessions.establish(laptop, signedIn("alice"));
    const before = copyOf(laptop);
    (laptop.session as Record<string, unknown>).challenge = "webauthn-handle";

    await sessions.renewAuthenticated(laptop, { ...signedIn("alice"), factorProvedAt: now() });

    expect(sidOf(laptop)).not.toBe(sidOf(before));
    expect((laptop.session as Record<string, unknown>).challenge).toBe("webauthn-handle");
    expect((await sessions.readAuthenticated(laptop))?.factorProvedAt).toBe(now());
    expect(await sessions.readAuthenticated(before)).toBeUndefined();
  });

  it("does not bring back a session signed out meanwhile", async () => {
    const { sessions, browser, copyOf, sidOf } = setUp();
    const laptop = browser();
    await sessions.establish(laptop, signedIn("alice"));
    const stepUp = copyOf(laptop);
    await sessions.end(laptop);

    await sessions.renewAuthenticated(stepUp, signedIn("alice"));

    expect(await sessions.readAuthenticated(stepUp)).toBeUndefined();
    expect(await sessions.listFor("alice")).toEqual([]);
    expect(sidOf(stepUp)).toBeDefined();
  });

  it("does nothing for a browser without a session id", async () => {
    const { sessions, browser } = setUp();
    const stranger = browser();

    await sessions.renewAuthenticated(stranger, signedIn("alice"));

    expect(stranger.session).toEqual({});
    expect(await sessions.listFor("alice")).toEqual([]);
  });

  it("deletes a pending sign-in left under the old id", async () => {
    const { sessions, store, browser, copyOf, sidOf } = setUp();
    const laptop = browser();
    await sessions.establish(laptop, signedIn("alice"));
    const oldKey = sessionStoreKey(sidOf(laptop));
    await store.put("signin", oldKey, { ...pendingSignIn(), version: 1 }, { ttlSeconds: 600 });
    const before = copyOf(laptop);

    await sessions.renewAuthenticated(laptop, signedIn("alice"));

    expect(await sessions.readPending(before)).toBeUndefined();
  });
});

describe("requests without a usable session id", () => {
  it("reads no session from a cookie id that this BFF does not issue, even if a record is stored under it", async () => {
    const { store, config, sessions } = setUp();
    for (const sid of ["short", "x".repeat(44), `${"a".repeat(42)}=`]) {
      await store.put(sessionKind, sessionStoreKey(sid), sealSession(sid, signedIn("alice"), config.cookie.keys), { ttlSeconds: 600, index: "alice" });
      expect(await sessions.readAuthenticated({ session: { sid } } as unknown as Request)).toBeUndefined();
    }
  });

  it("reads nothing from a non-string cookie id", async () => {
    const { sessions } = setUp();
    expect(await sessions.readAuthenticated({ session: { sid: 42 } } as unknown as Request)).toBeUndefined();
    expect(await sessions.readPending({ session: { sid: ["a".repeat(43)] } } as unknown as Request)).toBeUndefined();
  });

  it("reads nothing from a request whose cookie session was cleared", async () => {
    const { sessions } = setUp();
    expect(await sessions.readAuthenticated({ session: null } as unknown as Request)).toBeUndefined();
  });

  it("ends nothing and clears the cookie of a browser that has no session id", async () => {
    const { sessions, browser } = setUp();
    const stranger = browser();

    expect(await sessions.end(stranger)).toBeUndefined();

    expect(stranger.session).toBeNull();
  });

  it("saves no refreshed tokens for a browser without a session id", async () => {
    const { sessions, browser } = setUp();
    await sessions.updateAuthenticated(browser(), signedIn("alice"));
    expect(await sessions.listFor("alice")).toEqual([]);
  });

  it("knows no user for an email nobody signed in with", async () => {
    const { sessions } = setUp();
    expect(await sessions.subForEmail("nobody@example.com")).toBeUndefined();
  });
});
