import { describe, expect, it } from "vitest";
import { createPasskeyRepository, isSuspended, toPasskeyView, type StoredPasskey } from "../../../bff/passkeys/passkey-store";
import { memoryStore } from "../../support/memory-store";

/** The passkey records (docs/architecture.md, "State and its record kinds") and the pause after a password reset. */

function passkey(credentialId: string, username: string, createdAt = "2026-03-01T10:00:00.000Z"): StoredPasskey {
  return {
    credentialId,
    publicKey: "key",
    counter: 3,
    transports: ["internal"],
    deviceType: "singleDevice",
    backedUp: false,
    name: credentialId,
    createdAt,
    lastUsedAt: null,
    sub: `${username}-sub`,
    username,
    userHandle: "handle",
  };
}

describe("the passkey repository", () => {
  it("lists one user's passkeys, oldest first, and no one else's", async () => {
    const passkeys = createPasskeyRepository(memoryStore());
    await passkeys.save(passkey("second", "alice", "2026-03-02T00:00:00.000Z"));
    await passkeys.save(passkey("bobs", "bob", "2026-03-01T00:00:00.000Z"));
    await passkeys.save(passkey("first", "alice", "2026-03-01T00:00:00.000Z"));
    await passkeys.save(passkey("third", "alice", "2026-03-03T00:00:00.000Z"));
    expect((await passkeys.listForUser("alice")).map((stored) => stored.credentialId)).toEqual(["first", "second", "third"]);
  });

  it("changes a stored passkey without a counter condition, but never brings back a removed one", async () => {
    const passkeys = createPasskeyRepository(memoryStore());
    await passkeys.save(passkey("cred", "alice"));
    expect(await passkeys.update({ ...passkey("cred", "alice"), name: "Phone" })).toBe(true);
    expect(await passkeys.find("cred")).toMatchObject({ name: "Phone" });
    await passkeys.remove("cred");
    expect(await passkeys.find("cred")).toBeUndefined();
    expect(await passkeys.update({ ...passkey("cred", "alice"), name: "Back" })).toBe(false);
    expect(await passkeys.find("cred")).toBeUndefined();
    expect(await passkeys.listForUser("alice")).toEqual([]);
  });

  it("keeps an updated passkey in its owner's list", async () => {
    const passkeys = createPasskeyRepository(memoryStore());
    await passkeys.save(passkey("cred", "alice"));
    await passkeys.update({ ...passkey("cred", "alice"), counter: 4 }, 3);
    expect((await passkeys.listForUser("alice")).map((stored) => stored.counter)).toEqual([4]);
  });
});

describe("isSuspended: a passkey older than the last password reset is paused", () => {
  const createdAt = "2026-03-01T10:00:00.000Z";
  const created = Date.parse(createdAt);

  it("is active when the account was never reset", () => {
    expect(isSuspended({ createdAt }, undefined)).toBe(false);
  });

  it("is paused when created before the reset, and at the same millisecond", () => {
    expect(isSuspended({ createdAt }, created + 1)).toBe(true);
    expect(isSuspended({ createdAt }, created)).toBe(true);
  });

  it("is active when created after the reset", () => {
    expect(isSuspended({ createdAt }, created - 1)).toBe(false);
  });

  it("is active again once confirmed after the reset, and judged by that confirmation", () => {
    expect(isSuspended({ createdAt, confirmedAt: "2026-03-05T00:00:00.000Z" }, created + 1)).toBe(false);
    expect(isSuspended({ createdAt, confirmedAt: "2026-03-05T00:00:00.000Z" }, Date.parse("2026-03-06T00:00:00.000Z"))).toBe(true);
  });
});

describe("the contract's view of a passkey", () => {
  it("shows what the account page needs and no key material or owner ids", () => {
    const view = toPasskeyView({ ...passkey("cred", "alice"), lastUsedAt: "2026-03-02T00:00:00.000Z", backedUp: true, deviceType: "multiDevice" });
    expect(view).toEqual({
      needsConfirmation: false,
      id: "cred",
      name: "cred",
      createdAt: "2026-03-01T10:00:00.000Z",
      lastUsedAt: "2026-03-02T00:00:00.000Z",
      deviceType: "multiDevice",
      backedUp: true,
      transports: ["internal"],
      provider: null,
      attachment: null,
    });
  });

  it("names the provider from the AAGUID and shows the attachment the browser reported", () => {
    const view = toPasskeyView({ ...passkey("cred", "alice"), aaguid: "fbfc3007-154e-4ecc-8c0b-6e020557d7bd", attachment: "platform" });
    expect(view).toMatchObject({ provider: "iCloud Keychain", attachment: "platform" });
  });

  it("marks a passkey paused by a later password reset", () => {
    expect(toPasskeyView(passkey("cred", "alice"), Date.parse("2026-03-02T00:00:00.000Z")).needsConfirmation).toBe(true);
  });
});
