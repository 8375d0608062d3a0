import type { Request } from "express";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadBffConfig } from "../../../bff/config";
import { createSessionManager } from "../../../bff/session/session-manager";
import type { AuthenticatedSession, StoredSession } from "../../../bff/session/session-records";
import { openSession, sessionStoreKey } from "../../../bff/session/token-sealing";
import { memoryStore } from "../../support/memory-store";
import { signedInRecord, pendingSignInRecord } from "../../support/session-fixtures";

function setUp() {
  const sessions = createSessionManager({ store: memoryStore(), config: loadBffConfig({}) });
  return { sessions, req: () => ({ session: {} }) as unknown as Request };
}

const now = () => Math.floor(Date.now() / 1000);

const signedIn = (): AuthenticatedSession => signedInRecord({ email: "a@example.com", username: "internal-1" });

const pendingSignIn = () => pendingSignInRecord();

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

describe("Cognito's tokens at rest", () => {
  const tokenTexts = ["id-token-text", "access-token-text", "refresh-token-text"];
  const withTokens = (): AuthenticatedSession => ({
    ...signedIn(),
    tokens: { idToken: tokenTexts[0]!, accessToken: tokenTexts[1]!, refreshToken: tokenTexts[2]!, accessTokenExpiresAt: now() + 3600 },
  });
  const sidOf = (browser: Request) => (browser.session as { sid: string }).sid;

  function sealedSetUp() {
    const store = memoryStore();
    const sessions = createSessionManager({ store, config: loadBffConfig({}) });
    return { store, sessions };
  }

  it("keeps no token text in the stored record, and opens the tokens with the browser's cookie", async () => {
    const { store, sessions } = sealedSetUp();
    const browser = { session: {} } as unknown as Request;
    await sessions.establish(browser, withTokens());

    const record = await store.get<Record<string, unknown>>("session", sessionStoreKey(sidOf(browser)));
    const stored = JSON.stringify(record);
    for (const text of tokenTexts) expect(stored).not.toContain(text);
    expect(record).not.toHaveProperty("tokens");
    expect((await sessions.readAuthenticated(browser))?.tokens).toMatchObject({ idToken: tokenTexts[0], accessToken: tokenTexts[1], refreshToken: tokenTexts[2] });
  });

  it("does not open a record copied under another session id (the sealed tokens are bound to their id and record)", async () => {
    const { store, sessions } = sealedSetUp();
    const victim = { session: {} } as unknown as Request;
    const attacker = { session: {} } as unknown as Request;
    await sessions.establish(victim, withTokens());
    await sessions.establish(attacker, { ...signedIn(), sub: "attacker" });

    const victimRecord = await store.get("session", sessionStoreKey(sidOf(victim)));
    await store.put("session", sessionStoreKey(sidOf(attacker)), victimRecord, { ttlSeconds: 600 });

    expect(await sessions.readAuthenticated(attacker)).toBeUndefined();
    expect(openSession(sidOf(attacker), victimRecord as StoredSession)).toBeUndefined();
  });

  it("detects a sealed value that was altered", async () => {
    const { store, sessions } = sealedSetUp();
    const browser = { session: {} } as unknown as Request;
    await sessions.establish(browser, withTokens());
    const key = sessionStoreKey(sidOf(browser));
    const record = (await store.get<StoredSession>("session", key))!;
    const [version, iv, ciphertext, tag] = record.sealedTokens.split(".");
    const flipped = Buffer.from(ciphertext!, "base64url");
    flipped[0] = flipped[0]! ^ 1;
    await store.put("session", key, { ...record, sealedTokens: [version, iv, flipped.toString("base64url"), tag].join(".") }, { ttlSeconds: 600 });

    expect(await sessions.readAuthenticated(browser)).toBeUndefined();
  });

  it("treats a record written before tokens were sealed (clear tokens) as signed out", async () => {
    const { store, sessions } = sealedSetUp();
    const browser = { session: { sid: "o".repeat(43) } } as unknown as Request;
    await store.put("session", sessionStoreKey("o".repeat(43)), withTokens(), { ttlSeconds: 600, index: "sub-1" });

    expect(await sessions.readAuthenticated(browser)).toBeUndefined();
  });

  it("gives a session ended from elsewhere only its refresh token, opened with any of the cookie keys (rotation)", async () => {
    const store = memoryStore();
    const oldKey = "an-old-cookie-key-of-32-characters-0000";
    const before = createSessionManager({ store, config: { ...loadBffConfig({}), cookie: { ...loadBffConfig({}).cookie, keys: [oldKey] } } });
    await before.establish({ session: {} } as unknown as Request, withTokens());
    const after = createSessionManager({
      store,
      config: { ...loadBffConfig({}), cookie: { ...loadBffConfig({}).cookie, keys: ["a-new-cookie-key-of-32-characters-00000", oldKey] } },
    });

    const [ended] = await after.endAllSessionsFor("sub-1");
    expect(ended).toMatchObject({ sub: "sub-1", refreshToken: tokenTexts[2] });
    expect(JSON.stringify(ended)).not.toContain(tokenTexts[1]);
    expect(JSON.stringify(ended)).not.toContain(tokenTexts[0]);
  });
});
