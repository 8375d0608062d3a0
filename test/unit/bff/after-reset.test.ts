import { describe, expect, it, vi } from "vitest";
import { endAccessAfterReset } from "../../../bff/password/after-reset";
import { createPasswordResets } from "../../../bff/password/password-resets";
import type { SessionManager } from "../../../bff/session/session-manager";
import type { EndedSession } from "../../../bff/session/session-records";
import { memoryStore } from "../../support/memory-store";

/**
 * What a password reset does besides ending sessions (docs/architecture.md, "After a password
 * reset"): it records the reset, calls Cognito's AdminUserGlobalSignOut with the reset's email,
 * else GlobalSignOut with an access token refreshed from an ended session's refresh token (the
 * only token readable without that session's browser), and revokes the refresh tokens it knows
 * when both fail.
 */

const now = () => Math.floor(Date.now() / 1000);
function session(name: string | undefined): EndedSession {
  return {
    sub: "sub-1",
    email: "ada@example.com",
    username: "sub-1",
    amr: ["pwd", "otp", "mfa"],
    authTime: now(),
    refreshToken: name === undefined ? undefined : `refresh-${name}`,
    createdAt: now(),
    expiresAt: now() + 3600,
  };
}

function setUp(live: EndedSession[], admin?: (username: string) => Promise<boolean>) {
  const store = memoryStore();
  const sessions = {
    subForEmail: vi.fn(async () => "sub-1"),
    endAllSessionsFor: vi.fn(async () => live.splice(0)),
  } as unknown as SessionManager;
  const signOut = { everySessionOf: vi.fn(async () => undefined) };
  const cognito = {
    globalSignOut: vi.fn(async (_token: string) => undefined),
    refreshTokens: vi.fn(async ({ refreshToken }: { refreshToken: string; username: string }) => ({
      idToken: "id",
      accessToken: refreshToken.replace("refresh-", "access-"),
      refreshToken,
      expiresIn: 3600,
    })),
    revokeToken: vi.fn(async (_token: string) => undefined),
    ...(admin === undefined ? {} : { adminUserGlobalSignOut: vi.fn(admin) }),
  };
  return { store, sessions, signOut, cognito, run: () => endAccessAfterReset({ store, sessions, signOut, cognito }, "Ada@Example.com") };
}

describe("after a password reset", () => {
  it("records the reset by sub and by email before anything else", async () => {
    const { store, run } = setUp([]);
    const before = Date.now();
    await run();
    const resets = createPasswordResets(store);
    expect(await resets.lastForSub("sub-1")).toBeGreaterThanOrEqual(before);
    expect(await resets.lastForEmail("ada@example.com")).toBeGreaterThanOrEqual(before);
  });

  it("signs the user out of Cognito everywhere by AdminUserGlobalSignOut with the reset's email, needing no session's token", async () => {
    const { cognito, signOut, run } = setUp([], async () => true);
    await run();
    expect(cognito.adminUserGlobalSignOut).toHaveBeenCalledWith("Ada@Example.com");
    expect(cognito.globalSignOut).not.toHaveBeenCalled();
    expect(cognito.revokeToken).not.toHaveBeenCalled();
    expect(signOut.everySessionOf).toHaveBeenCalledWith("sub-1");
  });

  it("falls back to GlobalSignOut with a session's tokens when AdminUserGlobalSignOut fails", async () => {
    const { cognito, run } = setUp([session("a")], async () => {
      throw new Error("AccessDeniedException");
    });
    await run();
    expect(cognito.globalSignOut).toHaveBeenCalledWith("access-a");
  });

  it("falls back to GlobalSignOut when Cognito does not know the email", async () => {
    const { cognito, run } = setUp([session("a")], async () => false);
    await run();
    expect(cognito.globalSignOut).toHaveBeenCalledWith("access-a");
  });

  it("signs the user out of Cognito everywhere with an access token refreshed from an ended session", async () => {
    const { cognito, signOut, run } = setUp([session("a")]);
    await run();
    expect(cognito.refreshTokens).toHaveBeenCalledWith({ refreshToken: "refresh-a", username: "sub-1" });
    expect(cognito.globalSignOut).toHaveBeenCalledWith("access-a");
    expect(cognito.revokeToken).not.toHaveBeenCalled();
    expect(signOut.everySessionOf).toHaveBeenCalledWith("sub-1");
  });

  it("skips a session whose refresh token does not open", async () => {
    const { cognito, run } = setUp([session(undefined), session("live")]);
    await run();
    expect(cognito.refreshTokens).toHaveBeenCalledTimes(1);
    expect(cognito.globalSignOut).toHaveBeenCalledWith("access-live");
  });

  it("tries the next session when one's tokens no longer work", async () => {
    const { cognito, run } = setUp([session("dead"), session("live")]);
    cognito.globalSignOut.mockImplementation(async (token: string) => {
      if (token === "access-dead") throw new Error("Access Token has been revoked");
    });
    await run();
    expect(cognito.globalSignOut).toHaveBeenLastCalledWith("access-live");
    expect(cognito.revokeToken).not.toHaveBeenCalled();
  });

  it("revokes the refresh tokens it knows when GlobalSignOut cannot be made", async () => {
    const { cognito, run } = setUp([session("a"), session("b")]);
    cognito.globalSignOut.mockRejectedValue(new Error("unavailable"));
    await run();
    expect(cognito.revokeToken.mock.calls.map(([token]) => token).sort()).toEqual(["refresh-a", "refresh-b"]);
  });
});
