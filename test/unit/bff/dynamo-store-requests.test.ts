import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createDynamoStore } from "../../../bff/store/dynamo-store";
import { StoreUnavailableError } from "../../../bff/store/store-errors";

/**
 * The DynamoDB store's requests, against a scripted DynamoDB: a request handler in place of the
 * SDK's HTTP one records each request (its operation and JSON body) and answers what the test
 * scripts, in DynamoDB's wire format. What a table on dynalite cannot be made to do on demand —
 * leave keys unprocessed, answer a query in pages, stay CREATING, refuse one call — is scripted here.
 * The store is built inside each test: Stryker activates a mutant per test (README, npm run mutate).
 */

type Json = Record<string, unknown>;
interface DynamoCall {
  operation: string;
  input: Json;
  signal: AbortSignal | undefined;
}
/** A JSON body, an error of that name (HTTP 400), or no answer at all (until the request is aborted). */
type Answer = Json | { error: string } | "no answer";

const tableName = "scripted";

function scriptedDynamo(answer: (call: DynamoCall) => Answer) {
  const calls: DynamoCall[] = [];
  const requestHandler = {
    handle(request: { headers: Record<string, string>; body: Uint8Array | string }, options?: { abortSignal?: AbortSignal }) {
      const operation = request.headers["x-amz-target"]!.replace("DynamoDB_20120810.", "");
      const input = JSON.parse(typeof request.body === "string" ? request.body : new TextDecoder().decode(request.body)) as Json;
      const call: DynamoCall = { operation, input, signal: options?.abortSignal };
      calls.push(call);
      const answered = answer(call);
      if (answered === "no answer") {
        return new Promise((_, reject) => options?.abortSignal?.addEventListener("abort", () => reject(new Error("aborted"))));
      }
      const [statusCode, body] =
        "error" in answered ? [400, { __type: `com.amazonaws.dynamodb.v20120810#${String(answered.error)}`, message: "scripted" }] : [200, answered];
      const response = { statusCode, headers: { "content-type": "application/x-amz-json-1.0" }, body: new TextEncoder().encode(JSON.stringify(body)) };
      return Promise.resolve({ response });
    },
  };
  const client = new DynamoDBClient({
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
    requestHandler: requestHandler as never,
  });
  return { client, calls, operations: () => calls.map(({ operation }) => operation) };
}

/** Answers in the order given; a call beyond them fails the test. */
function inTurn(...answers: Answer[]): (call: DynamoCall) => Answer {
  let next = 0;
  return (call) => {
    const answer = answers[next];
    next += 1;
    if (answer === undefined) throw new Error(`unscripted call ${next}: ${call.operation}`);
    return answer;
  };
}

