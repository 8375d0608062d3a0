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
import { computePasskeyProof } from "../../../common/custom-auth-protocol";
import { memoryStore } from "../../support/memory-store";
import { SoftwareAuthenticator } from "../../support/software-authenticator";

const rp: RelyingParty = {
  id: "localhost",
  name: "Tobira",
  origins: ["http://localhost:3000"],
  timeoutMs: 300_000,
  challengeTtlSeconds: 300,
  stepUpWindowSeconds: 300,
};
const secret = "a-passkey-proof-secret-for-unit-tests-000";

async function setUp() {
  const config = loadBffConfig({});
  const store = memoryStore();
  const passkeys = createPasskeyRepository(store);
  const sessions = createSessionManager({ store, config });
  const round = (session: string, parameters: Record<string, string>, username = "alice-internal"): CustomChallenge => ({ session, username, parameters });
  const cognito = {
    startCustomAuth: vi.fn(async ({ username }: { username: string }) => round("provide-fresh", { step: "PROVIDE_AUTH_PARAMETERS" }, username)),
    respondToCustomChallenge: vi.fn(async ({ answer, username }: { answer: string; username: string }) =>
      answer === "PROVIDE"
        ? { type: "challenge" as const, challenge: round("passkey-round", { step: "PASSKEY", nonce: "round-nonce" }, username) }
        : { type: "tokens" as const, tokens: { idToken: "id", accessToken: "access", refreshToken: "refresh", expiresIn: 3600 } },
    ),
  };
  const signIn = { complete: vi.fn(async () => ({ next: "done" as const, redirectTo: "/account" })) };
  const service = createPasskeySignIn({
    rp,
    passkeyProofSecret: secret,
    cognito: cognito as unknown as CognitoGateway,
    sessions,
    signIn: signIn as unknown as SignInService,
    pendingSignIns: createPendingSignIns({ sessions, config }),
    passkeys,
    challenges: createChallengeStore({ store, ttlSeconds: 300 }),
    logger: createLogger("silent"),
  });

  async function register(username: string): Promise<SoftwareAuthenticator> {
    const authenticator = new SoftwareAuthenticator("http://localhost:3000");
    const options = await generatePasskeyRegistrationOptions({ rp, user: { sub: `${username}-sub`, username, email: `${username}@example.com` }, existing: [] });
    const verified = await verifyPasskeyRegistration({ rp, credential: authenticator.register(options), expectedChallenge: options.challenge });
    const passkey: StoredPasskey = {
      ...verified,
      name: "p",
      createdAt: new Date().toISOString(),
      lastUsedAt: null,
      sub: `${username}-sub`,
      username,
      userHandle: options.user.id,
    };
    await passkeys.save(passkey);
    return authenticator;
  }

  const req = { session: {} } as unknown as Request;
  async function pendingFor(username: string): Promise<void> {
    const now = Math.floor(Date.now() / 1000);
    const pending: Omit<PendingSignIn, "version"> = {
      email: `${username}@example.com`,
      username,
      cognitoSession: "provide-waiting",
      step: "choose",
      methods: ["passkey", "otp"],
      failedCodes: 0,
      resends: 0,
      passwordVerifiedAt: now,
      startedAt: now,
    };
    await sessions.savePending(req, pending);
  }
  return { service, cognito, signIn, register, req, pendingFor, passkeys };
}

