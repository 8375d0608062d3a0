import type { Request } from "express";
import { describe, expect, it, vi } from "vitest";
import type { CognitoGateway, CustomChallenge } from "../../../bff/cognito/cognito-gateway";
import type { CognitoTokenVerifier } from "../../../bff/cognito/cognito-token-verifier";
import { loadBffConfig } from "../../../bff/config";
import { ApiError } from "../../../bff/errors";
import { createLogger } from "../../../bff/logger";
import { createSessionManager } from "../../../bff/session/session-manager";
import { createSignInService, type SignInDeps } from "../../../bff/signin/sign-in-service";
import { memoryStore } from "../../support/memory-store";

const provideRound = (session: string): CustomChallenge => ({ session, username: "internal-uuid", parameters: { step: "PROVIDE_AUTH_PARAMETERS" } });
const otpRound = (session: string): CustomChallenge => ({
  session,
  username: "internal-uuid",
  parameters: { step: "OTP", destination: "a***@e***.com", attemptsLeft: "3" },
});

function setUp(overrides: Partial<SignInDeps> = {}) {
  // No cool-down between codes here: resend-cooldown.test.ts covers it.
  const config = loadBffConfig({ OTP_RESEND_COOLDOWN_SECONDS: "0" });
  let round = 0;
  const cognito = {
    revokeToken: vi.fn(async () => undefined),
    startCustomAuth: vi.fn(async () => provideRound(`provide-session-${(round += 1)}`)),
    startCustomAuthWithPassword: vi.fn(async () => provideRound(`provide-session-${(round += 1)}`)),
    respondToCustomChallenge: vi.fn(async ({ answer }: { answer: string }) => {
      if (answer === "PROVIDE" || answer === "RESEND") return { type: "challenge" as const, challenge: otpRound(`otp-session-${(round += 1)}`) };
      return { type: "tokens" as const, tokens: { idToken: "id-token", accessToken: "access-token", refreshToken: "refresh-token", expiresIn: 3600 } };
    }),
  };
  const verifier: CognitoTokenVerifier = {
    verifyIdToken: async () => ({ sub: "sub-1", email: "a@example.com", "cognito:username": "internal-uuid", auth_time: 1_700_000_000 }),
    verifyAccessToken: async () => ({}),
    ping: async () => undefined,
  };
  const sessions = createSessionManager({ store: memoryStore(), config });
  const service = createSignInService({
    config,
    cognito: cognito as unknown as CognitoGateway,
    verifier,
    sessions,
    logger: createLogger("silent"),
    ...overrides,
  });
  const req = { session: {} } as unknown as Request;
  return { service, cognito, sessions, req };
}

describe("the sign-in service's seams for passkeys and the OpenID Provider", () => {
  it("answers next:choose without sending a code when the user has more than one method", async () => {
    const { service, cognito, req } = setUp({ signInMethodsFor: async () => ["passkey", "otp"] });
    const answer = await service.start(req, { email: "a@example.com", password: "pw" });
    expect(answer).toEqual({ next: "choose", methods: ["passkey", "otp"] });
    expect(cognito.respondToCustomChallenge).not.toHaveBeenCalled();
  });

  it("sends the first code when the user chooses otp, answering the waiting PROVIDE round", async () => {
    const { service, cognito, req } = setUp({ signInMethodsFor: async () => ["passkey", "otp"] });
    await service.start(req, { email: "a@example.com", password: "pw" });
    const answer = await service.sendCode(req);
    expect(answer).toEqual({ next: "otp", delivery: { medium: "EMAIL", destination: "a***@e***.com" }, resendAvailableInSeconds: 0, resendsLeft: 3 });
    expect(cognito.respondToCustomChallenge).toHaveBeenCalledWith({
      username: "internal-uuid",
      session: "provide-session-1",
      answer: "PROVIDE",
      clientMetadata: { signInMethod: "OTP" },
    });
    expect(cognito.startCustomAuthWithPassword).toHaveBeenCalledTimes(1);
    expect(cognito.startCustomAuth).not.toHaveBeenCalled();
  });

  it("does not count the chosen first code as a resend", async () => {
    const { service, req } = setUp({ signInMethodsFor: async () => ["passkey", "otp"] });
    await service.start(req, { email: "a@example.com", password: "pw" });
    await service.sendCode(req);
    for (let resend = 0; resend < 3; resend += 1) await service.sendCode(req);
    await expect(service.sendCode(req)).rejects.toMatchObject({ code: "limit_exceeded" });
  });

  it("never starts a password-less CUSTOM_AUTH for a code: an expired waiting round is session_expired", async () => {
    const { service, cognito, req } = setUp({ signInMethodsFor: async () => ["passkey", "otp"] });
    await service.start(req, { email: "a@example.com", password: "pw" });
    cognito.respondToCustomChallenge.mockRejectedValueOnce(new ApiError(401, "session_expired", "expired"));
    await expect(service.sendCode(req)).rejects.toMatchObject({ code: "session_expired" });
    expect(cognito.startCustomAuth).not.toHaveBeenCalled();
  });

  it("resends by answering the waiting OTP round with RESEND, within the same attempt", async () => {
    const { service, cognito, req } = setUp();
    await service.start(req, { email: "a@example.com", password: "pw" });
    await service.sendCode(req);
    expect(cognito.respondToCustomChallenge).toHaveBeenLastCalledWith({
      username: "internal-uuid",
      session: "otp-session-2",
      answer: "RESEND",
      clientMetadata: { codeResend: "true" },
    });
    expect(cognito.startCustomAuth).not.toHaveBeenCalled();
  });

  it("refuses a code before one was sent", async () => {
    const { service, req } = setUp({ signInMethodsFor: async () => ["passkey", "otp"] });
    await service.start(req, { email: "a@example.com", password: "pw" });
    await expect(service.submitCode(req, "123456")).rejects.toMatchObject({ status: 400, code: "bad_request" });
  });

  it("sends the browser where completionRedirect says (the provider's interaction later)", async () => {
    const { service, req } = setUp({ completionRedirect: async () => "/oidc/interaction/abc/login" });
    await service.start(req, { email: "a@example.com", password: "pw" });
    expect(await service.submitCode(req, "123456")).toEqual({ next: "done", redirectTo: "/oidc/interaction/abc/login" });
  });

  it("checks the password inside CUSTOM_AUTH (SRP), never with USER_PASSWORD_AUTH", async () => {
    const { service, cognito, req } = setUp();
    await service.start(req, { email: "a@example.com", password: "pw" });
    expect(cognito.startCustomAuthWithPassword).toHaveBeenCalledWith({ email: "a@example.com", password: "pw" });
    expect(cognito).not.toHaveProperty("passwordAuth");
  });

  it("records amr pwd+otp+mfa and the ID token's auth_time", async () => {
    const { service, sessions, req } = setUp();
    await service.start(req, { email: "a@example.com", password: "pw" });
    await service.submitCode(req, "123456");
    expect(await sessions.readAuthenticated(req)).toMatchObject({ amr: ["pwd", "otp", "mfa"], authTime: 1_700_000_000, sub: "sub-1" });
  });
});

