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