/** A stored record as DynamoDB's wire format has it (string and number attributes only). */
function wireItem(kind: string, id: string, value: Record<string, string | number>): Json {
  const attributes = Object.fromEntries(Object.entries(value).map(([name, v]) => [name, typeof v === "number" ? { N: String(v) } : { S: v }]));
  return { pk: { S: `${kind}#${id}` }, kind: { S: kind }, id: { S: id }, value: { M: attributes } };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("the DynamoDB store's pages and batches", () => {
  it("queryByIndex reads every page while DynamoDB returns LastEvaluatedKey", async () => {
    const pageEnd = (id: string) => ({ pk: { S: `passkey#${id}` }, ix: { S: "passkey#alice" } });
    const dynamo = scriptedDynamo(
      inTurn(
        { Items: [wireItem("passkey", "a", { n: 1 })], LastEvaluatedKey: pageEnd("a") },
        // A page without Items (the output's type allows it): nothing to add, but more pages follow.
        { LastEvaluatedKey: pageEnd("x") },
        { Items: [wireItem("passkey", "b", { n: 2 })] },
      ),
    );
    const store = createDynamoStore({ client: dynamo.client, tableName });
    expect(await store.queryByIndex("passkey", "alice")).toEqual([
      { id: "a", value: { n: 1 } },
      { id: "b", value: { n: 2 } },
    ]);
    expect(dynamo.calls.map(({ input }) => input.ExclusiveStartKey)).toEqual([undefined, pageEnd("a"), pageEnd("x")]);
  });

  it("getMany asks again for the keys DynamoDB left unprocessed until none are left", async () => {
    const key = (id: string) => ({ pk: { S: `session#${id}` } });
    const dynamo = scriptedDynamo(
      inTurn(
        { Responses: { [tableName]: [wireItem("session", "a", { n: 1 })] }, UnprocessedKeys: { [tableName]: { Keys: [key("b"), key("c")], ConsistentRead: true } } },
        // Throttled entirely: no Responses at all.
        { UnprocessedKeys: { [tableName]: { Keys: [key("c")], ConsistentRead: true } } },
        { Responses: { [tableName]: [wireItem("session", "c", { n: 3 })] } },
      ),
    );
    const store = createDynamoStore({ client: dynamo.client, tableName });
    const read = await store.getMany(["a", "b", "c"].map((id) => ({ kind: "session", id })));
    expect(read).toEqual([{ n: 1 }, undefined, { n: 3 }]);
    const asked = dynamo.calls.map(({ input }) => (input.RequestItems as Record<string, { Keys: unknown[] }>)[tableName]!.Keys);
    expect(asked).toEqual([[key("a"), key("b"), key("c")], [key("b"), key("c")], [key("c")]]);
  });

  it("putMany sends again the items DynamoDB left unprocessed until none are left", async () => {
    const put = (id: string) => ({ PutRequest: { Item: wireItem("token", id, { n: 1 }) } });
    const dynamo = scriptedDynamo(inTurn({ UnprocessedItems: { [tableName]: [put("b")] } }, {}));
    const store = createDynamoStore({ client: dynamo.client, tableName });
    await store.putMany(["a", "b"].map((id) => ({ kind: "token", id, value: { n: 1 } })));
    const sent = dynamo.calls.map(({ input }) => (input.RequestItems as Record<string, unknown[]>)[tableName]);
    expect(sent).toEqual([[put("a"), put("b")], [put("b")]]);
  });

  it("reads with strongly consistent reads (get, getMany, a counter read): what a write just stored is seen", async () => {
    const dynamo = scriptedDynamo(() => ({}));
    const store = createDynamoStore({ client: dynamo.client, tableName });
    await store.get("session", "a");
    await store.getMany([{ kind: "session", id: "a" }]);
    await store.addToWindows("throttle", "a", [{ counter: "password", windowSeconds: 60, by: 0 }], 3600);
    expect(dynamo.operations()).toEqual(["GetItem", "BatchGetItem", "GetItem"]);
    const [get, batchGet, counterRead] = dynamo.calls.map(({ input }) => input);
    expect(get!.ConsistentRead).toBe(true);
    expect((batchGet!.RequestItems as Record<string, Json>)[tableName]!.ConsistentRead).toBe(true);
    expect(counterRead!.ConsistentRead).toBe(true);
  });

  it("stores a value's undefined fields as absent and its empty strings as empty strings", async () => {
    const dynamo = scriptedDynamo(() => ({}));
    const store = createDynamoStore({ client: dynamo.client, tableName });
    await store.put("session", "a", { kept: "", dropped: undefined });
    expect((dynamo.calls[0]!.input.Item as Json).value).toEqual({ M: { kept: { S: "" } } });
  });
});

describe("the DynamoDB store's deadline and errors", () => {
  it("fails an operation without an answer at its deadline as the store being unavailable, and aborts its request", async () => {
    const dynamo = scriptedDynamo(() => "no answer");
    const store = createDynamoStore({ client: dynamo.client, tableName, deadlineMs: 30 });
    const error: unknown = await store.get("session", "a").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as StoreUnavailableError).operation).toBe("get");
    expect(((error as StoreUnavailableError).cause as Error).message).toBe("no answer within 30 ms");
    expect(dynamo.calls[0]!.signal?.aborted).toBe(true);
  });

  it("leaves an answered operation's request alone after its deadline has passed", async () => {
    const dynamo = scriptedDynamo(() => ({}));
    const store = createDynamoStore({ client: dynamo.client, tableName, deadlineMs: 20 });
    await store.get("session", "a");
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(dynamo.calls[0]!.signal?.aborted).toBe(false);
  });

  it("passes a malformed request's error (ValidationException) through as it is, not as the store being unavailable", async () => {
    const dynamo = scriptedDynamo(() => ({ error: "ValidationException" }));
    const store = createDynamoStore({ client: dynamo.client, tableName });
    const error: unknown = await store.get("session", "a").catch((caught: unknown) => caught);
    expect(error).not.toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).name).toBe("ValidationException");
  });

  it("fails a counter at once when restarting its window fails for another reason than a lost race", async () => {
    const dynamo = scriptedDynamo(inTurn({ error: "ConditionalCheckFailedException" }, { error: "AccessDeniedException" }));
    const store = createDynamoStore({ client: dynamo.client, tableName });
    const error: unknown = await store.increment("ratelimit", "a", 60).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(((error as StoreUnavailableError).cause as Error).name).toBe("AccessDeniedException");
    expect(dynamo.operations()).toEqual(["UpdateItem", "PutItem"]);
  });
});

