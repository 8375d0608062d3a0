import type { Request } from "express";
import { describe, expect, it } from "vitest";
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
