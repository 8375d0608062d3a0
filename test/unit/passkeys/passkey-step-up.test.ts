import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import type { Request } from "express";
import { describe, expect, it, vi } from "vitest";
import type { AccountService } from "../../../bff/account/account-service";
import type { CognitoGateway } from "../../../bff/cognito/cognito-gateway";
import { ApiError } from "../../../bff/errors";
import { createLogger } from "../../../bff/logger";
import { createChallengeStore } from "../../../bff/passkeys/challenge-store";
import { generatePasskeyRegistrationOptions } from "../../../bff/passkeys/generate-registration-options";
import { passkeyMessages } from "../../../bff/passkeys/passkey-errors";
import { createPasskeyStepUp } from "../../../bff/passkeys/passkey-step-up";
import { createPasskeyRepository, type StoredPasskey } from "../../../bff/passkeys/passkey-store";
import type { RelyingParty } from "../../../bff/passkeys/relying-party";
import { verifyPasskeyRegistration } from "../../../bff/passkeys/verify-registration";
import type { AuthenticatedSession } from "../../../bff/session/session-records";
import { memoryStore } from "../../support/memory-store";
import { SoftwareAuthenticator } from "../../support/software-authenticator";

/**
 * The step-up before a passkey is added, confirmed or removed (docs/architecture.md, "Adding a
 * passkey: the step-up"; NIST SP 800-63B §6.1.2.1): the signed-in user proves the password or an
 * existing passkey again, in this session.
 */

const origin = "http://localhost:3000";
const rp: RelyingParty = { id: "localhost", name: "Tobira", origins: [origin], timeoutMs: 300_000, challengeTtlSeconds: 300, stepUpWindowSeconds: 240 };
const signedInLongAgo = Math.floor(Date.now() / 1000) - 3600;
const alice = { sub: "alice-sub", username: "alice-internal", email: "alice@example.com", authTime: signedInLongAgo } as AuthenticatedSession;
const bob = { sub: "bob-sub", username: "bob-internal", email: "bob@example.com", authTime: signedInLongAgo } as AuthenticatedSession;

function setUp(options: { lastResetAt?: number; withResets?: boolean } = {}) {
  const store = memoryStore();
  const passkeys = createPasskeyRepository(store);
  let current: AuthenticatedSession = alice;
  const account = { requireSession: vi.fn(async () => current) };
  const sessions = { renewAuthenticated: vi.fn(async () => undefined) };
  const refund = vi.fn(async () => undefined);
  const throttle = { reserve: vi.fn(async () => ({ refund, settle: async () => undefined })) };
  const knownDevices = { deviceFor: vi.fn(() => "device-42") };
  const startCustomAuthWithPassword = vi.fn(async (_input: { email: string; password: string }) => ({
    session: "provide-session",
    username: current.username,
    parameters: { step: "PROVIDE_AUTH_PARAMETERS" },
  }));
  const lastForSub = vi.fn(async () => options.lastResetAt);
  const stepUp = createPasskeyStepUp({
    rp,
    account: account as unknown as Pick<AccountService, "requireSession">,
    sessions,
    cognito: { startCustomAuthWithPassword } as unknown as CognitoGateway,
    passkeys,
    challenges: createChallengeStore({ store, ttlSeconds: 300 }),
    throttle,
    knownDevices,
    logger: createLogger("silent"),
    ...(options.withResets === false ? {} : { passwordResets: { lastForSub } }),
  });

  async function register(session: AuthenticatedSession, createdAt = new Date().toISOString(), authenticator = new SoftwareAuthenticator(origin)) {
    const creation = await generatePasskeyRegistrationOptions({ rp, user: session, existing: [] });
    const verified = await verifyPasskeyRegistration({ rp, credential: authenticator.register(creation), expectedChallenge: creation.challenge });
    const passkey: StoredPasskey = { ...verified, name: "p", createdAt, lastUsedAt: null, sub: session.sub, username: session.username, userHandle: creation.user.id };
    await passkeys.save(passkey);
    return { authenticator, passkey };
  }

  const req = { session: {}, ip: "203.0.113.7" } as unknown as Request;
  return {
    stepUp,
    passkeys,
    sessions,
    refund,
    throttle,
    knownDevices,
    startCustomAuthWithPassword,
    lastForSub,
    register,
    req,
    signInAs(session: AuthenticatedSession) {
      current = session;
    },
  };
}