describe("the DynamoDB store's table set-up (ensureTable)", () => {
  const table = (status: string, ...indexStatuses: string[]): Json => ({
    Table: {
      TableName: tableName,
      TableStatus: status,
      ...(indexStatuses.length > 0 ? { GlobalSecondaryIndexes: indexStatuses.map((IndexStatus, n) => ({ IndexName: `index${n}`, IndexStatus })) } : {}),
    },
  });
  const missing = { error: "ResourceNotFoundException" };

  /** Runs ensureTable with fake timers, stepping through its polls (250 ms apart), at most `polls` of them. */
  async function ensureTable(answer: (call: DynamoCall) => Answer, polls = 10) {
    vi.useFakeTimers();
    const dynamo = scriptedDynamo(answer);
    const store = createDynamoStore({ client: dynamo.client, tableName });
    let outcome: { error?: unknown } | undefined;
    void store.ensureTable().then(
      () => (outcome = {}),
      (error: unknown) => (outcome = { error }),
    );
    for (let poll = 0; poll <= polls && outcome === undefined; poll += 1) await vi.advanceTimersByTimeAsync(250);
    return { outcome, dynamo };
  }

  it("creates a missing table with its index, waits until the table and every index are ACTIVE, then turns TTL on for expiresAt", async () => {
    // The third answer has no Table (DescribeTable's output allows that): polled again.
    const { outcome, dynamo } = await ensureTable(
      inTurn(missing, {}, {}, table("CREATING", "ACTIVE", "ACTIVE"), table("ACTIVE", "ACTIVE", "CREATING"), table("ACTIVE", "ACTIVE", "ACTIVE"), {}),
    );
    expect(outcome).toEqual({});
    expect(dynamo.operations()).toEqual(["DescribeTable", "CreateTable", "DescribeTable", "DescribeTable", "DescribeTable", "DescribeTable", "UpdateTimeToLive"]);
    expect(dynamo.calls[1]!.input).toEqual({
      TableName: tableName,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [
        { AttributeName: "pk", AttributeType: "S" },
        { AttributeName: "ix", AttributeType: "S" },
      ],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      GlobalSecondaryIndexes: [{ IndexName: "byIndex", KeySchema: [{ AttributeName: "ix", KeyType: "HASH" }], Projection: { ProjectionType: "ALL" } }],
    });
    expect(dynamo.calls[6]!.input).toEqual({ TableName: tableName, TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true } });
  });

  it("only waits for an existing table to be ACTIVE: creates nothing and leaves its TTL as it is", async () => {
    const { outcome, dynamo } = await ensureTable(inTurn(table("UPDATING"), table("UPDATING"), table("ACTIVE")));
    expect(outcome).toEqual({});
    expect(dynamo.operations()).toEqual(["DescribeTable", "DescribeTable", "DescribeTable"]);
  });

  it("fails when DescribeTable fails for another reason than a missing table, creating nothing", async () => {
    const { outcome, dynamo } = await ensureTable(inTurn({ error: "AccessDeniedException" }));
    expect((outcome?.error as Error).name).toBe("AccessDeniedException");
    expect(dynamo.operations()).toEqual(["DescribeTable"]);
  });

  it("carries on when another instance created the table first (ResourceInUseException)", async () => {
    const { outcome, dynamo } = await ensureTable(inTurn(missing, { error: "ResourceInUseException" }, table("ACTIVE", "ACTIVE"), {}));
    expect(outcome).toEqual({});
    expect(dynamo.operations()).toEqual(["DescribeTable", "CreateTable", "DescribeTable", "UpdateTimeToLive"]);
  });

  it("fails when creating the table fails otherwise", async () => {
    const { outcome, dynamo } = await ensureTable(inTurn(missing, { error: "LimitExceededException" }));
    expect((outcome?.error as Error).name).toBe("LimitExceededException");
    expect(dynamo.operations()).toEqual(["DescribeTable", "CreateTable"]);
  });

  it("accepts a table service without UpdateTimeToLive (dynalite), as reads ignore expired items anyway", async () => {
    const { outcome } = await ensureTable(inTurn(missing, {}, table("ACTIVE", "ACTIVE"), { error: "UnknownOperationException" }));
    expect(outcome).toEqual({});
  });

  it("fails when turning TTL on fails for another reason", async () => {
    const { outcome } = await ensureTable(inTurn(missing, {}, table("ACTIVE", "ACTIVE"), { error: "AccessDeniedException" }));
    expect((outcome?.error as Error).name).toBe("AccessDeniedException");
  });

  it("gives up on a table that is not ACTIVE after 120 polls, 30 s", async () => {
    let described = 0;
    const { outcome, dynamo } = await ensureTable((call) => {
      if (call.operation !== "DescribeTable") return {};
      described += 1;
      return described === 1 ? missing : table("CREATING", "CREATING");
    }, 130);
    expect((outcome?.error as Error).message).toBe(`DynamoDB table ${tableName} did not become active`);
    expect(dynamo.operations()).toEqual(["DescribeTable", "CreateTable", ...Array<string>(120).fill("DescribeTable")]);
  });
});

