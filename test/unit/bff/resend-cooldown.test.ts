import type { Request } from "express";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CognitoGateway, CustomChallenge } from "../../../bff/cognito/cognito-gateway";
import type { CognitoTokenVerifier } from "../../../bff/cognito/cognito-token-verifier";
import { loadBffConfig } from "../../../bff/config";
import { createLogger } from "../../../bff/logger";
import { createSessionManager } from "../../../bff/session/session-manager";
import { createSignInService } from "../../../bff/signin/sign-in-service";
import { memoryStore } from "../../support/memory-store";

/**
 * The cool-down between two codes of one sign-in (OTP_RESEND_COOLDOWN_SECONDS): a burst of
 * resends sends one mail, the answer says how long to wait, and the cap on resends holds
 * however many requests race.
 */

const otpRound = (session: string): CustomChallenge => ({ session, username: "internal-uuid", parameters: { step: "OTP", destination: "a***@e***.com" } });

function setUp(env: Record<string, string> = {}) {
  const config = loadBffConfig({ OTP_RESEND_COOLDOWN_SECONDS: "30", ...env });
  let round = 0;
  const cognito = {
    revokeToken: vi.fn(async () => undefined),
    startCustomAuth: vi.fn(async () => ({ session: `provide-${(round += 1)}`, username: "internal-uuid", parameters: { step: "PROVIDE_AUTH_PARAMETERS" } })),
    // The password is checked by SRP inside CUSTOM_AUTH; the round after it asks for the method.
    startCustomAuthWithPassword: vi.fn(async () => ({ session: `provide-${(round += 1)}`, username: "internal-uuid", parameters: { step: "PROVIDE_AUTH_PARAMETERS" } })),
    respondToCustomChallenge: vi.fn(async () => ({ type: "challenge" as const, challenge: otpRound(`otp-${(round += 1)}`) })),
  };
  const verifier = {} as CognitoTokenVerifier;
  const sessions = createSessionManager({ store: memoryStore(), config });
  const service = createSignInService({ config, cognito: cognito as unknown as CognitoGateway, verifier, sessions, logger: createLogger("silent") });
  const req = { session: {} } as unknown as Request;
  /** Codes the "trigger" sent: each OTP round started by answering PROVIDE. */
  const codesSent = () => cognito.respondToCustomChallenge.mock.calls.length;
  return { service, req, codesSent };
}

describe("the cool-down between codes of one sign-in", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-01-01T10:00:00Z"));
  });
  afterEach(() => vi.useRealTimers());

  it("says when the next code may be asked for and how many more are allowed, with the first code", async () => {
    const { service, req } = setUp();
    await expect(service.start(req, { email: "a@example.com", password: "pw" })).resolves.toMatchObject({
      next: "otp",
      resendAvailableInSeconds: 30,
      resendsLeft: 3,
    });
  });

  it("refuses a resend inside the cool-down with 429 resend_too_soon, the seconds left and Retry-After, and sends nothing", async () => {
    const { service, req, codesSent } = setUp();
    await service.start(req, { email: "a@example.com", password: "pw" });
    const sent = codesSent();
    vi.setSystemTime(new Date("2026-01-01T10:00:12Z"));
    const refusal = await service.sendCode(req).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ status: 429, code: "resend_too_soon", extra: { retryAfterSeconds: 18 }, headers: { "Retry-After": "18" } });
    expect(codesSent()).toBe(sent);
  });

  it("sends one code for a burst of resends (four clicks in two seconds)", async () => {
    const { service, req, codesSent } = setUp();
    await service.start(req, { email: "a@example.com", password: "pw" });
    vi.setSystemTime(new Date("2026-01-01T10:00:31Z"));
    const before = codesSent();
    const outcomes = await Promise.allSettled([service.sendCode(req), service.sendCode(req), service.sendCode(req), service.sendCode(req)]);
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    expect(codesSent()).toBe(before + 1);
  });

  it("allows a resend once the cool-down is over and starts it again", async () => {
    const { service, req } = setUp();
    await service.start(req, { email: "a@example.com", password: "pw" });
    vi.setSystemTime(new Date("2026-01-01T10:00:30Z"));
    await expect(service.sendCode(req)).resolves.toMatchObject({ next: "otp", resendAvailableInSeconds: 30, resendsLeft: 2 });
  });

  it("holds the cap on resends under a race: never more codes than allowed", async () => {
    const { service, req, codesSent } = setUp({ OTP_RESEND_COOLDOWN_SECONDS: "0" });
    await service.start(req, { email: "a@example.com", password: "pw" });
    const before = codesSent();
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => service.sendCode(req)));
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(3);
    expect(outcomes.find((outcome) => outcome.status === "rejected")).toMatchObject({ reason: { code: "limit_exceeded" } });
    expect(codesSent()).toBe(before + 3);
  });
});
