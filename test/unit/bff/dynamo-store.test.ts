import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDynamoDbClient, createDynamoStore, type DynamoStore } from "../../../bff/store/dynamo-store";
import { startDynalite, type RunningDynalite } from "../../../emulator/local/local-dynalite";

describe("the DynamoDB store (against dynalite)", () => {
  let dynalite: RunningDynalite;
  let client: DynamoDBClient;
  let store: DynamoStore;
  let clockMs = Date.now();
  let idCounter = 0;
  const id = () => `id-${(idCounter += 1)}`;

  beforeAll(async () => {
    dynalite = await startDynalite({ port: 0 });
    client = createDynamoDbClient({ region: "us-east-1", endpoint: dynalite.endpoint, placeholderCredentials: true });
    store = createDynamoStore({ client, tableName: "tobira-store-test", now: () => clockMs });
    await store.ensureTable();
  });
  afterAll(async () => {
    client.destroy();
    await dynalite.close();
  });

  it("creates the table once; ensureTable is idempotent", async () => {
    await expect(store.ensureTable()).resolves.toBeUndefined();
  });

  it("reads back what was put, nested JSON included", async () => {
    const key = id();
    const value = { email: "a@example.com", count: 2, nested: { list: [1, "two", { three: true }] }, nothing: null };
    await store.put("session", key, value, { ttlSeconds: 60 });
    expect(await store.get("session", key)).toEqual(value);
  });

  it("answers undefined for an absent record", async () => {
    expect(await store.get("session", id())).toBeUndefined();
  });

  it("keeps kinds apart: the same id under two kinds is two records", async () => {
    const key = id();
    await store.put("session", key, { kind: "session" });
    await store.put("signin", key, { kind: "signin" });
    expect(await store.get("session", key)).toEqual({ kind: "session" });
    expect(await store.get("signin", key)).toEqual({ kind: "signin" });
  });

  it("treats a record past its TTL as absent, though DynamoDB deletes it lazily", async () => {
    const key = id();
    await store.put("session", key, { v: 1 }, { ttlSeconds: 30 });
    clockMs += 29_000;
    expect(await store.get("session", key)).toEqual({ v: 1 });
    clockMs += 2_000;
    expect(await store.get("session", key)).toBeUndefined();
  });

  it("keeps a record without a TTL", async () => {
    const key = id();
    await store.put("passkey", key, { v: 1 });
    clockMs += 10 * 365 * 24 * 3600 * 1000;
    expect(await store.get("passkey", key)).toEqual({ v: 1 });
  });

  it("consumes a record once: of 20 concurrent consumers exactly one gets it", async () => {
    const key = id();
    await store.put("challenge", key, { nonce: "n-1" }, { ttlSeconds: 60 });
    const results = await Promise.all(Array.from({ length: 20 }, () => store.consume("challenge", key)));
    expect(results.filter((result) => result !== undefined)).toEqual([{ nonce: "n-1" }]);
    expect(await store.get("challenge", key)).toBeUndefined();
  });

  it("does not consume an expired record", async () => {
    const key = id();
    await store.put("challenge", key, { nonce: "n-2" }, { ttlSeconds: 5 });
    clockMs += 6_000;
    expect(await store.consume("challenge", key)).toBeUndefined();
  });

  it("deletes a record", async () => {
    const key = id();
    await store.put("session", key, { v: 1 });
    await store.delete("session", key);
    expect(await store.get("session", key)).toBeUndefined();
  });

  it("finds live records by index within one kind", async () => {
    const user = `sub-${id()}`;
    const [a, b, c, d] = [id(), id(), id(), id()];
    await store.put("passkey", a, { name: "a" }, { index: user });
    await store.put("passkey", b, { name: "b" }, { index: user, ttlSeconds: 60 });
    await store.put("passkey", c, { name: "expired" }, { index: user, ttlSeconds: 1 });
    await store.put("session", d, { name: "other kind" }, { index: user });
    clockMs += 2_000;
    const found = await store.queryByIndex<{ name: string }>("passkey", user);
    expect(found.map((record) => [record.id, record.value.name]).sort()).toEqual([
      [a, "a"],
      [b, "b"],
    ]);
  });

  it("counts hits in a fixed window and restarts the count when the window ends", async () => {
    const key = id();
    const first = await store.increment("ratelimit", key, 60);
    const second = await store.increment("ratelimit", key, 60);
    expect([first.count, second.count]).toEqual([1, 2]);
    expect(second.resetAt).toBe(first.resetAt);
    clockMs += 61_000;
    const restarted = await store.increment("ratelimit", key, 60);
    expect(restarted.count).toBe(1);
    expect(restarted.resetAt).toBeGreaterThan(first.resetAt);
  });

  it("counts concurrent increments exactly", async () => {
    const key = id();
    await Promise.all(Array.from({ length: 15 }, () => store.increment("ratelimit", key, 60)));
    expect((await store.increment("ratelimit", key, 60)).count).toBe(16);
  });

  it("replaces a live record under condition exists, and says it wrote", async () => {
    const key = id();
    await store.put("passkey", key, { name: "old" });
    expect(await store.put("passkey", key, { name: "new" }, { condition: { exists: true } })).toBe(true);
    expect(await store.get("passkey", key)).toEqual({ name: "new" });
  });

  it("does not recreate a deleted record under condition exists", async () => {
    const key = id();
    await store.put("passkey", key, { name: "old" });
    await store.delete("passkey", key);
    expect(await store.put("passkey", key, { name: "late update" }, { condition: { exists: true } })).toBe(false);
    expect(await store.get("passkey", key)).toBeUndefined();
  });

  it("does not revive an expired record under condition exists", async () => {
    const key = id();
    await store.put("session", key, { v: 1 }, { ttlSeconds: 5 });
    clockMs += 6_000;
    expect(await store.put("session", key, { v: 2 }, { ttlSeconds: 60, condition: { exists: true } })).toBe(false);
    expect(await store.get("session", key)).toBeUndefined();
  });

  it("writes when a field equals the expected value (compare-and-set)", async () => {
    const key = id();
    await store.put("signin", key, { version: 4, failedCodes: 1 }, { ttlSeconds: 60 });
    expect(await store.put("signin", key, { version: 5, failedCodes: 2 }, { ttlSeconds: 60, condition: { field: "version", equals: 4 } })).toBe(true);
    expect(await store.get("signin", key)).toEqual({ version: 5, failedCodes: 2 });
  });

  it("writes nothing when the field holds another value, and says so", async () => {
    const key = id();
    await store.put("signin", key, { version: 5, failedCodes: 2 }, { ttlSeconds: 60 });
    expect(await store.put("signin", key, { version: 5, failedCodes: 0 }, { ttlSeconds: 60, condition: { field: "version", equals: 4 } })).toBe(false);
    expect(await store.get("signin", key)).toEqual({ version: 5, failedCodes: 2 });
  });

  it("compares string fields too", async () => {
    const key = id();
    await store.put("signin", key, { owner: "a" });
    expect(await store.put("signin", key, { owner: "b" }, { condition: { field: "owner", equals: "b" } })).toBe(false);
    expect(await store.put("signin", key, { owner: "b" }, { condition: { field: "owner", equals: "a" } })).toBe(true);
    expect(await store.get("signin", key)).toEqual({ owner: "b" });
  });

  it("treats equals undefined as 'the field is absent'", async () => {
    const key = id();
    await store.put("signin", key, { failedCodes: 1 });
    expect(await store.put("signin", key, { failedCodes: 2, version: 1 }, { condition: { field: "version", equals: undefined } })).toBe(true);
    expect(await store.put("signin", key, { failedCodes: 9, version: 1 }, { condition: { field: "version", equals: undefined } })).toBe(false);
    expect(await store.get("signin", key)).toEqual({ failedCodes: 2, version: 1 });
  });

  it("does not create a record under a field condition", async () => {
    const key = id();
    expect(await store.put("signin", key, { version: 1 }, { condition: { field: "version", equals: undefined } })).toBe(false);
    expect(await store.get("signin", key)).toBeUndefined();
  });

  it("lets exactly one of concurrent compare-and-set writers win", async () => {
    const key = id();
    await store.put("signin", key, { version: 0 }, { ttlSeconds: 60 });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, writer) => store.put("signin", key, { version: 1, writer }, { ttlSeconds: 60, condition: { field: "version", equals: 0 } })),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await store.get("signin", key)).toEqual({ version: 1, writer: results.indexOf(true) });
  });

  it("answers ping while the table is reachable", async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it("refuses a kind that could collide with another's keys", async () => {
    await expect(store.put("bad#kind", "x", {})).rejects.toThrow(/Invalid store kind/);
  });
});

describe("dynalite on disk", () => {
  it("keeps records across a restart on the same folder", async () => {
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const path = await import("node:path");
    const folder = mkdtempSync(path.join(tmpdir(), "tobira-dynalite-"));
    try {
      const write = await startDynalite({ port: 0, path: folder });
      const writer = createDynamoDbClient({ region: "us-east-1", endpoint: write.endpoint, placeholderCredentials: true });
      const before = createDynamoStore({ client: writer, tableName: "tobira-disk" });
      await before.ensureTable();
      await before.put("session", "kept", { v: 42 }, { ttlSeconds: 600 });
      writer.destroy();
      await write.close();

      const read = await startDynalite({ port: 0, path: folder });
      const reader = createDynamoDbClient({ region: "us-east-1", endpoint: read.endpoint, placeholderCredentials: true });
      const after = createDynamoStore({ client: reader, tableName: "tobira-disk" });
      await after.ensureTable();
      expect(await after.get("session", "kept")).toEqual({ v: 42 });
      reader.destroy();
      await read.close();
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
