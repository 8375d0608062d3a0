import type { Request } from "express";
import { describe, expect, it, vi } from "vitest";
import type { AccountService } from "../../../bff/account/account-service";
import { ApiError } from "../../../bff/errors";
import { createLogger } from "../../../bff/logger";
import { createChallengeStore } from "../../../bff/passkeys/challenge-store";
import { passkeyMessages } from "../../../bff/passkeys/passkey-errors";
import { MAX_PASSKEYS_PER_USER, createPasskeyManagement } from "../../../bff/passkeys/passkey-management";
import { createPasskeyRepository, type StoredPasskey } from "../../../bff/passkeys/passkey-store";
import type { RelyingParty } from "../../../bff/passkeys/relying-party";
import type { AuthenticatedSession } from "../../../bff/session/session-records";
import { memoryStore } from "../../support/memory-store";
import { SoftwareAuthenticator } from "../../support/software-authenticator";

/**
 * The signed-in user's passkeys: who may list, add, rename, confirm and delete which, and when a
 * fresh factor is needed (docs/architecture.md, "Adding a passkey: the step-up"; NIST SP 800-63B
 * §6.1.2.1 binding, §6.1.2.3 invalidating an authenticator).
 */

const origin = "http://localhost:3000";
const rp: RelyingParty = { id: "localhost", name: "Tobira", origins: [origin], timeoutMs: 300_000, challengeTtlSeconds: 300, stepUpWindowSeconds: 300 };
const now = () => Math.floor(Date.now() / 1000);
const alice = { sub: "alice-sub", username: "alice-internal", email: "alice@example.com", authTime: now(), factorProvedAt: now() } as AuthenticatedSession;
const bob = { sub: "bob-sub", username: "bob-internal", email: "bob@example.com", authTime: now(), factorProvedAt: now() } as AuthenticatedSession;
/** Signed in within the re-auth window, but no factor proved for an hour. */
const aliceWithoutStepUp = { ...alice, factorProvedAt: now() - 3600 } as AuthenticatedSession;

function stored(credentialId: string, owner: AuthenticatedSession, createdAt = new Date().toISOString()): StoredPasskey {
  return {
    credentialId,
    publicKey: "pk",
    counter: 0,
    transports: ["internal"],
    deviceType: "singleDevice",
    backedUp: false,
    name: credentialId,
    createdAt,
    lastUsedAt: null,
    sub: owner.sub,
    username: owner.username,
    userHandle: "handle",
  };
}

function setUp(options: { lastResetAt?: number; withResets?: boolean } = {}) {
  const store = memoryStore();
  const passkeys = createPasskeyRepository(store);
  let current: AuthenticatedSession = alice;
  const account = { requireSession: async () => current } as unknown as AccountService;
  const lastForSub = vi.fn(async () => options.lastResetAt);
  const management = createPasskeyManagement({
    rp,
    account,
    passkeys,
    challenges: createChallengeStore({ store, ttlSeconds: 300 }),
    logger: createLogger("silent"),
    ...(options.withResets === false ? {} : { passwordResets: { lastForSub } }),
  });
  const browser = () => ({ session: {}, get: () => undefined }) as unknown as Request;
  return {
    management,
    passkeys,
    browser,
    lastForSub,
    signInAs(session: AuthenticatedSession) {
      current = session;
    },
  };
}

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

const resetAt = Date.now() - 10_000;
const beforeReset = new Date(resetAt - 60_000).toISOString();

describe("listing passkeys", () => {
  it("lists only the signed-in user's passkeys, oldest first, and marks those a password reset paused", async () => {
    const { management, passkeys, browser } = setUp({ lastResetAt: resetAt });
    await passkeys.save(stored("newer", alice));
    await passkeys.save(stored("older", alice, beforeReset));
    await passkeys.save(stored("bobs", bob));
    const listed = await management.list(browser());
    expect(listed.map((view) => [view.id, view.needsConfirmation])).toEqual([
      ["older", true],
      ["newer", false],
    ]);
  });

  it("marks nothing paused when the BFF keeps no password resets", async () => {
    const { management, passkeys, browser } = setUp({ withResets: false });
    await passkeys.save(stored("older", alice, beforeReset));
    expect((await management.list(browser()))[0]?.needsConfirmation).toBe(false);
  });
});