/** The JSON body the SPA posts (StepUpRequest). */
const asBody = (credential: AuthenticationResponseJSON) => credential as unknown as Record<string, unknown>;

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe("passkey step-up: options", () => {
  it("offers only this user's active passkeys and issues a step-up challenge for this session", async () => {
    const { stepUp, register, req, signInAs } = setUp();
    const { passkey } = await register(alice);
    await register(bob);
    signInAs(alice);
    const options = await stepUp.options(req);
    expect(options.allowCredentials?.map((allowed) => allowed.id)).toEqual([passkey.credentialId]);
    expect(options.userVerification).toBe("required");
    expect(req.session?.passkeyStepUp).toMatch(/^[\w-]{43}$/);
  });

  it("leaves out a passkey paused by the owner's last password reset", async () => {
    const resetAt = Date.now();
    const { stepUp, register, req } = setUp({ lastResetAt: resetAt });
    await register(alice, new Date(resetAt - 60_000).toISOString());
    const { passkey: after } = await register(alice, new Date(resetAt + 1000).toISOString());
    const options = await stepUp.options(req);
    expect(options.allowCredentials?.map((allowed) => allowed.id)).toEqual([after.credentialId]);
  });

  it("offers the account's passkeys when the BFF keeps no password resets", async () => {
    const { stepUp, register, req } = setUp({ withResets: false });
    const { passkey } = await register(alice);
    expect((await stepUp.options(req)).allowCredentials?.map((allowed) => allowed.id)).toEqual([passkey.credentialId]);
  });

  it("answers 400 bad_request when every passkey of the account is paused", async () => {
    const resetAt = Date.now();
    const { stepUp, register, req } = setUp({ lastResetAt: resetAt });
    await register(alice, new Date(resetAt - 60_000).toISOString());
    expect(await refusal(stepUp.options(req))).toMatchObject({ status: 400, code: "bad_request" });
    expect(req.session?.passkeyStepUp).toBeUndefined();
  });

  it("answers 400 bad_request when the account has no passkey, without reading its password resets", async () => {
    const { stepUp, req, lastForSub } = setUp();
    const error = await refusal(stepUp.options(req));
    expect(error).toMatchObject({ status: 400, code: "bad_request" });
    expect(error.message).toMatch(/no passkey that can confirm/);
    expect(lastForSub).not.toHaveBeenCalled();
  });
});

describe("passkey step-up: the password", () => {
  it("checks the password with Cognito, refunds the throttle's reservation and stamps factorProvedAt on a renewed session", async () => {
    const { stepUp, req, throttle, refund, startCustomAuthWithPassword, sessions, knownDevices } = setUp();
    const before = Math.floor(Date.now() / 1000);
    const result = await stepUp.prove(req, { password: "correct horse" });
    expect(throttle.reserve).toHaveBeenCalledWith("password", { email: alice.email, network: "203.0.113.7", knownDevice: "device-42" });
    expect(knownDevices.deviceFor).toHaveBeenCalledWith(req, alice.email);
    expect(startCustomAuthWithPassword).toHaveBeenCalledWith({ email: alice.email, password: "correct horse" });
    expect(refund).toHaveBeenCalledTimes(1);
    const [, renewed] = sessions.renewAuthenticated.mock.calls[0] as unknown as [Request, AuthenticatedSession];
    expect(renewed).toEqual({ ...alice, factorProvedAt: expect.any(Number) });
    expect(renewed.factorProvedAt).toBeGreaterThanOrEqual(before);
    expect(result).toEqual({ factorProvedUntil: renewed.factorProvedAt! + 240 });
  });

  it("answers a wrong password with 400 invalid_credentials on the password field, keeps it counted and proves nothing", async () => {
    const { stepUp, req, refund, startCustomAuthWithPassword, sessions } = setUp();
    startCustomAuthWithPassword.mockRejectedValueOnce(new ApiError(401, "invalid_credentials", "Incorrect email or password."));
    const error = await refusal(stepUp.prove(req, { password: "wrong" }));
    expect(error).toMatchObject({
      status: 400,
      code: "invalid_credentials",
      message: "That password is not right.",
      extra: { fields: { password: "That password is not right." } },
    });
    expect(refund).not.toHaveBeenCalled();
    expect(sessions.renewAuthenticated).not.toHaveBeenCalled();
  });

  it("passes on an outage unchanged and refunds the reservation (no password was judged)", async () => {
    const { stepUp, req, refund, startCustomAuthWithPassword, sessions } = setUp();
    const outage = new ApiError(503, "service_unavailable", "Try again later.");
    startCustomAuthWithPassword.mockRejectedValueOnce(outage);
    expect(await refusal(stepUp.prove(req, { password: "pw" }))).toBe(outage);
    expect(refund).toHaveBeenCalledTimes(1);
    expect(sessions.renewAuthenticated).not.toHaveBeenCalled();
  });

  it("does not take an invalid_credentials error of another status for a wrong password", async () => {
    const { stepUp, req, refund, startCustomAuthWithPassword } = setUp();
    const other = new ApiError(400, "invalid_credentials", "Something else.");
    startCustomAuthWithPassword.mockRejectedValueOnce(other);
    expect(await refusal(stepUp.prove(req, { password: "pw" }))).toBe(other);
    expect(refund).toHaveBeenCalledTimes(1);
  });

  it("does not take a 401 of another code for a wrong password", async () => {
    const { stepUp, req, refund, startCustomAuthWithPassword } = setUp();
    const other = new ApiError(401, "unauthenticated", "Sign in first.");
    startCustomAuthWithPassword.mockRejectedValueOnce(other);
    expect(await refusal(stepUp.prove(req, { password: "pw" }))).toBe(other);
    expect(refund).toHaveBeenCalledTimes(1);
  });

  it("passes on a failure that is not an ApiError and refunds the reservation", async () => {
    const { stepUp, req, refund, startCustomAuthWithPassword } = setUp();
    const crash = new Error("socket hang up");
    startCustomAuthWithPassword.mockRejectedValueOnce(crash);
    expect(await stepUp.prove(req, { password: "pw" }).catch((error: unknown) => error)).toBe(crash);
    expect(refund).toHaveBeenCalledTimes(1);
  });

  it("proves nothing when the password is right for another Cognito user than the session's", async () => {
    const { stepUp, req, refund, startCustomAuthWithPassword, sessions } = setUp();
    startCustomAuthWithPassword.mockResolvedValueOnce({ session: "s", username: bob.username, parameters: { step: "PROVIDE_AUTH_PARAMETERS" } });
    expect(await refusal(stepUp.prove(req, { password: "pw" }))).toMatchObject({ status: 400, code: "invalid_credentials" });
    expect(refund).not.toHaveBeenCalled();
    expect(sessions.renewAuthenticated).not.toHaveBeenCalled();
  });
});

