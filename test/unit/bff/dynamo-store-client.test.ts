import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { DeleteItemCommand, GetItemCommand, PutItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Metrics } from "../../../bff/metrics";
import { createDynamoDbClient, defaultStoreTimeouts } from "../../../bff/store/dynamo-store";
import { MetricName } from "../../../common/metric-names";

/**
 * The DynamoDB client the store is given (createDynamoDbClient): its timeouts, credentials and
 * metrics, against a local HTTP server standing in for DynamoDB. Each test builds its client
 * (Stryker activates a mutant per test: README, npm run mutate).
 */

const servers: Server[] = [];
const clients: DynamoDBClient[] = [];

/** A local endpoint that answers each request with `respond`, or never when it does not end the response. */
async function fakeEndpoint(respond: (operation: string, response: ServerResponse) => void): Promise<string> {
  const server = createServer((request: IncomingMessage, response) => {
    request.resume();
    request.on("end", () => respond(String(request.headers["x-amz-target"]).replace("DynamoDB_20120810.", ""), response));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/x-amz-json-1.0" }).end(JSON.stringify(body));
}

function client(settings: Parameters<typeof createDynamoDbClient>[0]): DynamoDBClient {
  const created = createDynamoDbClient(settings);
  clients.push(created);
  return created;
}

const getItem = () => new GetItemCommand({ TableName: "t", Key: { pk: { S: "session#a" } } });

afterEach(async () => {
  vi.unstubAllEnvs();
  for (const created of clients.splice(0)) created.destroy();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe("the DynamoDB client's timeouts", () => {
  it("fails a call whose attempts get no answer within attemptTimeoutMs, instead of waiting for the table", async () => {
    const endpoint = await fakeEndpoint(() => {});
    const stalled = client({ region: "us-east-1", endpoint, placeholderCredentials: true, attemptTimeoutMs: 100 });
    const outcome = await Promise.race([
      stalled.send(getItem()).then(
        () => "answered",
        (error: unknown) => (error as Error).name,
      ),
      new Promise((resolve) => setTimeout(() => resolve("still waiting"), 4_000)),
    ]);
    // Three attempts of 100 ms and the SDK's back-off between them: well under a second; three of
    // the 2 s default would still be waiting.
    expect(outcome).toBe("TimeoutError");
  });

  it("bounds connecting and each attempt: 1 s and 2 s by default, as given otherwise", async () => {
    const endpoint = await fakeEndpoint((_, response) => answer(response, 200, {}));
    const handlerConfig = async (settings: Omit<Parameters<typeof createDynamoDbClient>[0], "region" | "endpoint">) => {
      const created = client({ region: "us-east-1", endpoint, placeholderCredentials: true, ...settings });
      // The handler resolves its settings on its first request.
      await created.send(getItem());
      const handler = created.config.requestHandler as unknown as { httpHandlerConfigs(): Record<string, unknown> };
      const { connectionTimeout, requestTimeout, throwOnRequestTimeout } = handler.httpHandlerConfigs();
      return { connectionTimeout, requestTimeout, throwOnRequestTimeout };
    };
    expect(await handlerConfig({})).toEqual({
      connectionTimeout: defaultStoreTimeouts.connectMs,
      requestTimeout: defaultStoreTimeouts.attemptMs,
      throwOnRequestTimeout: true,
    });
    expect(await handlerConfig({ connectTimeoutMs: 250, attemptTimeoutMs: 500 })).toEqual({ connectionTimeout: 250, requestTimeout: 500, throwOnRequestTimeout: true });
  });
});

describe("the DynamoDB client's credentials", () => {
  it("signs with placeholder credentials only when asked to (dynalite), with the environment's otherwise", async () => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIDENVIRONMENT");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "environment-secret");
    const placeholders = await client({ region: "us-east-1", placeholderCredentials: true }).config.credentials();
    expect({ accessKeyId: placeholders.accessKeyId, secretAccessKey: placeholders.secretAccessKey }).toEqual({ accessKeyId: "local", secretAccessKey: "local" });
    const environment = await client({ region: "us-east-1" }).config.credentials();
    expect(environment.accessKeyId).toBe("AKIDENVIRONMENT");
  });
});

describe("the DynamoDB client's metrics", () => {
  it("measures a call once, the SDK's retries included, as its caller waits for them", async () => {
    let attempts = 0;
    const endpoint = await fakeEndpoint((_, response) => {
      attempts += 1;
      if (attempts === 1) answer(response, 500, { __type: "com.amazonaws.dynamodb.v20120810#InternalServerError", message: "retry" });
      else answer(response, 200, {});
    });
    const measured: string[] = [];
    const metrics: Metrics = { count: () => {}, duration: () => {}, measure: (_, operation, run) => (measured.push(operation), run()) };
    await client({ region: "us-east-1", endpoint, placeholderCredentials: true, metrics }).send(getItem());
    expect(attempts).toBe(2);
    expect(measured).toEqual(["GetItemCommand"]);
  });

  it("measures every call by its command, and counts failures but not a lost conditional write", async () => {
    const endpoint = await fakeEndpoint((operation, response) => {
      if (operation === "GetItem") answer(response, 200, {});
      else if (operation === "PutItem") answer(response, 400, { __type: "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException", message: "lost" });
      else answer(response, 400, { __type: "com.amazonaws.dynamodb.v20120810#AccessDeniedException", message: "denied" });
    });
    const measured: { names: unknown; operation: string; fault?: boolean }[] = [];
    const metrics: Metrics = {
      count: () => {},
      duration: () => {},
      async measure(names, operation, run, isFault) {
        const entry: (typeof measured)[number] = { names, operation };
        measured.push(entry);
        try {
          return await run();
        } catch (error) {
          entry.fault = isFault?.(error);
          throw error;
        }
      },
    };
    const measuredClient = client({ region: "us-east-1", endpoint, placeholderCredentials: true, metrics });
    await measuredClient.send(getItem());
    await expect(measuredClient.send(new PutItemCommand({ TableName: "t", Item: { pk: { S: "session#a" } } }))).rejects.toThrow();
    await expect(measuredClient.send(new DeleteItemCommand({ TableName: "t", Key: { pk: { S: "session#a" } } }))).rejects.toThrow();
    const names = { latency: MetricName.StoreLatency, error: MetricName.StoreError };
    expect(measured).toEqual([
      { names, operation: "GetItemCommand" },
      { names, operation: "PutItemCommand", fault: false },
      { names, operation: "DeleteItemCommand", fault: true },
    ]);
  });
});
