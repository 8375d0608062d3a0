import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { createDynamoStore } from "../../../bff/store/dynamo-store";
import { maxStoreKeyBytes } from "../../../bff/store/store-errors";

/**
 * The DynamoDB store's putMany with deletes, as sent: one BatchWriteItem carrying PutRequests and
 * DeleteRequests, against a client that answers every command itself (no table).
 */
function answeringStore(answers: object[]) {
  const client = new DynamoDBClient({ region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  const sent: string[] = [];
  client.middlewareStack.add(
    () => async (args) => {
      sent.push(JSON.stringify(args.input));
      return { output: { $metadata: {}, ...(answers.shift() ?? {}) }, response: {} };
    },
    { step: "initialize", name: "answerEveryCommand" },
  );
  const calls: string[] = [];
  const store = createDynamoStore({ client, tableName: "deletes", onCall: (operation) => calls.push(operation) });
  return { store, sent, calls };
}

const tooLongId = "x".repeat(maxStoreKeyBytes);

describe("the DynamoDB store's putMany with deletes", () => {
  it("sends the puts and the deletes in one BatchWriteItem, a delete by the record's key", async () => {
    const { store, sent, calls } = answeringStore([]);
    await store.putMany([{ kind: "session", id: "new", value: { a: 1 } }], [{ kind: "signin", id: "old" }]);
    expect(calls).toEqual(["BatchWriteItem"]);
    expect(sent[0]).toContain('"PutRequest"');
    expect(sent[0]).toContain('"DeleteRequest":{"Key":{"pk":"signin#old"}}');
  });

  it("leaves out a delete whose id is too long for a key (no such record can exist), and sends nothing for only such deletes", async () => {
    const { store, sent, calls } = answeringStore([]);
    await store.putMany([{ kind: "session", id: "new", value: {} }], [{ kind: "signin", id: tooLongId }]);
    expect(sent[0]).not.toContain("DeleteRequest");
    await store.putMany([], [{ kind: "signin", id: tooLongId }]);
    expect(calls).toEqual(["BatchWriteItem"]);
  });

  it("sends again the deletes DynamoDB left unprocessed", async () => {
    const { store, sent, calls } = answeringStore([{ UnprocessedItems: { deletes: [{ DeleteRequest: { Key: { pk: "signin#old" } } }] } }]);
    await store.putMany([{ kind: "session", id: "new", value: {} }], [{ kind: "signin", id: "old" }]);
    expect(calls).toEqual(["BatchWriteItem", "BatchWriteItem"]);
    expect(sent[1]).toContain("signin#old");
    expect(sent[1]).not.toContain("PutRequest");
  });

  it("refuses a record named twice, without a call", async () => {
    const { store, calls } = answeringStore([]);
    await expect(store.putMany([{ kind: "signin", id: "a", value: {} }], [{ kind: "signin", id: "a" }])).rejects.toThrow("at most once");
    await expect(
      store.putMany(
        [],
        [
          { kind: "signin", id: "a" },
          { kind: "signin", id: "a" },
        ],
      ),
    ).rejects.toThrow("at most once");
    expect(calls).toEqual([]);
  });
});
