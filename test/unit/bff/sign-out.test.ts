import type { Request } from "express";
import { describe, expect, it } from "vitest";
import type { CognitoGateway } from "../../../bff/cognito/cognito-gateway";
import { loadBffConfig } from "../../../bff/config";
import { ApiError } from "../../../bff/errors";
import { createLogger } from "../../../bff/logger";
import { createSessionManager } from "../../../bff/session/session-manager";
import type { AuthenticatedSession, PendingSignIn } from "../../../bff/session/session-records";
import { createSignOut } from "../../../bff/session/sign-out";
import { memoryStore } from "../../support/memory-store";

const now = () => Math.floor(Date.now() / 1000);

const signedIn = (sub: string, refreshToken: string): AuthenticatedSession => ({
  sub,
  email: `${sub}@example.com`,
  username: `internal-${sub}`,
  amr: ["pwd", "otp", "mfa"],
  authTime: now(),
  tokens: { idToken: "id", accessToken: "access", refreshToken, accessTokenExpiresAt: now() + 3600 },
  createdAt: now(),
  expiresAt: now() + 3600,
});

const pendingSignIn = (): Omit<PendingSignIn, "version"> => ({
  email: "victim@example.com",
  username: "internal-victim",
  cognitoSession: "round-1",
  step: "otp",
  methods: ["otp"],
  failedCodes: 0,
  resends: 0,
  passwordVerifiedAt: now(),
  startedAt: now(),
});

function setUp(revokeToken: (token: string) => Promise<void>) {
  const store = memoryStore();
  const sessions = createSessionManager({ store, config: loadBffConfig({}) });
  const lines: string[] = [];
  const logger = createLogger("info", { write: (line: string) => void lines.push(line) });
  const cognito = { revokeToken } as unknown as CognitoGateway;
  const signOut = createSignOut({ store, sessions, cognito, logger });
  const browser = () => ({ session: {} }) as unknown as Request;
  return { sessions, signOut, lines, browser };
}

describe("ending every session of a user (after a password reset)", () => {
  it("ends each of the user's browsers and revokes each refresh token, leaving other users and pending sign-ins alone", async () => {
    const revoked: string[] = [];
    const { sessions, signOut, browser } = setUp(async (token) => void revoked.push(token));
    const [laptop, phone, bystander, signingIn] = [browser(), browser(), browser(), browser()];
    await sessions.establish(laptop, signedIn("victim", "refresh-laptop"));
    await sessions.establish(phone, signedIn("victim", "refresh-phone"));
    await sessions.establish(bystander, signedIn("other", "refresh-other"));
    await sessions.savePending(signingIn, pendingSignIn());

    expect(await sessions.subForEmail("VICTIM@example.com")).toBe("victim");
    await signOut.everySessionOf("victim");

    expect(await sessions.readAuthenticated(laptop)).toBeUndefined();
    expect(await sessions.readAuthenticated(phone)).toBeUndefined();
    expect(revoked.sort()).toEqual(["refresh-laptop", "refresh-phone"]);
    expect((await sessions.readAuthenticated(bystander))?.sub).toBe("other");
    expect(await sessions.readPending(signingIn)).toBeDefined();
  });

  it("still ends the sessions when Cognito refuses a revocation, and logs it without the token", async () => {
    const { sessions, signOut, lines, browser } = setUp(async () => {
      throw new ApiError(503, "service_unavailable", "Cognito is unavailable.");
    });
    const laptop = browser();
    await sessions.establish(laptop, signedIn("victim", "refresh-secret-value"));

    await expect(signOut.everySessionOf("victim")).resolves.toBeUndefined();

    expect(await sessions.readAuthenticated(laptop)).toBeUndefined();
    expect(lines.join("")).toContain("service_unavailable");
    expect(lines.join("")).not.toContain("refresh-secret-value");
  });
});
