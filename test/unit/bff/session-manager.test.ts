import type { Request } from "express";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadBffConfig } from "../../../bff/config";
import { createSessionManager } from "../../../bff/session/session-manager";
import type { AuthenticatedSession, PendingSignIn } from "../../../bff/session/session-records";
import { memoryStore } from "../../support/memory-store";

function setUp() {
  const sessions = createSessionManager({ store: memoryStore(), config: loadBffConfig({}) });
  return { sessions, req: () => ({ session: {} }) as unknown as Request };
}

const now = () => Math.floor(Date.now() / 1000);

const signedIn = (): AuthenticatedSession => ({
  sub: "sub-1",
  email: "a@example.com",
  username: "internal-1",
  amr: ["pwd", "otp", "mfa"],
  authTime: now(),
  tokens: { idToken: "id", accessToken: "access", refreshToken: "refresh", accessTokenExpiresAt: now() + 3600 },
  createdAt: now(),
  expiresAt: now() + 3600,
});

const pendingSignIn = (): Omit<PendingSignIn, "version"> => ({
  email: "a@example.com",
  username: "internal-1",
  cognitoSession: "round-1",
  step: "otp",
  methods: ["otp"],
  failedCodes: 0,
  resends: 0,
  passwordVerifiedAt: now(),
  startedAt: now(),
});

describe("the session manager under concurrent requests", () => {
  it("leaves a session ended when a token refresh finishes after the logout", async () => {
    const { sessions, req } = setUp();
    const browser = req();
    await sessions.establish(browser, signedIn());
    const session = (await sessions.readAuthenticated(browser))!;
    const otherTab = { session: { ...browser.session } } as unknown as Request;

    await sessions.end(otherTab);
    await sessions.updateAuthenticated(browser, { ...session, tokens: { ...session.tokens, accessToken: "refreshed" } });

    expect(await sessions.readAuthenticated(browser)).toBeUndefined();
  });

  it("saves a refresh while the session is live", async () => {
    const { sessions, req } = setUp();
    const browser = req();
    await sessions.establish(browser, signedIn());
    const session = (await sessions.readAuthenticated(browser))!;
    await sessions.updateAuthenticated(browser, { ...session, tokens: { ...session.tokens, accessToken: "refreshed" } });
    expect((await sessions.readAuthenticated(browser))?.tokens.accessToken).toBe("refreshed");
  });

  it("re-applies an update to the newer record when another request wrote in between (no lost update)", async () => {
    const store = memoryStore();
    const sessions = createSessionManager({ store, config: loadBffConfig({}) });
    const browser = { session: {} } as unknown as Request;
    await sessions.savePending(browser, pendingSignIn());
    const get = store.get.bind(store);
    let interleaved = false;
    // A concurrent resend's write lands right after the first read of the update below.
    store.get = async <T>(kind: string, id: string) => {
      const value = await get<T>(kind, id);
      if (!interleaved) {
        interleaved = true;
        await sessions.updatePending(browser, (other) => ({ ...other, resends: other.resends + 1 }));
      }
      return value;
    };
    let calls = 0;

    const written = await sessions.updatePending(browser, (current) => {
      calls += 1;
      return { ...current, failedCodes: current.failedCodes + 1 };
    });

    expect(calls).toBe(2);
    expect(written).toMatchObject({ failedCodes: 1, resends: 1 });
    expect(await sessions.readPending(browser)).toMatchObject({ failedCodes: 1, resends: 1 });
  });

  it("does not recreate a pending sign-in that ended meanwhile: updatePending answers undefined", async () => {
    const { sessions, req } = setUp();
    const browser = req();
    await sessions.savePending(browser, pendingSignIn());
    await sessions.clearPending(browser);

    expect(await sessions.updatePending(browser, (current) => ({ ...current, failedCodes: current.failedCodes + 1 }))).toBeUndefined();
    expect(await sessions.readPending(browser)).toBeUndefined();
  });
});

describe("session ids at a privilege change", () => {
  const planted = "p".repeat(43);

  it("moves the browser to a new id at the password step: the id it had before reads nothing", async () => {
    const { sessions } = setUp();
    const browser = { session: { sid: planted } } as unknown as Request;
    await sessions.savePending(browser, pendingSignIn());

    expect((browser.session as { sid: string }).sid).not.toBe(planted);
    expect(await sessions.readPending(browser)).toBeDefined();
    const plantedCookie = { session: { sid: planted } } as unknown as Request;
    expect(await sessions.readPending(plantedCookie)).toBeUndefined();
  });

  it("carries a signed-in session to the new id at the password step; the old id is signed out", async () => {
    const { sessions, req } = setUp();
    const browser = req();
    await sessions.establish(browser, signedIn());
    const before = { session: { ...browser.session } } as unknown as Request;
    await sessions.savePending(browser, pendingSignIn());

    expect((await sessions.readAuthenticated(browser))?.sub).toBe("sub-1");
    expect(await sessions.readAuthenticated(before)).toBeUndefined();
  });

  it("moves the browser to a new id when the sign-in completes: the pending id reads nothing", async () => {
    const { sessions, req } = setUp();
    const browser = req();
    await sessions.savePending(browser, pendingSignIn());
    const pendingId = { session: { ...browser.session } } as unknown as Request;
    await sessions.establish(browser, signedIn());

    expect(await sessions.readAuthenticated(pendingId)).toBeUndefined();
    expect(await sessions.readPending(pendingId)).toBeUndefined();
    expect((await sessions.readAuthenticated(browser))?.sub).toBe("sub-1");
  });
});

describe("the idle timeout", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  function idleSetUp(idleSeconds: number) {
    vi.useFakeTimers({ toFake: ["Date"] });
    const store = memoryStore();
    const sessions = createSessionManager({ store, config: loadBffConfig({ SESSION_IDLE_TIMEOUT_SECONDS: String(idleSeconds) }) });
    return { sessions, store };
  }

  it("signs out a session left unused for the idle timeout, long before its absolute expiry", async () => {
    const { sessions } = idleSetUp(600);
    const browser = { session: {} } as unknown as Request;
    await sessions.establish(browser, { ...signedIn(), expiresAt: now() + 8 * 3600 });
    expect(await sessions.readAuthenticated(browser)).toBeDefined();

    vi.setSystemTime(Date.now() + 601_000);

    expect(await sessions.readAuthenticated(browser)).toBeUndefined();
    expect(await sessions.listFor("sub-1")).toEqual([]);
  });

  it("keeps a session in use past the idle timeout, and another process sees its activity", async () => {
    const { sessions, store } = idleSetUp(600);
    const browser = { session: {} } as unknown as Request;
    await sessions.establish(browser, { ...signedIn(), expiresAt: now() + 8 * 3600 });
    for (let minute = 0; minute < 30; minute += 2) {
      vi.setSystemTime(Date.now() + 120_000);
      expect(await sessions.readAuthenticated(browser)).toBeDefined();
    }
    const otherProcess = createSessionManager({ store, config: loadBffConfig({ SESSION_IDLE_TIMEOUT_SECONDS: "600" }) });
    vi.setSystemTime(Date.now() + 300_000);
    expect(await otherProcess.readAuthenticated(browser)).toBeDefined();
  });
});