describe("passkey sign-in: from a verified assertion to Cognito's PASSKEY round", () => {
  it("answers the waiting PROVIDE round with PASSKEY, then WEBAUTHN_SUCCESS with the proof for this user and nonce", async () => {
    const { service, cognito, signIn, register, req, pendingFor } = await setUp();
    const authenticator = await register("alice-internal");
    await pendingFor("alice-internal");
    const credential = authenticator.authenticate(await service.options(req));

    await expect(service.finish(req, credential)).resolves.toEqual({ next: "done", redirectTo: "/account" });

    expect(cognito.startCustomAuth).not.toHaveBeenCalled();
    expect(cognito.respondToCustomChallenge.mock.calls.map(([input]) => input)).toEqual([
      { username: "alice-internal", session: "provide-waiting", answer: "PROVIDE", clientMetadata: { signInMethod: "PASSKEY" } },
      {
        username: "alice-internal",
        session: "passkey-round",
        answer: "WEBAUTHN_SUCCESS",
        clientMetadata: { passkeyProof: computePasskeyProof(secret, "alice-internal", "round-nonce") },
      },
    ]);
    expect(signIn.complete).toHaveBeenCalledWith(req, { username: "alice-internal", email: "alice-internal@example.com" }, expect.anything(), [
      "pwd",
      "swk",
      "user",
      "mfa",
    ]);
  });

  it("starts CUSTOM_AUTH for the credential's owner when no sign-in is pending (passkey-first)", async () => {
    const { service, cognito, signIn, register, req } = await setUp();
    const authenticator = await register("bob-internal");
    const options = await service.options(req);
    expect(options.allowCredentials).toEqual([]);

    await service.finish(req, authenticator.authenticate(options));

    expect(cognito.startCustomAuth).toHaveBeenCalledWith({ username: "bob-internal" });
    expect(signIn.complete).toHaveBeenCalledWith(req, expect.objectContaining({ username: "bob-internal" }), expect.anything(), ["swk", "user"]);
  });

  it("rejects another user's credential in the second step without touching Cognito", async () => {
    const { service, cognito, register, req, pendingFor } = await setUp();
    await register("alice-internal");
    const mallory = await register("mallory-internal");
    await pendingFor("alice-internal");
    const options = await service.options(req);

    await expect(service.finish(req, mallory.authenticate(options, {}, mallory.credentials[0]))).rejects.toMatchObject({
      code: "passkey_rejected",
      reason: "credential of another user",
    });
    expect(cognito.respondToCustomChallenge).not.toHaveBeenCalled();
  });

  it("rejects an unknown credential without touching Cognito", async () => {
    const { service, cognito, register, req, passkeys } = await setUp();
    const authenticator = await register("carol-internal");
    await passkeys.remove(authenticator.credentials[0]!.id);

    await expect(service.finish(req, authenticator.authenticate(await service.options(req)))).rejects.toMatchObject({
      code: "passkey_rejected",
      reason: "unknown credential",
    });
    expect(cognito.startCustomAuth).not.toHaveBeenCalled();
  });

  it("tells the browser in error.reason that the account does not know the credential (for the Signal API)", async () => {
    const { service, register, req, passkeys } = await setUp();
    const authenticator = await register("gina-internal");
    await passkeys.remove(authenticator.credentials[0]!.id);

    const refusal = await service.finish(req, authenticator.authenticate(await service.options(req))).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ status: 400, code: "passkey_rejected", extra: { reason: "unknown_credential" } });
  });

  it("does not mark other refusals as an unknown credential", async () => {
    const { service, register, req } = await setUp();
    const authenticator = await register("hank-internal");
    const refusal = await service.finish(req, authenticator.authenticate(await service.options(req), { userVerified: false })).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ code: "passkey_rejected" });
    expect((refusal as { extra: { reason?: string } }).extra.reason).toBeUndefined();
  });

  it("rejects an assertion when this browser holds no challenge (expired, used, or never issued)", async () => {
    const { service, register, req } = await setUp();
    const authenticator = await register("dave-internal");
    const options = await service.options(req);
    const fresh = { session: {} } as unknown as Request;

    await expect(service.finish(fresh, authenticator.authenticate(options))).rejects.toMatchObject({
      code: "passkey_rejected",
      reason: "no live challenge for this browser",
    });
  });

  it("rejects, and does not bring back, a passkey deleted while its assertion was being verified", async () => {
    const { service, cognito, register, req, passkeys } = await setUp();
    const authenticator = await register("frank-internal");
    const credentialId = authenticator.credentials[0]!.id;
    const find = passkeys.find.bind(passkeys);
    // The DELETE lands right after the sign-in looked the passkey up.
    passkeys.find = async (id) => {
      const found = await find(id);
      await passkeys.remove(id);
      return found;
    };

    await expect(service.finish(req, authenticator.authenticate(await service.options(req)))).rejects.toMatchObject({
      code: "passkey_rejected",
      reason: "credential removed during the ceremony",
    });
    expect(await find(credentialId)).toBeUndefined();
    expect(cognito.startCustomAuth).not.toHaveBeenCalled();
  });

  it("stores the new counter and the last use after a verified assertion", async () => {
    const { service, register, req, passkeys } = await setUp();
    const authenticator = await register("erin-internal");
    await service.finish(req, authenticator.authenticate(await service.options(req), { counter: 41 }));
    expect(await passkeys.find(authenticator.credentials[0]!.id)).toMatchObject({ counter: 41, lastUsedAt: expect.any(String) });
  });

  it("refuses the sign-in when another sign-in moved the signature counter during the ceremony (compare-and-set)", async () => {
    const { service, cognito, register, req, passkeys } = await setUp();
    const authenticator = await register("frank-internal");
    const credentialId = authenticator.credentials[0]!.id;
    const find = passkeys.find;
    // A concurrent sign-in with the same counter value lands between this one's read and its write.
    passkeys.find = async (id) => {
      const stored = await find(id);
      if (stored !== undefined) await passkeys.update({ ...stored, counter: 7 });
      return stored;
    };
    const refused = await service.finish(req, authenticator.authenticate(await service.options(req), { counter: 7 })).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: "passkey_rejected" });
    expect(cognito.startCustomAuth).not.toHaveBeenCalled();
    passkeys.find = find;
    expect(await passkeys.find(credentialId)).toMatchObject({ counter: 7, lastUsedAt: null });
  });
});

