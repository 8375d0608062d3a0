import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, UpdateTimeToLiveCommand, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type QueryCommandOutput,
} from "@aws-sdk/lib-dynamodb";
import { MetricName } from "../../common/metric-names";
import type { Metrics } from "../metrics";
import type { CounterState, IndexedRecord, PutOptions, Store } from "./store";
import { fitsStoreKey, StoreKeyTooLongError, StoreUnavailableError } from "./store-errors";
import { effectiveAdds, readWindows, windowAttribute, type WindowedAdd, type WindowedCounts } from "./windowed-counters";

/**
 * The Store on Amazon DynamoDB (and on dynalite locally): one table keyed by `pk` =
 * `<kind>#<id>`, the value in `value`, a TTL attribute `expiresAt` (epoch seconds) and one
 * global secondary index `byIndex` on `ix` = `<kind>#<index>`.
 *
 * DynamoDB deletes expired items lazily ("typically within a few days", AWS DynamoDB developer
 * guide, "Time to Live"), so every read also treats an item past `expiresAt` as absent.
 *
 * Every operation has a deadline (`deadlineMs`, the SDK's retries included): a table that does
 * not answer in time, cannot be reached or throttles fails the operation with a
 * StoreUnavailableError, which the BFF answers with 503 (docs/architecture.md, "The JSON API").
 * An id too long for a DynamoDB key (store-errors.ts) was never stored: reads answer absent.
 */

export const indexName = "byIndex";

export interface DynamoStoreOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Clock in epoch milliseconds (tests). */
  now?: () => number;
  /** The longest one store operation may take, retries included (default 3 s). */
  deadlineMs?: number;
  /**
   * Called once per round-trip to the table with its DynamoDB operation (e.g. "GetItem"), before
   * it is sent: how `npm run bench` counts store calls per request. Off (undefined) costs nothing.
   */
  onCall?: (operation: string) => void;
  /** How many counter records' ended windows this process remembers at most (default 10,000; tests). */
  maxRememberedEndedWindows?: number;
}

/** Defaults for a table in the same region: DynamoDB answers in milliseconds. */
export const defaultStoreTimeouts = { connectMs: 1_000, attemptMs: 2_000, deadlineMs: 3_000 } as const;

export interface DynamoStore extends Store {
  readonly tableName: string;
  /** Creates the table (and its index and TTL) when it does not exist; waits until it is active. */
  ensureTable(): Promise<void>;
}

interface StoredItem {
  pk: string;
  kind: string;
  id: string;
  value?: unknown;
  expiresAt?: number;
  ix?: string;
  hits?: number;
  windowEndsAt?: number;
}

/** What every SDK call of one store operation shares: its deadline's abort signal. */
interface SendOptions {
  abortSignal: AbortSignal;
}

/** lib-dynamodb's command classes by the DynamoDB operation they send (for `onCall`). */
const operationNames: Record<string, string> = {
  GetCommand: "GetItem",
  PutCommand: "PutItem",
  DeleteCommand: "DeleteItem",
  UpdateCommand: "UpdateItem",
  QueryCommand: "Query",
  BatchGetCommand: "BatchGetItem",
  BatchWriteCommand: "BatchWriteItem",
};

const kindPattern = /^[A-Za-z][\w-]*$/;
/** Counter records whose ended windows this process remembers to remove (bounded; forgetting one leaves it for a later answer). */
const defaultMaxRememberedEndedWindows = 10_000;

function keyOf(kind: string, id: string): string {
  if (!kindPattern.test(kind)) throw new Error(`Invalid store kind ${JSON.stringify(kind)}`);
  return `${kind}#${id}`;
}

function isConditionalCheckFailure(error: unknown): boolean {
  return error instanceof Error && error.name === "ConditionalCheckFailedException";
}

/** Errors that are our own mistake (a malformed request), not the table's state: they stay 500s. */
const programmingErrors = new Set(["ValidationException", "SerializationException", "StoreKeyTooLongError"]);

/** Anything else a call throws (network, timeout, throttling, 5xx, a missing table) is the store being unavailable. */
function asStoreError(operation: string, error: unknown): unknown {
  if (error instanceof StoreUnavailableError) return error;
  if (error instanceof Error && programmingErrors.has(error.name)) return error;
  return new StoreUnavailableError(operation, { cause: error });
}