describe("adding a passkey needs a factor proved within PASSKEY_STEP_UP_SECONDS", () => {
  it("answers 403 step_up_required to a session that proved no factor recently, saying an active passkey could do the step-up", async () => {
    const { management, passkeys, browser, signInAs } = setUp();
    await passkeys.save(stored("active", alice));
    signInAs(aliceWithoutStepUp);
    const req = browser();
    const error = await refusal(management.registrationOptions(req));
    expect(error).toMatchObject({ status: 403, code: "step_up_required", extra: { passkeyAvailable: true } });
    expect(error.message).toMatch(/add a passkey/);
    expect(req.session?.passkeyRegistration).toBeUndefined();
  });

  it("says no passkey can do the step-up when the account's only passkey is paused by a password reset", async () => {
    const { management, passkeys, browser, signInAs } = setUp({ lastResetAt: resetAt });
    await passkeys.save(stored("paused", alice, beforeReset));
    signInAs(aliceWithoutStepUp);
    expect(await refusal(management.registrationOptions(browser()))).toMatchObject({ code: "step_up_required", extra: { passkeyAvailable: false } });
  });

  it("says a passkey can do the step-up when at least one of the account's passkeys is active, though another is paused", async () => {
    const { management, passkeys, browser, signInAs } = setUp({ lastResetAt: resetAt });
    await passkeys.save(stored("paused", alice, beforeReset));
    await passkeys.save(stored("active", alice));
    signInAs(aliceWithoutStepUp);
    expect(await refusal(management.registrationOptions(browser()))).toMatchObject({ code: "step_up_required", extra: { passkeyAvailable: true } });
  });

  it("refuses the registration itself without a recent factor, even with a live challenge", async () => {
    const { management, browser, signInAs, passkeys } = setUp();
    const req = browser();
    const options = await management.registrationOptions(req);
    signInAs(aliceWithoutStepUp);
    const credential = new SoftwareAuthenticator(origin).register(options);
    expect(await refusal(management.register(req, { credential }))).toMatchObject({ status: 403, code: "step_up_required" });
    expect(await passkeys.listForUser(alice.username)).toEqual([]);
  });

  it("gives options excluding the user's passkeys and keeps a registration challenge for this browser", async () => {
    const { management, passkeys, browser } = setUp();
    await passkeys.save(stored("existing", alice));
    const req = browser();
    const options = await management.registrationOptions(req);
    expect(options.excludeCredentials?.map((credential) => credential.id)).toEqual(["existing"]);
    expect(req.session?.passkeyRegistration).toMatch(/^[\w-]{43}$/);
  });
});

describe(`at most ${MAX_PASSKEYS_PER_USER} passkeys per account`, () => {
  async function holding(count: number) {
    const context = setUp();
    for (let index = 0; index < count; index += 1) await context.passkeys.save(stored(`key-${index}`, alice));
    return context;
  }

  it(`gives registration options to an account with ${MAX_PASSKEYS_PER_USER - 1}`, async () => {
    const { management, browser } = await holding(MAX_PASSKEYS_PER_USER - 1);
    await expect(management.registrationOptions(browser())).resolves.toMatchObject({ challenge: expect.any(String) });
  });

  it(`answers 409 limit_exceeded to registration options at ${MAX_PASSKEYS_PER_USER}`, async () => {
    const { management, browser } = await holding(MAX_PASSKEYS_PER_USER);
    const error = await refusal(management.registrationOptions(browser()));
    expect(error).toMatchObject({ status: 409, code: "limit_exceeded" });
    expect(error.message).toMatch(`at most ${MAX_PASSKEYS_PER_USER} passkeys`);
  });

  it("answers 409 limit_exceeded to a registration when the limit was reached after its options were given", async () => {
    const { management, passkeys, browser } = await holding(MAX_PASSKEYS_PER_USER - 1);
    const req = browser();
    const options = await management.registrationOptions(req);
    await passkeys.save(stored("added-in-another-tab", alice));
    const credential = new SoftwareAuthenticator(origin).register(options);
    expect(await refusal(management.register(req, { credential }))).toMatchObject({ status: 409, code: "limit_exceeded" });
    expect(await passkeys.find(credential.id)).toBeUndefined();
  });
});

