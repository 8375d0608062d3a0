import type { Request } from "express";
import { describe, expect, it } from "vitest";
import type { AccountService } from "../../../bff/account/account-service";
import { createLogger } from "../../../bff/logger";
import { createChallengeStore } from "../../../bff/passkeys/challenge-store";
import { passkeyMessages } from "../../../bff/passkeys/passkey-errors";
import { createPasskeyManagement } from "../../../bff/passkeys/passkey-management";
import { createPasskeyRepository, type StoredPasskey } from "../../../bff/passkeys/passkey-store";
import type { RelyingParty } from "../../../bff/passkeys/relying-party";
import type { AuthenticatedSession } from "../../../bff/session/session-records";
import { memoryStore } from "../../support/memory-store";
import { SoftwareAuthenticator } from "../../support/software-authenticator";

/**
 * A credential id names one passkey record (WebAuthn L3 §7.1 step 26: "If the credential ID is
 * already known, the Relying Party SHOULD fail this registration ceremony"). Without that check a
 * registration would overwrite the record of whoever registered the id first, another user
 * included, and take over their passkey sign-in.
 */

const origin = "http://localhost:3000";
const rp: RelyingParty = {
  id: "localhost",
  name: "Tobira",
  origins: [origin],
  timeoutMs: 300_000,
  challengeTtlSeconds: 300,
  stepUpWindowSeconds: 300,
};
const now = () => Math.floor(Date.now() / 1000);
const alice = { sub: "alice-sub", username: "alice-internal", email: "alice@example.com", authTime: now(), factorProvedAt: now() } as AuthenticatedSession;
const bob = { sub: "bob-sub", username: "bob-internal", email: "bob@example.com", authTime: now(), factorProvedAt: now() } as AuthenticatedSession;

function setUp() {
  const store = memoryStore();
  const passkeys = createPasskeyRepository(store);
  let current: AuthenticatedSession = alice;
  const account = { requireSession: async () => current } as unknown as AccountService;
  const management = createPasskeyManagement({ rp, account, passkeys, challenges: createChallengeStore({ store, ttlSeconds: 300 }), logger: createLogger("silent") });
  const browser = () => ({ session: {} }) as unknown as Request;
  return {
    management,
    passkeys,
    browser,
    signInAs(session: AuthenticatedSession) {
      current = session;
    },
  };
}

describe("registering a credential id that is already registered", () => {
  it("refuses it with passkey_rejected and leaves the other user's passkey record as it was", async () => {
    const { management, passkeys, browser, signInAs } = setUp();
    const authenticator = new SoftwareAuthenticator(origin);
    signInAs(bob);
    const bobsBrowser = browser();
    const credential = authenticator.register(await management.registrationOptions(bobsBrowser));
    // Alice already holds a passkey under the very id Bob's authenticator just produced.
    const alicesPasskey: StoredPasskey = {
      credentialId: credential.id,
      publicKey: "alice-public-key",
      counter: 7,
      transports: ["internal"],
      deviceType: "singleDevice",
      backedUp: false,
      name: "Alice's laptop",
      createdAt: new Date().toISOString(),
      lastUsedAt: null,
      sub: alice.sub,
      username: alice.username,
      userHandle: "alice-handle",
    };
    await passkeys.save(alicesPasskey);

    await expect(management.register(bobsBrowser, { credential })).rejects.toMatchObject({
      status: 400,
      code: "passkey_rejected",
      message: passkeyMessages.alreadyRegistered,
      reason: "credential id already registered",
    });
    expect(await passkeys.find(credential.id)).toEqual(alicesPasskey);
    expect(await passkeys.listForUser(bob.username)).toEqual([]);
  });
});