export interface DynamoClientSettings {
  region: string;
  endpoint?: string | undefined;
  /** dynalite ignores credentials but the SDK still signs requests: give it placeholders locally. */
  placeholderCredentials?: boolean;
  /** Records every call's latency and its failures (a lost conditional write is an answer, not a failure). */
  metrics?: Metrics;
  /** How long opening a connection may take (default 1 s). */
  connectTimeoutMs?: number;
  /** How long one attempt may wait for its answer (default 2 s); the store's deadline bounds the retries. */
  attemptTimeoutMs?: number;
}

export function createDynamoDbClient(settings: DynamoClientSettings): DynamoDBClient {
  const config: DynamoDBClientConfig = {
    region: settings.region,
    maxAttempts: 3,
    // Without these the SDK waits for a stalled table forever (the handler's requestTimeout only
    // logs unless throwOnRequestTimeout is set); a timed-out attempt's socket is destroyed.
    requestHandler: {
      connectionTimeout: settings.connectTimeoutMs ?? defaultStoreTimeouts.connectMs,
      requestTimeout: settings.attemptTimeoutMs ?? defaultStoreTimeouts.attemptMs,
      throwOnRequestTimeout: true,
    },
  };
  // Stryker disable next-line ConditionalExpression: an endpoint of undefined is the SDK's default (the region's endpoint), as none is
  if (settings.endpoint !== undefined) config.endpoint = settings.endpoint;
  if (settings.placeholderCredentials) config.credentials = { accessKeyId: "local", secretAccessKey: "local" };
  const client = new DynamoDBClient(config);
  const { metrics } = settings;
  if (metrics !== undefined) {
    // "initialize" is the outermost step: the time includes the SDK's retries, as callers wait for them.
    client.middlewareStack.add(
      (next, context) => (args) =>
        metrics.measure(
          { latency: MetricName.StoreLatency, error: MetricName.StoreError },
          // Stryker disable next-line StringLiteral: every SDK command has a commandName; the fallback only labels a call that has none
          context.commandName ?? "unknown",
          () => next(args),
          (error) => !isConditionalCheckFailure(error),
        ),
      // Stryker disable next-line ObjectLiteral: without options the SDK adds a middleware at its "initialize" step, and the name only labels it
      {
        // Stryker disable next-line StringLiteral: the SDK runs a middleware of an unknown step outside its retries too: still measured once per call, retries included
        step: "initialize",
        // Stryker disable next-line StringLiteral: the name only labels the middleware in the client's stack
        name: "tobiraStoreMetrics",
      },
    );
  }
  return client;
}

