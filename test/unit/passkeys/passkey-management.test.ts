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
import { SoftwareAuthenticator, type CeremonyOverrides } from "../../support/software-authenticator";

const rp: RelyingParty = {
  id: "localhost",
  name: "Tobira",
  origins: ["http://localhost:3000"],
  timeoutMs: 300_000,
  challengeTtlSeconds: 300,
  stepUpWindowSeconds: 300,
};

const session = {
  sub: "alice-sub",
  username: "alice-internal",
  email: "alice@example.com",
  authTime: Math.floor(Date.now() / 1000),
  factorProvedAt: Math.floor(Date.now() / 1000),
} as AuthenticatedSession;

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

describe("passkey names, providers and the Signal API details", () => {
  const userAgent = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
  const requestFrom = (agent: string | undefined) =>
    ({ session: {}, get: (name: string) => (name.toLowerCase() === "user-agent" ? agent : undefined) }) as unknown as Request;

  async function registerWith(management: ReturnType<typeof setUp>["management"], overrides: CeremonyOverrides, agent: string | undefined = userAgent) {
    const req = requestFrom(agent);
    const authenticator = new SoftwareAuthenticator("http://localhost:3000");
    const options = await management.registrationOptions(req);
    return management.register(req, { credential: authenticator.register(options, overrides) });
  }

  it("names a new passkey after its provider and shows the provider and attachment", async () => {
    const { management } = setUp();
    const created = await registerWith(management, { aaguid: "fbfc3007-154e-4ecc-8c0b-6e020557d7bd", synced: true });
    expect(created).toMatchObject({ name: "iCloud Keychain", provider: "iCloud Keychain", attachment: "platform", deviceType: "multiDevice" });
  });

  it("numbers a second passkey of the same provider instead of '… 2'", async () => {
    const { management } = setUp();
    await registerWith(management, { aaguid: "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4", synced: true });
    const second = await registerWith(management, { aaguid: "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4", synced: true });
    expect(second.name).toBe("Google Password Manager (2)");
  });

  it("names an unknown built-in authenticator after the browser and system it was made in", async () => {
    const { management } = setUp();
    const created = await registerWith(management, {});
    expect(created).toMatchObject({ name: "Chrome on Mac", provider: null, attachment: "platform" });
  });

  it("keeps a name the person gave", async () => {
    const { management } = setUp();
    const req = requestFrom(userAgent);
    const options = await management.registrationOptions(req);
    const created = await management.register(req, { credential: new SoftwareAuthenticator("http://localhost:3000").register(options), name: "Work laptop" });
    expect(created.name).toBe("Work laptop");
  });

  it("lists for the Signal API the RP ID, the user handle, every accepted credential id and the user's names", async () => {
    const { management, passkeys, req } = setUp();
    await passkeys.save(passkey);
    await passkeys.save({ ...passkey, credentialId: "cred-2" });
    await passkeys.save({ ...passkey, credentialId: "someone-else", username: "bob-internal", sub: "bob-sub" });
    expect(await management.signals(req)).toEqual({
      rpId: "localhost",
      userId: Buffer.from("alice-sub").toString("base64url"),
      allAcceptedCredentialIds: ["cred-1", "cred-2"],
      name: "alice@example.com",
      displayName: "alice@example.com",
    });
  });
});