describe("passkey step-up: an existing passkey (WebAuthn L3 §7.2)", () => {
  it("verifies an assertion over the step-up challenge, records the use and stamps factorProvedAt", async () => {
    const { stepUp, register, req, sessions, passkeys } = setUp();
    const { authenticator, passkey } = await register(alice);
    const credential = asBody(authenticator.authenticate(await stepUp.options(req)));
    const result = await stepUp.prove(req, { credential });
    const [, renewed] = sessions.renewAuthenticated.mock.calls[0] as unknown as [Request, AuthenticatedSession];
    expect(result).toEqual({ factorProvedUntil: renewed.factorProvedAt! + 240 });
    expect((await passkeys.find(passkey.credentialId))?.counter).toBe(1);
  });

  it("refuses an assertion when this browser holds no step-up challenge (expired, used or never issued)", async () => {
    const { stepUp, register, req, sessions } = setUp();
    const { authenticator } = await register(alice);
    const credential = asBody(authenticator.authenticate(await stepUp.options(req)));
    await stepUp.prove(req, { credential });
    const replay = await refusal(stepUp.prove(req, { credential }));
    expect(replay).toMatchObject({ status: 400, code: "passkey_rejected", message: passkeyMessages.expired, reason: "no live step-up challenge for this session" });
    expect(sessions.renewAuthenticated).toHaveBeenCalledTimes(1);
  });

  it("refuses a step-up challenge issued to another user's session in this browser", async () => {
    const { stepUp, register, req, signInAs, sessions } = setUp();
    const { authenticator } = await register(bob);
    signInAs(bob);
    const options = await stepUp.options(req);
    signInAs(alice);
    const error = await refusal(stepUp.prove(req, { credential: asBody(authenticator.authenticate(options)) }));
    expect(error).toMatchObject({ code: "passkey_rejected", message: passkeyMessages.expired });
    expect(sessions.renewAuthenticated).not.toHaveBeenCalled();
  });

  it("refuses another user's passkey over this user's challenge (WebAuthn L3 §7.2 step 6)", async () => {
    const { stepUp, register, req, sessions } = setUp();
    await register(alice);
    const { authenticator: bobs } = await register(bob);
    const options = await stepUp.options(req);
    const error = await refusal(stepUp.prove(req, { credential: asBody(bobs.authenticate(options, {}, bobs.credentials[0])) }));
    expect(error).toMatchObject({ code: "passkey_rejected", message: expect.stringMatching(/different account/), reason: "step-up with another user's credential" });
    expect(sessions.renewAuthenticated).not.toHaveBeenCalled();
  });

  it("refuses a body that is not an assertion, and spends the challenge", async () => {
    const { stepUp, register, req } = setUp();
    const { authenticator } = await register(alice);
    const options = await stepUp.options(req);
    expect(await refusal(stepUp.prove(req, { credential: { id: "x" } }))).toMatchObject({ code: "passkey_rejected", message: passkeyMessages.malformed });
    const afterwards = await refusal(stepUp.prove(req, { credential: asBody(authenticator.authenticate(options)) }));
    expect(afterwards).toMatchObject({ message: passkeyMessages.expired });
  });
});
