import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadBffConfig, type BffConfig } from "../../../bff/config";
import { createLogger } from "../../../bff/logger";
import { startBff, type RunningBff } from "../../../bff/server";
import { createDynamoDbClient, createDynamoStore, type DynamoStore } from "../../../bff/store/dynamo-store";
import { loadLocalConfig } from "../../../common/local-config";
import { startDynalite, type RunningDynalite } from "../../../emulator/local/local-dynalite";
import { startEmulator, type EmulatorOptions, type OutboxMessage, type RunningEmulator } from "../../../emulator/server";
import { HttpClient } from "../../support/http-client";
import { startFaultProxy, type FaultProxy } from "./fault-proxy";

/**
 * The local stack with a fault proxy in front of each dependency: the BFF reaches the Cognito
 * emulator (its API and its JWKS) and dynalite only through `cognito` and `store`, which can be
 * stopped, hung or slowed. Deadlines are short, so that an outage test takes seconds.
 */

/**
 * Short deadlines for the outage suites: a hung dependency costs a test about two seconds. The
 * other suites run with the production defaults (8 s, 3 s, 10 s), so that a busy machine is not
 * mistaken for an outage.
 */
export const testDeadlines = {
  COGNITO_CONNECT_TIMEOUT_MS: "500",
  COGNITO_TIMEOUT_MS: "2000",
  DYNAMODB_CONNECT_TIMEOUT_MS: "500",
  DYNAMODB_TIMEOUT_MS: "1500",
} as const;

export interface ReliabilityStack {
  cognito: FaultProxy;
  store: FaultProxy;
  emulator: RunningEmulator;
  /** The table, reached directly (not through the proxy): what a test inspects. */
  table: DynamoStore;
  config: BffConfig;
  /** The first BFF instance. */
  readonly bff: RunningBff;
  /** A cookie-keeping client of the first instance (or of `instance`). */
  client(headers?: Record<string, string>, instance?: RunningBff): HttpClient;
  /** Another BFF on the same table and Cognito (what a second task behind the load balancer is). */
  startInstance(): Promise<RunningBff>;
  /** Stops the first instance and starts it again on the same port. */
  restartBff(): Promise<void>;
  outbox(email: string): Promise<OutboxMessage[]>;
  latestCode(email: string): Promise<string>;
  close(): Promise<void>;
}

export interface ReliabilityStackOptions {
  /** BFF environment over the defaults (e.g. TRUST_PROXY, ACCOUNT_THROTTLE_FACTOR). */
  env?: Record<string, string>;
  /** The outage suites' short deadlines (testDeadlines) instead of the production defaults. */
  shortDeadlines?: boolean;
  emulator?: Partial<Omit<EmulatorOptions, "config" | "dataDir" | "port">>;
}

export async function startReliabilityStack(options: ReliabilityStackOptions = {}): Promise<ReliabilityStack> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "tobira-reliability-"));
  const localConfig = loadLocalConfig();
  const emulator = await startEmulator({ ...options.emulator, config: localConfig, dataDir: path.join(dataDir, "emulator"), port: 0 });
  const dynalite: RunningDynalite = await startDynalite({ port: 0 });
  const cognito = await startFaultProxy({ port: emulator.port });
  const store = await startFaultProxy({ port: dynalite.port });
  const issuerPath = new URL(emulator.issuer).pathname;
  const config = loadBffConfig({
    TOBIRA_MODE: "local",
    TOBIRA_DATA_DIR: dataDir,
    LOG_LEVEL: "silent",
    PORT: "0",
    COGNITO_ENDPOINT: cognito.url,
    COGNITO_ISSUER: emulator.issuer,
    COGNITO_JWKS_URI: `${cognito.url}${issuerPath}/.well-known/jwks.json`,
    DYNAMODB_ENDPOINT: store.url,
    DYNAMODB_TABLE: "tobira-reliability",
    SERVE_WEB: "false",
    RATE_LIMIT_PER_IP: "100000",
    RATE_LIMIT_PER_EMAIL: "100000",
    OTP_RESEND_COOLDOWN_SECONDS: "0",
    ...(options.shortDeadlines ? testDeadlines : {}),
    ...options.env,
  });
  const logger = createLogger(config.logLevel);
  const tableClient = createDynamoDbClient({ region: config.dynamodb.region, endpoint: dynalite.endpoint, placeholderCredentials: true });
  const table = createDynamoStore({ client: tableClient, tableName: config.dynamodb.tableName });
  await table.ensureTable();

  const start = (port: number) => startBff({ config, logger, port, host: "127.0.0.1", adoptListenerUrl: true });
  const instances: RunningBff[] = [await start(0)];

  const outbox = async (email: string): Promise<OutboxMessage[]> => {
    const response = await fetch(`${emulator.url}/_local/outbox?to=${encodeURIComponent(email)}`);
    if (!response.ok) throw new Error(`outbox answered ${response.status}`);
    return (await response.json()) as OutboxMessage[];
  };

  return {
    cognito,
    store,
    emulator,
    table,
    get config() {
      return instances[0]!.config;
    },
    get bff() {
      return instances[0]!;
    },
    client: (headers, instance) => new HttpClient((instance ?? instances[0]!).url, headers),
    async startInstance() {
      const instance = await start(0);
      instances.push(instance);
      return instance;
    },
    async restartBff() {
      const { port } = instances[0]!;
      await instances[0]!.close();
      instances[0] = await start(port);
    },
    outbox,
    async latestCode(email) {
      const [latest] = await outbox(email);
      if (latest === undefined) throw new Error(`no message was sent to ${email}`);
      return latest.code;
    },
    async close() {
      await cognito.pass();
      await store.pass();
      await Promise.all(instances.map((instance) => instance.close()));
      tableClient.destroy();
      await cognito.close();
      await store.close();
      await dynalite.close();
      await emulator.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Milliseconds an async call took, with its result. */
export async function timed<T>(call: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await call();
  return { value, ms: performance.now() - started };
}