describe("the passkey repository's conditional writes", () => {
  const passkey = (credentialId: string, username: string): StoredPasskey => ({
    credentialId,
    publicKey: "key",
    counter: 3,
    transports: [],
    deviceType: "singleDevice",
    backedUp: false,
    name: "p",
    createdAt: new Date().toISOString(),
    lastUsedAt: null,
    sub: `${username}-sub`,
    username,
    userHandle: "handle",
  });

  it("saves a new passkey only when no passkey has its credential id", async () => {
    const passkeys = createPasskeyRepository(memoryStore());
    expect(await passkeys.save(passkey("cred-1", "alice"))).toBe(true);
    expect(await passkeys.save(passkey("cred-1", "mallory"))).toBe(false);
    expect(await passkeys.find("cred-1")).toMatchObject({ username: "alice" });
  });

  it("moves the counter only from the value it read", async () => {
    const passkeys = createPasskeyRepository(memoryStore());
    await passkeys.save(passkey("cred-2", "alice"));
    expect(await passkeys.update({ ...passkey("cred-2", "alice"), counter: 9 }, 2)).toBe(false);
    expect(await passkeys.update({ ...passkey("cred-2", "alice"), counter: 9 }, 3)).toBe(true);
    expect(await passkeys.find("cred-2")).toMatchObject({ counter: 9 });
  });
});

describe("passkey sign-in options: passkey-first is usernameless whatever sign-in is pending", () => {
  it("offers every discoverable passkey (no allow-list) for purpose passkey-first although another user's password sign-in is pending", async () => {
    const { service, register, req, pendingFor } = await setUp();
    await register("alice-internal");
    await register("bob-internal");
    await pendingFor("alice-internal");

    const options = await service.options(req, "passkey-first");
    expect(options.allowCredentials).toEqual([]);
  });

  it("signs Bob in, not Alice, with Bob's passkey while Alice's sign-in is pending", async () => {
    const { service, cognito, signIn, register, req, pendingFor } = await setUp();
    await register("alice-internal");
    const bob = await register("bob-internal");
    await pendingFor("alice-internal");

    await service.finish(req, bob.authenticate(await service.options(req, "passkey-first")));

    expect(cognito.startCustomAuth).toHaveBeenCalledWith({ username: "bob-internal" });
    expect(signIn.complete).toHaveBeenCalledWith(req, expect.objectContaining({ username: "bob-internal" }), expect.anything(), ["swk", "user"]);
  });

  it("keeps the first meaning of {}: the pending user's credentials when a sign-in with a passkey is waiting", async () => {
    const { service, register, req, pendingFor } = await setUp();
    const alice = await register("alice-internal");
    await register("bob-internal");
    await pendingFor("alice-internal");
    const options = await service.options(req);
    expect(options.allowCredentials?.map((allowed) => allowed.id)).toEqual([alice.credentials[0]!.id]);
  });

  it("offers only the pending user's credentials for purpose second-factor", async () => {
    const { service, register, req, pendingFor } = await setUp();
    const alice = await register("alice-internal");
    await register("bob-internal");
    await pendingFor("alice-internal");
    const options = await service.options(req, "second-factor");
    expect(options.allowCredentials?.map((allowed) => allowed.id)).toEqual([alice.credentials[0]!.id]);
  });

  it("refuses second-factor options with no_pending_signin when this browser never started a sign-in", async () => {
    const { service } = await setUp();
    const fresh = { session: {} } as unknown as Request;
    await expect(service.options(fresh, "second-factor")).rejects.toMatchObject({ status: 400, code: "no_pending_signin" });
  });
});
