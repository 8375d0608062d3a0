import { Writable } from "node:stream";
import type { Request } from "express";
import { describe, expect, it, vi } from "vitest";
import type { CognitoGateway, CustomChallenge } from "../../../bff/cognito/cognito-gateway";
import { loadBffConfig } from "../../../bff/config";
import { createLogger } from "../../../bff/logger";
import { createChallengeStore } from "../../../bff/passkeys/challenge-store";
import { generatePasskeyRegistrationOptions } from "../../../bff/passkeys/generate-registration-options";
import { createPasskeySignIn } from "../../../bff/passkeys/passkey-sign-in";
import { createPasskeyRepository, type StoredPasskey } from "../../../bff/passkeys/passkey-store";
import type { RelyingParty } from "../../../bff/passkeys/relying-party";
import { verifyPasskeyRegistration } from "../../../bff/passkeys/verify-registration";
import { createSessionManager } from "../../../bff/session/session-manager";
import type { PendingSignIn } from "../../../bff/session/session-records";
import { createPendingSignIns } from "../../../bff/signin/pending-sign-in";
import type { SignInService } from "../../../bff/signin/sign-in-service";
import { memoryStore } from "../../support/memory-store";
import { SoftwareAuthenticator } from "../../support/software-authenticator";

/**
 * Passkey sign-in against the pending sign-in this browser holds: which credentials the second
 * step offers, when a pending sign-in still counts, and what the finished sign-in records
 * (docs/architecture.md, "Sign-in, step by step"; WebAuthn L3 §7.2 step 6).
 */

const origin = "http://localhost:3000";
const rp: RelyingParty = { id: "localhost", name: "Tobira", origins: [origin], timeoutMs: 300_000, challengeTtlSeconds: 300, stepUpWindowSeconds: 300 };

function setUp(options: { lastResetAt?: number } = {}) {
  const config = loadBffConfig({});
  const store = memoryStore();
  const passkeys = createPasskeyRepository(store);
  const sessions = createSessionManager({ store, config });
  const round = (session: string, parameters: Record<string, string>, username: string): CustomChallenge => ({ session, username, parameters });
  const cognito = {
    startCustomAuth: vi.fn(async ({ username }: { username: string }) => round("provide-fresh", { step: "PROVIDE_AUTH_PARAMETERS" }, username)),
    respondToCustomChallenge: vi.fn(async ({ answer, username }: { answer: string; username: string }) =>
      answer === "PROVIDE"
        ? { type: "challenge" as const, challenge: round("passkey-round", { step: "PASSKEY", nonce: "round-nonce" }, username) }
        : { type: "tokens" as const, tokens: { idToken: "id", accessToken: "access", refreshToken: "refresh", expiresIn: 3600 } },
    ),
  };
  const signIn = { complete: vi.fn(async () => ({ next: "done" as const, redirectTo: "/account" })) };
  const logged: string[] = [];
  const logger = createLogger(
    "warn",
    new Writable({
      write(chunk, _encoding, done) {
        logged.push(String(chunk));
        done();
      },
    }),
  );
  const lastForSub = vi.fn(async () => options.lastResetAt);
  const service = createPasskeySignIn({
    rp,
    passkeyProofSecret: "a-passkey-proof-secret-for-unit-tests-000",
    cognito: cognito as unknown as CognitoGateway,
    sessions,
    signIn: signIn as unknown as SignInService,
    pendingSignIns: createPendingSignIns({ sessions, config }),
    passkeys,
    challenges: createChallengeStore({ store, ttlSeconds: 300 }),
    logger,
    passwordResets: { lastForSub },
  });

  async function register(username: string, createdAt = new Date().toISOString()): Promise<SoftwareAuthenticator> {
    const authenticator = new SoftwareAuthenticator(origin);
    const creation = await generatePasskeyRegistrationOptions({ rp, user: { sub: `${username}-sub`, username, email: `${username}@example.com` }, existing: [] });
    const verified = await verifyPasskeyRegistration({ rp, credential: authenticator.register(creation), expectedChallenge: creation.challenge });
    const passkey: StoredPasskey = { ...verified, name: "p", createdAt, lastUsedAt: null, sub: `${username}-sub`, username, userHandle: creation.user.id };
    await passkeys.save(passkey);
    return authenticator;
  }

  const req = { session: {} } as unknown as Request;
  async function pendingFor(username: string, changes: Partial<PendingSignIn> = {}): Promise<void> {
    const now = Math.floor(Date.now() / 1000);
    await sessions.savePending(req, {
      email: `${username}@example.com`,
      username,
      cognitoSession: "provide-waiting",
      step: "choose",
      methods: ["passkey", "otp"],
      failedCodes: 0,
      resends: 0,
      passwordVerifiedAt: now,
      startedAt: now,
      ...changes,
    });
  }
  const startedCount = () => logged.filter((line) => line.includes('"SignInStarted"')).length;
  return { service, cognito, signIn, register, req, pendingFor, lastForSub, startedCount };
}