describe("registering a passkey", () => {
  it("stores it for the signed-in user, with the user handle of their sub, unused so far", async () => {
    const { management, passkeys, browser } = setUp();
    const req = browser();
    const credential = new SoftwareAuthenticator(origin).register(await management.registrationOptions(req));
    const view = await management.register(req, { credential, name: "Laptop" });
    expect(view).toMatchObject({ id: credential.id, name: "Laptop", lastUsedAt: null, needsConfirmation: false });
    expect(await passkeys.find(credential.id)).toMatchObject({
      sub: alice.sub,
      username: alice.username,
      userHandle: Buffer.from(alice.sub).toString("base64url"),
      lastUsedAt: null,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it("refuses a registration when this browser holds no registration challenge", async () => {
    const { management, browser } = setUp();
    const options = await management.registrationOptions(browser());
    const credential = new SoftwareAuthenticator(origin).register(options);
    expect(await refusal(management.register(browser(), { credential }))).toMatchObject({
      code: "passkey_rejected",
      message: passkeyMessages.expired,
      reason: "no live registration challenge for this session",
    });
  });

  it("refuses a registration challenge issued to another user's session in this browser", async () => {
    const { management, browser, signInAs, passkeys } = setUp();
    const req = browser();
    signInAs(bob);
    const options = await management.registrationOptions(req);
    signInAs(alice);
    const credential = new SoftwareAuthenticator(origin).register(options);
    expect(await refusal(management.register(req, { credential }))).toMatchObject({ code: "passkey_rejected", message: passkeyMessages.expired });
    expect(await passkeys.find(credential.id)).toBeUndefined();
  });

  it("refuses a credential id registered by a concurrent request between the lookup and the write", async () => {
    const { management, passkeys, browser } = setUp();
    const req = browser();
    const credential = new SoftwareAuthenticator(origin).register(await management.registrationOptions(req));
    // The store's conditional write (absent) refuses: another request saved this id meanwhile.
    passkeys.save = async () => false;
    expect(await refusal(management.register(req, { credential }))).toMatchObject({
      code: "passkey_rejected",
      message: passkeyMessages.alreadyRegistered,
      reason: "credential id already registered",
    });
  });
});

describe("renaming, confirming and deleting a passkey", () => {
  it("renames the user's own passkey", async () => {
    const { management, passkeys, browser } = setUp();
    await passkeys.save(stored("mine", alice));
    expect(await management.rename(browser(), "mine", "Phone")).toMatchObject({ id: "mine", name: "Phone" });
    expect((await passkeys.find("mine"))?.name).toBe("Phone");
  });

  it("answers another user's passkey exactly like a missing one, and leaves it as it was", async () => {
    const { management, passkeys, browser } = setUp();
    await passkeys.save(stored("bobs", bob));
    const before = await passkeys.find("bobs");
    expect(await refusal(management.rename(browser(), "bobs", "Mine now"))).toMatchObject({
      status: 404,
      code: "not_found",
      message: "There is no such passkey on your account.",
    });
    expect(await refusal(management.rename(browser(), "nobodys", "x"))).toMatchObject({ status: 404, code: "not_found" });
    expect(await refusal(management.confirm(browser(), "bobs"))).toMatchObject({ status: 404, code: "not_found" });
    expect(await refusal(management.remove(browser(), "bobs"))).toMatchObject({ status: 404, code: "not_found" });
    expect(await passkeys.find("bobs")).toEqual(before);
  });

  it("confirms a passkey paused by a password reset, so it is no longer marked", async () => {
    const { management, passkeys, browser } = setUp({ lastResetAt: resetAt });
    await passkeys.save(stored("paused", alice, beforeReset));
    expect(await management.confirm(browser(), "paused")).toMatchObject({ id: "paused", needsConfirmation: false });
    expect((await passkeys.find("paused"))?.confirmedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it("answers 403 step_up_required to a confirmation without a recent factor, naming that action", async () => {
    const { management, passkeys, browser, signInAs } = setUp({ lastResetAt: resetAt });
    await passkeys.save(stored("paused", alice, beforeReset));
    signInAs(aliceWithoutStepUp);
    const error = await refusal(management.confirm(browser(), "paused"));
    expect(error).toMatchObject({ status: 403, code: "step_up_required" });
    expect(error.message).toMatch(/use this passkey again/);
    expect((await passkeys.find("paused"))?.confirmedAt).toBeUndefined();
  });

  it("answers 404 to a confirmation whose passkey is deleted after the lookup, and keeps it deleted", async () => {
    const { management, passkeys, browser } = setUp();
    await passkeys.save(stored("mine", alice));
    passkeys.update = async () => false;
    expect(await refusal(management.confirm(browser(), "mine"))).toMatchObject({ status: 404, code: "not_found" });
  });

  it("deletes the user's own passkey", async () => {
    const { management, passkeys, browser } = setUp();
    await passkeys.save(stored("mine", alice));
    await management.remove(browser(), "mine");
    expect(await passkeys.find("mine")).toBeUndefined();
  });

  it("answers 403 step_up_required to a deletion without a recent factor, naming that action, and keeps the passkey", async () => {
    const { management, passkeys, browser, signInAs } = setUp();
    await passkeys.save(stored("mine", alice));
    signInAs(aliceWithoutStepUp);
    const error = await refusal(management.remove(browser(), "mine"));
    expect(error).toMatchObject({ status: 403, code: "step_up_required" });
    expect(error.message).toMatch(/delete a passkey/);
    expect(await passkeys.find("mine")).toBeDefined();
  });
});