describe("the DynamoDB store's windowed counters: removing ended windows", () => {
  /** The start of a 60 s window, whole seconds: its index is startMs / 60 000. */
  const startMs = Date.UTC(2030, 0, 1);
  const windowIndex = startMs / 60_000;
  const attribute = (index: number) => `c.password.60.${index}`;
  const password = (by = 1) => [{ counter: "password", windowSeconds: 60, by }];
  /** An UpdateItem answer (ALL_NEW) with these counter attributes. */
  const counters = (...indexes: number[]): Json => ({ Attributes: Object.fromEntries(indexes.map((index) => [attribute(index), { N: "1" }])) });
  const updates = (calls: DynamoCall[]) =>
    calls.map(({ input }) => ({ expression: input.UpdateExpression, names: input.ExpressionAttributeNames as Record<string, string> | undefined }));

  it("removes every ended window an answer showed in the record's next write, and only then", async () => {
    const dynamo = scriptedDynamo(inTurn(counters(windowIndex, windowIndex - 2, windowIndex - 5), counters(windowIndex), counters(windowIndex)));
    const store = createDynamoStore({ client: dynamo.client, tableName, now: () => startMs });
    for (let write = 0; write < 3; write += 1) await store.addToWindows("throttle", "alice", password(), 3600);
    const [first, second, third] = updates(dynamo.calls);
    expect(first!.expression).toBe("SET #kind = :kind, #id = :id, expiresAt = :expires ADD #a0 :a0");
    expect(second!.expression).toBe("SET #kind = :kind, #id = :id, expiresAt = :expires ADD #a0 :a0 REMOVE #r0, #r1");
    expect([second!.names!["#r0"], second!.names!["#r1"]]).toEqual([attribute(windowIndex - 2), attribute(windowIndex - 5)]);
    expect(third!.expression).toBe(first!.expression);
  });

  it("removes ended windows in a write that adds nothing (a read), instead of only reading", async () => {
    const dynamo = scriptedDynamo(inTurn(counters(windowIndex, windowIndex - 1), counters(windowIndex)));
    const store = createDynamoStore({ client: dynamo.client, tableName, now: () => startMs });
    await store.addToWindows("throttle", "alice", password(), 3600);
    await store.addToWindows("throttle", "alice", password(0), 3600);
    expect(dynamo.operations()).toEqual(["UpdateItem", "UpdateItem"]);
    expect(updates(dynamo.calls)[1]).toEqual({
      expression: "SET #kind = :kind, #id = :id, expiresAt = :expires REMOVE #r0",
      names: { "#kind": "kind", "#id": "id", "#r0": attribute(windowIndex - 1) },
    });
  });

  it("does not remove a window it adds to (one that another instance, its clock ahead, had started)", async () => {
    let clockMs = startMs;
    const dynamo = scriptedDynamo(inTurn(counters(windowIndex, windowIndex + 1), counters(windowIndex + 1)));
    const store = createDynamoStore({ client: dynamo.client, tableName, now: () => clockMs });
    await store.addToWindows("throttle", "alice", password(), 3600);
    clockMs = startMs + 60_000;
    await store.addToWindows("throttle", "alice", password(), 3600);
    expect(updates(dynamo.calls)[1]).toEqual({
      expression: "SET #kind = :kind, #id = :id, expiresAt = :expires ADD #a0 :a0",
      names: { "#kind": "kind", "#id": "id", "#a0": attribute(windowIndex + 1) },
    });
  });

  it("reads the count of a counter with the shortest windows, one second", async () => {
    const secondIndex = startMs / 1000;
    const dynamo = scriptedDynamo(() => ({ Attributes: { [`c.password.1.${secondIndex}`]: { N: "3" } } }));
    const store = createDynamoStore({ client: dynamo.client, tableName, now: () => startMs });
    const counts = await store.addToWindows("throttle", "alice", [{ counter: "password", windowSeconds: 1, by: 1 }], 60);
    expect(counts.count("password", 1)).toBe(3);
  });

  it("remembers the ended windows of at most maxRememberedEndedWindows records, then forgets them all", async () => {
    // Each record's answer shows an ended window, except "quiet"'s.
    const dynamo = scriptedDynamo((call) =>
      ((call.input.Key as Json).pk as Json).S === "throttle#quiet" ? counters(windowIndex) : counters(windowIndex, windowIndex - 1),
    );
    const store = createDynamoStore({ client: dynamo.client, tableName, now: () => startMs, maxRememberedEndedWindows: 2 });
    const removes = async (id: string) => {
      await store.addToWindows("throttle", id, password(), 3600);
      return String(dynamo.calls.at(-1)!.input.UpdateExpression).includes("REMOVE");
    };
    // Remembered: a; a record without ended windows takes no place; then a and b.
    await removes("a");
    await removes("quiet");
    await removes("b");
    expect(await removes("a")).toBe(true);
    // Remembered: b and a again; c finds the memory full and starts it afresh: b is forgotten.
    await removes("c");
    expect(await removes("b")).toBe(false);
    expect(await removes("c")).toBe(true);
  });
});