describe("passkey sign-in options and the pending sign-in", () => {
  it("takes a pending sign-in that offers no passkey (code only) for none: {} gives usernameless options, second-factor answers session_expired", async () => {
    const { service, register, req, pendingFor } = setUp();
    await register("alice-internal");
    await pendingFor("alice-internal", { methods: ["otp"] });
    expect((await service.options(req)).allowCredentials).toEqual([]);
    await expect(service.options(req, "second-factor")).rejects.toMatchObject({ status: 401, code: "session_expired" });
  });

  it("leaves out of the second step the pending user's passkeys paused by a password reset", async () => {
    const resetAt = Date.now() - 10_000;
    const { service, register, req, pendingFor } = setUp({ lastResetAt: resetAt });
    await register("alice-internal", new Date(resetAt - 60_000).toISOString());
    const active = await register("alice-internal", new Date(resetAt + 1000).toISOString());
    await pendingFor("alice-internal");
    const options = await service.options(req, "second-factor");
    expect(options.allowCredentials?.map((allowed) => allowed.id)).toEqual([active.credentials[0]!.id]);
  });

  it("gives second-step options with no credentials to a pending user who has no passkey, without reading password resets", async () => {
    const { service, req, pendingFor, lastForSub } = setUp({ lastResetAt: Date.now() });
    await pendingFor("alice-internal");
    expect((await service.options(req, "second-factor")).allowCredentials).toEqual([]);
    expect(lastForSub).not.toHaveBeenCalled();
  });
});

describe("finishing the second step", () => {
  it("refuses it when the pending sign-in now belongs to another user than the challenge was issued for", async () => {
    const { service, cognito, register, req, pendingFor } = setUp();
    const alice = await register("alice-internal");
    await register("bob-internal");
    await pendingFor("alice-internal");
    const options = await service.options(req, "second-factor");
    await pendingFor("bob-internal");
    await expect(service.finish(req, alice.authenticate(options))).rejects.toMatchObject({ status: 401, code: "session_expired" });
    expect(cognito.respondToCustomChallenge).not.toHaveBeenCalled();
  });

  it("refuses it when the pending sign-in no longer offers a passkey", async () => {
    const { service, cognito, register, req, pendingFor } = setUp();
    const alice = await register("alice-internal");
    await pendingFor("alice-internal");
    const options = await service.options(req, "second-factor");
    await pendingFor("alice-internal", { methods: ["otp"] });
    await expect(service.finish(req, alice.authenticate(options))).rejects.toMatchObject({ status: 401, code: "session_expired" });
    expect(cognito.respondToCustomChallenge).not.toHaveBeenCalled();
  });

  it("starts a new CUSTOM_AUTH when the pending sign-in has moved past its choice, and still records both factors", async () => {
    const { service, cognito, signIn, register, req, pendingFor } = setUp();
    const alice = await register("alice-internal");
    await pendingFor("alice-internal", { step: "otp", cognitoSession: "otp-round" });
    await service.finish(req, alice.authenticate(await service.options(req, "second-factor")));
    expect(cognito.startCustomAuth).toHaveBeenCalledWith({ username: "alice-internal" });
    expect(cognito.respondToCustomChallenge.mock.calls[0]![0]).toMatchObject({ session: "provide-fresh", answer: "PROVIDE" });
    expect(signIn.complete).toHaveBeenCalledWith(req, { username: "alice-internal", email: "alice-internal@example.com" }, expect.anything(), [
      "pwd",
      "swk",
      "user",
      "mfa",
    ]);
  });
});

describe("what a finished passkey sign-in records", () => {
  it("completes a passkey-first sign-in with no email (the tokens carry it) and counts it as a started sign-in", async () => {
    const { service, signIn, register, req, startedCount } = setUp();
    const bob = await register("bob-internal");
    await service.finish(req, bob.authenticate(await service.options(req, "passkey-first")));
    expect(signIn.complete).toHaveBeenCalledWith(req, { username: "bob-internal", email: "" }, expect.anything(), ["swk", "user"]);
    expect(startedCount()).toBe(1);
  });

  it("does not count the second step as a new sign-in (its password step already did)", async () => {
    const { service, register, req, pendingFor, startedCount } = setUp();
    const alice = await register("alice-internal");
    await pendingFor("alice-internal");
    await service.finish(req, alice.authenticate(await service.options(req, "second-factor")));
    expect(startedCount()).toBe(0);
  });
});