describe("answers of one pending sign-in are serialized (Cognito's Session is single-use)", () => {
  it("answers a round whose lease lapsed (its holder died) at once", async () => {
    const { service, cognito, sessions, req } = setUp();
    await service.start(req, { email: "a@example.com", password: "pw" });
    await sessions.updatePending(req, (current) => ({ ...current, answerLease: { id: "dead-holder", until: Date.now() - 1 } }) as typeof current);
    await expect(service.submitCode(req, "123456")).resolves.toMatchObject({ next: "done" });
    expect(cognito.respondToCustomChallenge).toHaveBeenLastCalledWith(expect.objectContaining({ answer: "123456" }));
  });

  it("waits while another answer holds the round, then answers the round that one stored", async () => {
    const { service, cognito, sessions, req } = setUp();
    await service.start(req, { email: "a@example.com", password: "pw" });
    await sessions.updatePending(req, (current) => ({ ...current, answerLease: { id: "other-answer", until: Date.now() + 60_000 } }) as typeof current);
    const answering = service.submitCode(req, "123456");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(cognito.respondToCustomChallenge).not.toHaveBeenCalledWith(expect.objectContaining({ answer: "123456" }));
    // The other answer stores its next round and gives the lease back.
    await sessions.updatePending(req, (current) => {
      const { answerLease: _released, ...rest } = current as typeof current & { answerLease?: unknown };
      return { ...rest, cognitoSession: "otp-session-newer" };
    });
    await expect(answering).resolves.toMatchObject({ next: "done" });
    expect(cognito.respondToCustomChallenge).toHaveBeenLastCalledWith(expect.objectContaining({ session: "otp-session-newer", answer: "123456" }));
  });
});

describe("a pending sign-in begun before a password reset dies with it", () => {
  it("refuses its code with session_expired and ends it, without asking Cognito", async () => {
    const { service, cognito, sessions, req } = setUp({ passwordResets: { lastForEmailWith: async () => ({ at: Date.now() + 2000, others: [] }) } });
    await service.start(req, { email: "a@example.com", password: "pw" });
    const calls = cognito.respondToCustomChallenge.mock.calls.length;
    await expect(service.submitCode(req, "123456")).rejects.toMatchObject({ status: 401, code: "session_expired" });
    expect(cognito.respondToCustomChallenge).toHaveBeenCalledTimes(calls);
    expect(await sessions.readPending(req)).toBeUndefined();
  });

  it("refuses a resend with session_expired", async () => {
    const { service, req } = setUp({ passwordResets: { lastForEmailWith: async () => ({ at: Date.now() + 2000, others: [] }) } });
    await service.start(req, { email: "a@example.com", password: "pw" });
    await expect(service.sendCode(req)).rejects.toMatchObject({ status: 401, code: "session_expired" });
  });

  it("refuses a sign-in whose password check began in the same second as the reset, before it", async () => {
    let resetAt = 0;
    const { service, sessions, req } = setUp({ passwordResets: { lastForEmailWith: async () => ({ at: resetAt, others: [] }) } });
    await service.start(req, { email: "a@example.com", password: "pw" });
    const pending = (await sessions.readPending(req))!;
    // The reset lands within the second the sign-in began, after its password check started.
    resetAt = Math.max(pending.passwordCheckStartedAtMs!, pending.startedAt * 1000 + 999);
    await expect(service.submitCode(req, "123456")).rejects.toMatchObject({ status: 401, code: "session_expired" });
  });

  it("keeps a sign-in whose password check began after the reset, within the same second", async () => {
    let resetAt = 0;
    const { service, sessions, req } = setUp({ passwordResets: { lastForEmailWith: async () => ({ at: resetAt, others: [] }) } });
    await service.start(req, { email: "a@example.com", password: "pw" });
    resetAt = (await sessions.readPending(req))!.passwordCheckStartedAtMs! - 1;
    await expect(service.submitCode(req, "123456")).resolves.toMatchObject({ next: "done" });
  });

  it("keeps a sign-in begun after the last reset", async () => {
    const { service, req } = setUp({ passwordResets: { lastForEmailWith: async () => ({ at: Date.now() - 5000, others: [] }) } });
    await service.start(req, { email: "a@example.com", password: "pw" });
    await expect(service.submitCode(req, "123456")).resolves.toMatchObject({ next: "done" });
  });
});
