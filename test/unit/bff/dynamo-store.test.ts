import { GetItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDynamoDbClient, createDynamoStore, type DynamoStore } from "../../../bff/store/dynamo-store";
import { startDynalite, type RunningDynalite } from "../../../emulator/local/local-dynalite";

// What every Store does is tested once for both stores in test/support/store-contract.ts
// (test/unit/bff/store-contract.test.ts); this file keeps what only the DynamoDB store does.

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

  it("leaves an expired item in the table (DynamoDB's TTL sweep is lazy) and reads it as absent", async () => {
    const key = id();
    await store.put("session", key, { v: 1 }, { ttlSeconds: 5 });
    clockMs += 6_000;
    const raw = await client.send(new GetItemCommand({ TableName: store.tableName, Key: { pk: { S: `session#${key}` } }, ConsistentRead: true }));
    expect(raw.Item).toBeDefined();
    expect(await store.get("session", key)).toBeUndefined();
  });

  it("reports each round-trip to the table by its DynamoDB operation to onCall (how the bench counts store calls)", async () => {
    const calls: string[] = [];
    const counted = createDynamoStore({ client, tableName: store.tableName, now: () => clockMs, onCall: (operation) => calls.push(operation) });
    const key = id();
    await counted.put("session", key, { v: 1 });
    await counted.get("session", key);
    await counted.consume("session", key);
    await counted.increment("ratelimit", key, 60);
    await counted.queryByIndex("session", "nobody");
    await counted.delete("session", key);
    expect(calls).toEqual(["PutItem", "GetItem", "DeleteItem", "UpdateItem", "Query", "DeleteItem"]);
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