export function createDynamoStore(options: DynamoStoreOptions): DynamoStore {
  const { client, tableName, maxRememberedEndedWindows = defaultMaxRememberedEndedWindows } = options;
  const now = options.now ?? Date.now;
  const documentClient = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  });
  const { onCall } = options;
  const documents: Pick<DynamoDBDocumentClient, "send"> =
    onCall === undefined
      ? documentClient
      : {
          send: ((command: { constructor: { name: string } }, sendOptions?: SendOptions) => {
            onCall(operationNames[command.constructor.name] ?? command.constructor.name);
            return documentClient.send(command as never, sendOptions);
          }) as unknown as DynamoDBDocumentClient["send"],
        };
  const nowSeconds = () => Math.floor(now() / 1000);
  const isLive = (item: StoredItem) => item.expiresAt === undefined || item.expiresAt > nowSeconds();
  const deadlineMs = options.deadlineMs ?? defaultStoreTimeouts.deadlineMs;
  /** Attributes of ended windows that a counter record's last answer showed: the next write to it removes them. */
  const endedWindows = new Map<string, string[]>();

  /**
   * Runs one store operation under its deadline: every SDK call in it gets the same abort signal
   * (an aborted call's socket is destroyed, so nothing lands after we gave up on it), and the
   * operation fails at the deadline even while the SDK sleeps between retries.
   */
  async function run<T>(operation: string, work: (send: SendOptions) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new StoreUnavailableError(operation, { cause: new Error(`no answer within ${deadlineMs} ms`) });
        controller.abort(error);
        reject(error);
      }, deadlineMs);
    });
    try {
      return await Promise.race([work({ abortSignal: controller.signal }), deadline]);
    } catch (error) {
      throw asStoreError(operation, error);
    } finally {
      clearTimeout(timer);
    }
  }

  async function waitUntilActive(): Promise<void> {
    for (let attempt = 0; attempt < 120; attempt += 1) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === "ACTIVE");
      if (Table?.TableStatus === "ACTIVE" && indexesActive) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`DynamoDB table ${tableName} did not become active`);
  }

  async function tableExists(): Promise<boolean> {
    try {
      await client.send(new DescribeTableCommand({ TableName: tableName }));
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === "ResourceNotFoundException") return false;
      throw error;
    }
  }

  return {
    tableName,

    async ensureTable() {
      if (!(await tableExists())) {
        try {
          await client.send(
            new CreateTableCommand({
              TableName: tableName,
              BillingMode: "PAY_PER_REQUEST",
              AttributeDefinitions: [
                { AttributeName: "pk", AttributeType: "S" },
                { AttributeName: "ix", AttributeType: "S" },
              ],
              KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
              GlobalSecondaryIndexes: [{ IndexName: indexName, KeySchema: [{ AttributeName: "ix", KeyType: "HASH" }], Projection: { ProjectionType: "ALL" } }],
            }),
          );
        } catch (error) {
          // Another instance created it first.
          if (!(error instanceof Error && error.name === "ResourceInUseException")) throw error;
        }
        await waitUntilActive();
        try {
          await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true } }));
        } catch (error) {
          // dynalite has no UpdateTimeToLive; reads filter expired items anyway.
          if (!(error instanceof Error && /UnknownOperation|not supported|ValidationException/i.test(`${error.name} ${error.message}`))) throw error;
        }
      } else {
        await waitUntilActive();
      }
    },

    async get<T>(kind: string, id: string) {
      const pk = keyOf(kind, id);
      if (!fitsStoreKey(kind, id)) return undefined;
      return run("get", async (send) => {
        const { Item } = await documents.send(new GetCommand({ TableName: tableName, Key: { pk }, ConsistentRead: true }), send);
        const item = Item as StoredItem | undefined;
        return item !== undefined && isLive(item) ? (item.value as T) : undefined;
      });
    },

    async put<T>(kind: string, id: string, value: T, putOptions: PutOptions = {}) {
      const item: StoredItem = { pk: keyOf(kind, id), kind, id, value };
      if (!fitsStoreKey(kind, id)) throw new StoreKeyTooLongError(kind);
      if (putOptions.ttlSeconds !== undefined) item.expiresAt = Math.ceil(now() / 1000 + putOptions.ttlSeconds);
      if (putOptions.index !== undefined) {
        if (!fitsStoreKey(kind, putOptions.index)) throw new StoreKeyTooLongError(kind);
        item.ix = keyOf(kind, putOptions.index);
      }
      return run("put", (send) => putItem(item, putOptions, send));
    },

    async consume<T>(kind: string, id: string) {
      const pk = keyOf(kind, id);
      if (!fitsStoreKey(kind, id)) return undefined;
      return run("consume", async (send) => {
        try {
          const { Attributes } = await documents.send(
            new DeleteCommand({
              TableName: tableName,
              Key: { pk },
              // Only a live item is consumed, and only once (conditional write: exactly one winner).
              ConditionExpression: "attribute_exists(pk) AND (attribute_not_exists(expiresAt) OR expiresAt > :now)",
              ExpressionAttributeValues: { ":now": nowSeconds() },
              ReturnValues: "ALL_OLD",
            }),
            send,
          );
          return (Attributes as StoredItem | undefined)?.value as T | undefined;
        } catch (error) {
          if (isConditionalCheckFailure(error)) return undefined;
          throw error;
        }
      });
    },

    async markOnce<T>(kind: string, id: string, field: string, mark: string | number, only: Record<string, string | undefined> = {}) {
      const pk = keyOf(kind, id);
      if (!fitsStoreKey(kind, id)) return undefined;
      return run("markOnce", async (send) => {
        try {
          const { Attributes } = await documents.send(
            new UpdateCommand({
              TableName: tableName,
              Key: { pk },
              UpdateExpression: "SET #value.#field = :mark",
              // Only a live item without the mark, and only once (conditional write: exactly one winner).
              ConditionExpression: [
                "attribute_exists(pk) AND (attribute_not_exists(expiresAt) OR expiresAt > :now) AND attribute_exists(#value) AND attribute_not_exists(#value.#field)",
                ...Object.entries(only).map(([, equals], index) =>
                  equals === undefined ? `attribute_not_exists(#value.#only${index})` : `#value.#only${index} = :only${index}`,
                ),
              ].join(" AND "),
              ExpressionAttributeNames: { "#value": "value", "#field": field, ...Object.fromEntries(Object.keys(only).map((name, index) => [`#only${index}`, name])) },
              ExpressionAttributeValues: {
                ":now": nowSeconds(),
                ":mark": mark,
                // Stryker disable next-line ConditionalExpression: a value of undefined is dropped by the document client (removeUndefinedValues), as if never set
                ...Object.fromEntries(Object.entries(only).flatMap(([, equals], index) => (equals === undefined ? [] : [[`:only${index}`, equals]]))),
              },
              ReturnValues: "ALL_OLD",
            }),
            send,
          );
          return (Attributes as StoredItem | undefined)?.value as T | undefined;
        } catch (error) {
          if (isConditionalCheckFailure(error)) return undefined;
          throw error;
        }
      });
    },

    async getMany(keys: readonly { kind: string; id: string }[]) {
      if (keys.length > 100) throw new Error("getMany reads at most 100 records");
      const pks = keys.map((key) => (fitsStoreKey(key.kind, key.id) ? keyOf(key.kind, key.id) : undefined));
      const wanted = [...new Set(pks.filter((pk): pk is string => pk !== undefined))];
      // Stryker disable next-line ConditionalExpression: with no key to read, the loop below sends nothing and the answer is the same
      if (wanted.length === 0) return keys.map(() => undefined);
      return run("getMany", async (send) => {
        const found = new Map<string, StoredItem>();
        let pending: Record<string, unknown>[] = wanted.map((pk) => ({ pk }));
        // DynamoDB may leave keys unprocessed under load (BatchGetItem): they are asked again,
        // within the operation's deadline.
        while (pending.length > 0) {
          const { Responses, UnprocessedKeys } = await documents.send(
            new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
            send,
          );
          // Stryker disable next-line ArrayDeclaration: an item without a pk is filed under undefined, a key no lookup below uses
          for (const raw of Responses?.[tableName] ?? []) found.set((raw as StoredItem).pk, raw as StoredItem);
          pending = (UnprocessedKeys?.[tableName]?.Keys as Record<string, unknown>[] | undefined) ?? [];
        }
        return pks.map((pk) => {
          // Stryker disable next-line ConditionalExpression: nothing is filed under an undefined pk, so found.get(undefined) is undefined too
          const item = pk === undefined ? undefined : found.get(pk);
          return item !== undefined && isLive(item) ? item.value : undefined;
        });
      });
    },

    async putMany(records, deletes = []) {
      if (records.length + deletes.length > 25) throw new Error("putMany writes at most 25 records");
      // Stryker disable next-line ConditionalExpression: with nothing to write or delete, the loop below sends nothing and the answer is the same
      if (records.length + deletes.length === 0) return;
      // BatchWriteItem refuses a request that names one key twice.
      if (new Set([...records, ...deletes].map(({ kind, id }) => keyOf(kind, id))).size < records.length + deletes.length) {
        throw new Error("putMany names each record at most once");
      }
      const items = records.map(({ kind, id, value, options = {} }) => {
        if (!fitsStoreKey(kind, id)) throw new StoreKeyTooLongError(kind);
        const item: StoredItem = { pk: keyOf(kind, id), kind, id, value };
        if (options.ttlSeconds !== undefined) item.expiresAt = Math.ceil(now() / 1000 + options.ttlSeconds);
        if (options.index !== undefined) {
          if (!fitsStoreKey(kind, options.index)) throw new StoreKeyTooLongError(kind);
          item.ix = keyOf(kind, options.index);
        }
        return item;
      });
      // A key too long for the table names no record: nothing to delete (as `delete`).
      const removals = deletes.filter(({ kind, id }) => fitsStoreKey(kind, id)).map(({ kind, id }) => ({ DeleteRequest: { Key: { pk: keyOf(kind, id) } } }));
      await run("putMany", async (send) => {
        type WriteRequest = { PutRequest: { Item: StoredItem } } | { DeleteRequest: { Key: { pk: string } } };
        let pending: WriteRequest[] = [...items.map((item) => ({ PutRequest: { Item: item } })), ...removals];
        // DynamoDB may leave items unprocessed under load (BatchWriteItem): they are sent again,
        // within the operation's deadline.
        while (pending.length > 0) {
          const { UnprocessedItems } = await documents.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }), send);
          pending = (UnprocessedItems?.[tableName] as WriteRequest[] | undefined) ?? [];
        }
      });
    },

    async delete(kind: string, id: string) {
      const pk = keyOf(kind, id);
      if (!fitsStoreKey(kind, id)) return;
      await run("delete", (send) => documents.send(new DeleteCommand({ TableName: tableName, Key: { pk } }), send));
    },

    async queryByIndex<T>(kind: string, indexValue: string) {
      const ix = keyOf(kind, indexValue);
      if (!fitsStoreKey(kind, indexValue)) return [];
      return run("queryByIndex", (send) => queryIndex<T>(ix, send));
    },

    async increment(kind: string, id: string, windowSeconds: number, by = 1): Promise<CounterState> {
      const pk = keyOf(kind, id);
      if (!fitsStoreKey(kind, id)) throw new StoreKeyTooLongError(kind);
      return run("increment", (send) => incrementCounter(pk, kind, id, windowSeconds, by, send));
    },

    async addToWindows(kind: string, id: string, adds: readonly WindowedAdd[], keepSeconds: number): Promise<WindowedCounts> {
      const pk = keyOf(kind, id);
      if (!fitsStoreKey(kind, id)) throw new StoreKeyTooLongError(kind);
      // A bad counter name is our mistake, not the table's: thrown as it is, not as a 503.
      for (const add of adds) windowAttribute(add.counter, add.windowSeconds, 0);
      return run("addToWindows", (send) => addToWindowCounters(pk, kind, id, adds, keepSeconds, send));
    },

    async ping() {
      await run("ping", (send) => documents.send(new GetCommand({ TableName: tableName, Key: { pk: "readiness#ping" } }), send));
    },
  };

  async function putItem(item: StoredItem, putOptions: PutOptions, send: SendOptions): Promise<boolean> {
    const { condition } = putOptions;
    if (condition === undefined) {
      await documents.send(new PutCommand({ TableName: tableName, Item: item }), send);
      return true;
    }
    // The record must be live: an item past expiresAt may still be in the table (lazy TTL).
    // `absent` is the opposite: no item, or only an expired one.
    let expression =
      "absent" in condition
        ? "attribute_not_exists(pk) OR (attribute_exists(expiresAt) AND expiresAt <= :now)"
        : "attribute_exists(pk) AND (attribute_not_exists(expiresAt) OR expiresAt > :now)";
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ":now": nowSeconds() };
    if ("field" in condition) {
      names["#value"] = "value";
      names["#field"] = condition.field;
      if (condition.equals === undefined) {
        expression += " AND attribute_not_exists(#value.#field)";
      } else {
        expression += " AND #value.#field = :equals";
        values[":equals"] = condition.equals;
      }
    }
    try {
      await documents.send(
        new PutCommand({
          TableName: tableName,
          Item: item,
          ConditionExpression: expression,
          ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
          ExpressionAttributeValues: values,
        }),
        send,
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }

  async function queryIndex<T>(ix: string, send: SendOptions): Promise<IndexedRecord<T>[]> {
    const records: IndexedRecord<T>[] = [];
    let startKey: QueryCommandOutput["LastEvaluatedKey"];
    do {
      const page: QueryCommandOutput = await documents.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: indexName,
          KeyConditionExpression: "ix = :ix",
          ExpressionAttributeValues: { ":ix": ix },
          ExclusiveStartKey: startKey,
        }),
        send,
      );
      for (const raw of page.Items ?? []) {
        const item = raw as StoredItem;
        if (isLive(item)) records.push({ id: item.id, value: item.value as T });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return records;
  }

  /**
   * One UpdateItem: ADD to the counters' current windows, REMOVE what an earlier answer showed of
   * ended windows, ALL_NEW for the counts (windowed-counters.ts). A GetItem when there is nothing to write.
   */
  async function addToWindowCounters(
    pk: string,
    kind: string,
    id: string,
    adds: readonly WindowedAdd[],
    keepSeconds: number,
    send: SendOptions,
  ): Promise<WindowedCounts> {
    const at = now();
    const changes = effectiveAdds(adds, at);
    const ended = (endedWindows.get(pk) ?? []).filter((attribute) => !changes.has(attribute));
    let attributes: Record<string, unknown> | undefined;
    if (changes.size === 0 && ended.length === 0) {
      ({ Item: attributes } = await documents.send(new GetCommand({ TableName: tableName, Key: { pk }, ConsistentRead: true }), send));
    } else {
      const names: Record<string, string> = { "#kind": "kind", "#id": "id" };
      const values: Record<string, unknown> = { ":kind": kind, ":id": id, ":expires": Math.ceil(at / 1000 + keepSeconds) };
      const added = [...changes].map(([attribute, by], index) => {
        names[`#a${index}`] = attribute;
        values[`:a${index}`] = by;
        return `#a${index} :a${index}`;
      });
      const removed = ended.map((attribute, index) => {
        names[`#r${index}`] = attribute;
        return `#r${index}`;
      });
      const expression = [
        "SET #kind = :kind, #id = :id, expiresAt = :expires",
        added.length > 0 ? `ADD ${added.join(", ")}` : "",
        removed.length > 0 ? `REMOVE ${removed.join(", ")}` : "",
      ];
      ({ Attributes: attributes } = await documents.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk },
          UpdateExpression: expression.filter((part) => part !== "").join(" "),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: "ALL_NEW",
        }),
        send,
      ));
    }
    endedWindows.delete(pk);
    const read = readWindows(attributes, at);
    if (read.ended.length > 0) {
      if (endedWindows.size >= maxRememberedEndedWindows) endedWindows.clear();
      endedWindows.set(pk, read.ended);
    }
    return read.counts;
  }

  async function incrementCounter(pk: string, kind: string, id: string, windowSeconds: number, by: number, send: SendOptions): Promise<CounterState> {
    const names = { "#kind": "kind", "#id": "id", "#hits": "hits" };
    const bump = async (): Promise<CounterState | undefined> => {
      const at = now();
      try {
        const { Attributes } = await documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk },
            UpdateExpression:
              "SET #kind = :kind, #id = :id, windowEndsAt = if_not_exists(windowEndsAt, :windowEnd), expiresAt = if_not_exists(expiresAt, :expires) ADD #hits :by",
            // Counts only inside the current window; a finished window is restarted below.
            ConditionExpression: "attribute_not_exists(pk) OR windowEndsAt > :now",
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: {
              ":kind": kind,
              ":id": id,
              ":windowEnd": at + windowSeconds * 1000,
              ":expires": Math.ceil(at / 1000 + windowSeconds),
              ":by": by,
              ":now": at,
            },
            ReturnValues: "ALL_NEW",
          }),
          send,
        );
        const item = Attributes as StoredItem;
        return { count: item.hits ?? 0, resetAt: item.windowEndsAt ?? at };
      } catch (error) {
        if (isConditionalCheckFailure(error)) return undefined;
        throw error;
      }
    };
    const restartWindow = async (): Promise<CounterState | undefined> => {
      const at = now();
      const item: StoredItem = { pk, kind, id, hits: by, windowEndsAt: at + windowSeconds * 1000, expiresAt: Math.ceil(at / 1000 + windowSeconds) };
      try {
        await documents.send(
          new PutCommand({
            TableName: tableName,
            Item: item,
            ConditionExpression: "attribute_not_exists(pk) OR windowEndsAt <= :now",
            ExpressionAttributeValues: { ":now": at },
          }),
          send,
        );
        return { count: by, resetAt: item.windowEndsAt! };
      } catch (error) {
        if (isConditionalCheckFailure(error)) return undefined; // another instance restarted it first
        throw error;
      }
    };
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const state = (await bump()) ?? (await restartWindow());
      if (state !== undefined) return state;
    }
    throw new Error("Could not update a rate-limit counter after concurrent restarts");
  }
}
