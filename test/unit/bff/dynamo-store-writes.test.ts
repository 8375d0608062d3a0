import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDynamoDbClient, createDynamoStore, type DynamoStore } from "../../../bff/store/dynamo-store";
import { startDynalite, type RunningDynalite } from "../../../emulator/local/local-dynalite";

/** Whole seconds, so that TTL arithmetic has no rounding to hide behind. */
const startMs = Date.UTC(2030, 0, 1);

describe("the DynamoDB store's batch writes and counter records (against dynalite)", () => {
  let dynalite: RunningDynalite;
  let client: DynamoDBClient;
  let store: DynamoStore;
  let clockMs = startMs;
  const raw = async (pk: string) => (await client.send(new GetCommand({ TableName: store.tableName, Key: { pk }, ConsistentRead: true }))).Item;

  beforeAll(async () => {
    dynalite = await startDynalite({ port: 0 });
    client = createDynamoDbClient({ region: "us-east-1", endpoint: dynalite.endpoint, placeholderCredentials: true });
    store = createDynamoStore({ client, tableName: "tobira-store-writes", now: () => clockMs });
    await store.ensureTable();
  });
  afterAll(async () => {
    client.destroy();
    await dynalite.close();
  });

  it("writes every record of a putMany with its value, TTL and index", async () => {
    clockMs = startMs;
    await store.putMany([
      { kind: "pending", id: "one", value: { n: 1 }, options: { ttlSeconds: 60, index: "alice" } },
      { kind: "pending", id: "two", value: { n: 2 } },
    ]);
    expect(
      await store.getMany([
        { kind: "pending", id: "one" },
        { kind: "pending", id: "two" },
      ]),
    ).toEqual([{ n: 1 }, { n: 2 }]);
    expect(await store.queryByIndex("pending", "alice")).toEqual([{ id: "one", value: { n: 1 } }]);
    expect((await raw("pending#one"))?.expiresAt).toBe(startMs / 1000 + 60);
    expect((await raw("pending#two"))?.expiresAt).toBeUndefined();
    clockMs = startMs + 60_000;
    expect(await store.get("pending", "one")).toBeUndefined();
    expect(await store.get("pending", "two")).toEqual({ n: 2 });
  });

  it("lets a counter record expire (TTL) when its window ends, on the first hit and on a restarted window", async () => {
    clockMs = startMs;
    await store.increment("ratelimit", "ip-1", 60);
    expect((await raw("ratelimit#ip-1"))?.expiresAt).toBe(startMs / 1000 + 60);
    clockMs = startMs + 120_000;
    await store.increment("ratelimit", "ip-1", 60);
    expect((await raw("ratelimit#ip-1"))?.expiresAt).toBe(startMs / 1000 + 180);
  });
});
