import type { Request } from "express";
import { describe, expect, it } from "vitest";
import { loadBffConfig } from "../../../bff/config";
import { createSessionManager } from "../../../bff/session/session-manager";
import type { AuthenticatedSession, PendingSignIn } from "../../../bff/session/session-records";
import { createPendingSignIns, resendTiming } from "../../../bff/signin/pending-sign-in";
import { memoryStore } from "../../support/memory-store";

/** GET and DELETE /api/signin, and which error a step without a pending sign-in gets. */

function setUp() {
  const config = loadBffConfig({ OTP_RESEND_COOLDOWN_SECONDS: "30" });
  const sessions = createSessionManager({ store: memoryStore(), config });
  const pending = createPendingSignIns({ sessions, config });
  const now = Math.floor(Date.now() / 1000);
  const record: Omit<PendingSignIn, "version"> = {
    email: "a@example.com",
    username: "internal-uuid",
    cognitoSession: "provide",
    step: "choose",
    methods: ["passkey", "otp"],
    failedCodes: 0,
    resends: 0,
    passwordVerifiedAt: now,
    startedAt: now,
  };
  return { config, sessions, pending, record, now };
}

const freshRequest = () => ({ session: {} }) as unknown as Request;

describe("the pending sign-in as the browser sees it", () => {
  it("answers pending:false to a browser that started none", async () => {
    const { pending } = setUp();
    await expect(pending.status(freshRequest())).resolves.toEqual({ pending: false });
  });

  it("answers the choose step with its methods", async () => {
    const { pending, sessions, record } = setUp();
    const req = freshRequest();
    await sessions.savePending(req, record);
    await expect(pending.status(req)).resolves.toEqual({ pending: true, next: "choose", methods: ["passkey", "otp"] });
  });

  it("answers the code step with where the code went and when another may be sent", async () => {
    const { pending, sessions, record, now } = setUp();
    const req = freshRequest();
    const delivery = { medium: "EMAIL" as const, destination: "a***@e***.com" };
    await sessions.savePending(req, { ...record, step: "otp", delivery, codeSentAt: now - 10, resends: 1 });
    const status = await pending.status(req);
    expect(status).toMatchObject({ pending: true, next: "otp", delivery, resendsLeft: 2 });
    expect((status as { resendAvailableInSeconds: number }).resendAvailableInSeconds).toBeGreaterThanOrEqual(19);
  });

  it("ends the pending sign-in on cancel, and leaves a signed-in session alone", async () => {
    const { pending, sessions, record } = setUp();
    const req = freshRequest();
    await sessions.savePending(req, record);
    await pending.cancel(req);
    expect(await sessions.readPending(req)).toBeUndefined();
    await expect(pending.cancel(freshRequest())).resolves.toBeUndefined();
  });

  it("says no_pending_signin, not session_expired, to a browser that never started a sign-in", async () => {
    const { pending } = setUp();
    await expect(pending.missing(freshRequest())).resolves.toMatchObject({ status: 400, code: "no_pending_signin" });
  });

  it("says no_pending_signin to a browser that has finished signing in", async () => {
    const { pending, sessions, now } = setUp();
    const req = freshRequest();
    const session = {
      sub: "s",
      email: "a@example.com",
      username: "u",
      amr: [],
      authTime: now,
      createdAt: now,
      expiresAt: now + 3600,
      tokens: { idToken: "id", accessToken: "access", refreshToken: "refresh", accessTokenExpiresAt: now + 3600 },
    } as unknown as AuthenticatedSession;
    await sessions.establish(req, session);
    await expect(pending.missing(req)).resolves.toMatchObject({ code: "no_pending_signin" });
  });

  it("says session_expired to a browser whose sign-in was started and is gone", async () => {
    const { pending, sessions, record } = setUp();
    const req = freshRequest();
    await sessions.savePending(req, record);
    await sessions.clearPending(req);
    await expect(pending.missing(req)).resolves.toMatchObject({ status: 401, code: "session_expired" });
  });
});

describe("resend timing", () => {
  it("counts the cool-down from the last code and never goes below zero", () => {
    const { config } = setUp();
    expect(resendTiming({ resends: 0, codeSentAt: 1000 }, config.signIn, 1010)).toEqual({ resendAvailableInSeconds: 20, resendsLeft: 3 });
    expect(resendTiming({ resends: 3, codeSentAt: 1000 }, config.signIn, 2000)).toEqual({ resendAvailableInSeconds: 0, resendsLeft: 0 });
    expect(resendTiming({ resends: 0 }, config.signIn, 1000)).toEqual({ resendAvailableInSeconds: 0, resendsLeft: 3 });
  });
});
