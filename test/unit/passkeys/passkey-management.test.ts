import type { Request } from "express";
import { describe, expect, it } from "vitest";
import type { AccountService } from "../../../bff/account/account-service";
import { createLogger } from "../../../bff/logger";
import { createChallengeStore } from "../../../bff/passkeys/challenge-store";
import { createPasskeyManagement } from "../../../bff/passkeys/passkey-management";
import { createPasskeyRepository, type StoredPasskey } from "../../../bff/passkeys/passkey-store";
import type { RelyingParty } from "../../../bff/passkeys/relying-party";
import type { AuthenticatedSession } from "../../../bff/session/session-records";
import { memoryStore } from "../../support/memory-store";

const rp: RelyingParty = { id: "localhost", name: "Tobira", origins: ["http://localhost:3000"], timeoutMs: 300_000, challengeTtlSeconds: 300, reauthWindowSeconds: 600 };

const session = { sub: "alice-sub", username: "alice-internal", email: "alice@example.com", authTime: Math.floor(Date.now() / 1000) } as AuthenticatedSession;

const passkey: StoredPasskey = {
  credentialId: "cred-1",
  publicKey: "pk",
  counter: 0,
  transports: ["internal"],
  deviceType: "singleDevice",
  backedUp: false,
  name: "Laptop",
  createdAt: new Date().toISOString(),
  lastUsedAt: null,
  sub: session.sub,
  username: session.username,
  userHandle: "handle",
};

function setUp() {
  const store = memoryStore();
  const passkeys = createPasskeyRepository(store);
  const account = { requireSession: async () => session } as unknown as AccountService;
  const management = createPasskeyManagement({
    rp,
    account,
    passkeys,
    challenges: createChallengeStore({ store, ttlSeconds: 300 }),
    logger: createLogger("silent"),
  });
  return { management, passkeys, req: { session: {} } as unknown as Request };
}

describe("passkey management against concurrent changes", () => {
  it("answers 404 not_found to a rename whose passkey is deleted after the lookup, and keeps it deleted", async () => {
    const { management, passkeys, req } = setUp();
    await passkeys.save(passkey);
    const find = passkeys.find.bind(passkeys);
    // A DELETE from another tab lands between the rename's lookup and its write.
    passkeys.find = async (id) => {
      const found = await find(id);
      await passkeys.remove(id);
      return found;
    };

    await expect(management.rename(req, passkey.credentialId, "Phone")).rejects.toMatchObject({ status: 404, code: "not_found" });
    expect(await find(passkey.credentialId)).toBeUndefined();
  });
});
