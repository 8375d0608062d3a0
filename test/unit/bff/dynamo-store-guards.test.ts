import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { createDynamoStore } from "../../../bff/store/dynamo-store";
import { maxStoreKeyBytes, StoreKeyTooLongError, StoreUnavailableError } from "../../../bff/store/store-errors";

/**
 * The DynamoDB store's checks before and after a call, against a client that never reaches a
 * table: every command it is given fails at once with the error the test names.
 */
function failingStore(errorName: string) {
  const client = new DynamoDBClient({ region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  client.middlewareStack.add(
    () => () => {
      const error = new Error(`stubbed ${errorName}`);
      error.name = errorName;
      return Promise.reject(error);
    },
    { step: "initialize", name: "failEveryCommand" },
  );
  const calls: string[] = [];
  const store = createDynamoStore({ client, tableName: "guards", onCall: (operation) => calls.push(operation) });
  return { store, calls };
}

const tooLongId = "x".repeat(maxStoreKeyBytes);

describe("the DynamoDB store's key-length guard", () => {
  it("refuses to put a record whose id is too long for a key, without a call", async () => {
    const { store, calls } = failingStore("Unreachable");
    await expect(store.put("session", tooLongId, {})).rejects.toBeInstanceOf(StoreKeyTooLongError);
    expect(calls).toEqual([]);
  });

  it("refuses to put a record whose index is too long for a key, without a call", async () => {
    const { store, calls } = failingStore("Unreachable");
    await expect(store.put("session", "short", {}, { index: tooLongId })).rejects.toBeInstanceOf(StoreKeyTooLongError);
    expect(calls).toEqual([]);
  });

  it("answers that a record with a too-long id was never there when consumed or marked, without a call", async () => {
    const { store, calls } = failingStore("Unreachable");
    await expect(store.consume("challenge", tooLongId)).resolves.toBeUndefined();
    await expect(store.markOnce("challenge", tooLongId, "usedAt", 1)).resolves.toBeUndefined();
    expect(calls).toEqual([]);
  });
});

describe("the DynamoDB store's conditional writes when the table fails", () => {
  it.each(["put", "consume", "markOnce"] as const)("fails %s as the store being unavailable, naming the operation", async (operation) => {
    const { store } = failingStore("ThrottlingException");
    const call =
      operation === "put"
        ? store.put("session", "a", {}, { condition: { exists: true } })
        : operation === "consume"
          ? store.consume("challenge", "a")
          : store.markOnce("challenge", "a", "usedAt", 1);
    const error: unknown = await call.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as StoreUnavailableError).operation).toBe(operation);
  });

  it("answers a lost condition as 'not written' or 'not there', not as a failure", async () => {
    const { store } = failingStore("ConditionalCheckFailedException");
    await expect(store.put("session", "a", {}, { condition: { exists: true } })).resolves.toBe(false);
    await expect(store.consume("challenge", "a")).resolves.toBeUndefined();
    await expect(store.markOnce("challenge", "a", "usedAt", 1)).resolves.toBeUndefined();
  });
});

describe("the DynamoDB store's other operations: key-length guard and limits", () => {
  it("answers absent, empty or nothing for too-long ids and indexes, without a call", async () => {
    const { store, calls } = failingStore("Unreachable");
    await expect(store.get("session", tooLongId)).resolves.toBeUndefined();
    await expect(store.getMany(Array.from({ length: 100 }, () => ({ kind: "session", id: tooLongId })))).resolves.toEqual(Array(100).fill(undefined));
    await expect(store.queryByIndex("passkey", tooLongId)).resolves.toEqual([]);
    await expect(store.delete("session", tooLongId)).resolves.toBeUndefined();
    await expect(store.putMany([], [{ kind: "session", id: tooLongId }])).resolves.toBeUndefined();
    await expect(store.increment("ratelimit", tooLongId, 60)).rejects.toBeInstanceOf(StoreKeyTooLongError);
    await expect(store.addToWindows("throttle", tooLongId, [{ counter: "password", windowSeconds: 60, by: 1 }], 3600)).rejects.toBeInstanceOf(StoreKeyTooLongError);
    expect(calls).toEqual([]);
  });

  it("reads at most 100 records in one getMany", async () => {
    const { store } = failingStore("Unreachable");
    await expect(store.getMany(Array.from({ length: 101 }, (_, index) => ({ kind: "session", id: `${index}` })))).rejects.toThrow("getMany reads at most 100 records");
  });

  it("writes at most 25 records in one putMany, none with a too-long id or index, and makes no call for none", async () => {
    const { store, calls } = failingStore("Unreachable");
    const record = (id: string, index?: string) => ({ kind: "session", id, value: {}, options: index === undefined ? {} : { index } });
    await expect(store.putMany(Array.from({ length: 26 }, (_, index) => record(`${index}`)))).rejects.toThrow("putMany writes at most 25 records");
    await expect(store.putMany([record("a"), record(tooLongId)])).rejects.toBeInstanceOf(StoreKeyTooLongError);
    await expect(store.putMany([record("a", tooLongId)])).rejects.toBeInstanceOf(StoreKeyTooLongError);
    await expect(store.putMany([])).resolves.toBeUndefined();
    expect(calls).toEqual([]);
    await expect(store.putMany(Array.from({ length: 25 }, (_, index) => record(`${index}`, "ix")))).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(calls).toEqual(["BatchWriteItem"]);
  });

  it("fails every operation as the store being unavailable when the table fails, naming the operation", async () => {
    const { store } = failingStore("ThrottlingException");
    const operations: [string, () => Promise<unknown>][] = [
      ["get", () => store.get("session", "a")],
      ["getMany", () => store.getMany([{ kind: "session", id: "a" }])],
      ["putMany", () => store.putMany([{ kind: "session", id: "a", value: {} }])],
      ["delete", () => store.delete("session", "a")],
      ["queryByIndex", () => store.queryByIndex("passkey", "a")],
      ["increment", () => store.increment("ratelimit", "a", 60)],
      ["addToWindows", () => store.addToWindows("throttle", "a", [{ counter: "password", windowSeconds: 60, by: 1 }], 3600)],
      ["ping", () => store.ping()],
    ];
    for (const [operation, call] of operations) {
      const error: unknown = await call().catch((caught: unknown) => caught);
      expect(error, operation).toBeInstanceOf(StoreUnavailableError);
      expect((error as StoreUnavailableError).operation).toBe(operation);
    }
  });

  it("does not restart a counter's window when the table fails: one call, then the failure", async () => {
    const { store, calls } = failingStore("ThrottlingException");
    await expect(store.increment("ratelimit", "a", 60)).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(calls).toEqual(["UpdateItem"]);
  });

  it("gives up on a counter after three rounds lost to concurrent window restarts, as the store being unavailable", async () => {
    const { store, calls } = failingStore("ConditionalCheckFailedException");
    const error: unknown = await store.increment("ratelimit", "a", 60).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(((error as StoreUnavailableError).cause as Error).message).toBe("Could not update a rate-limit counter after concurrent restarts");
    expect(calls).toEqual(["UpdateItem", "PutItem", "UpdateItem", "PutItem", "UpdateItem", "PutItem"]);
  });
});
