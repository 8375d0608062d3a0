import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createCognitoClient } from "../../bff/cognito/cognito-client";
import { createCognitoGateway, type CognitoGateway } from "../../bff/cognito/cognito-gateway";
import { loadBffConfig, type BffConfig } from "../../bff/config";
import { createLogger } from "../../bff/logger";
import { startBff, type RunningBff } from "../../bff/server";
import { createDynamoDbClient, createDynamoStore, type DynamoStore } from "../../bff/store/dynamo-store";
import { loadLocalConfig } from "../../common/local-config";
import { startDynalite, type RunningDynalite } from "../../emulator/local/local-dynalite";
import { startEmulator, type EmulatorOptions, type OutboxMessage, type RunningEmulator } from "../../emulator/server";
import { HttpClient } from "./http-client";

/**
 * The whole local stack for tests: the Cognito emulator, dynalite (in memory) and the BFF, each
 * on a free port with temporary data folders. Integration and browser tests share it.
 */

export interface TestStackOptions {
  /** Extra BFF environment (e.g. RATE_LIMIT_PER_IP, TOBIRA_MODE=aws with its variables). */
  bffEnv?: Record<string, string>;
  /** Last word on the BFF configuration, after the environment is parsed. */
  configure?: (config: BffConfig) => BffConfig;
  /** Options for the emulator (issuer, clock, session validity, replaced triggers). */
  emulator?: Partial<Omit<EmulatorOptions, "config" | "dataDir" | "port">>;
  /** Serve dist/web from the BFF (browser tests). Default false. */
  serveWeb?: boolean;
  /** Wraps the BFF's real Cognito gateway (e.g. to record or fail calls). */
  wrapCognito?: (gateway: CognitoGateway) => CognitoGateway;
  /**
   * A host name for the BFF's public URL (and so its WebAuthn RP ID) in place of the listener's
   * 127.0.0.1, e.g. "localhost" for browser passkey tests: an IP address cannot be an RP ID
   * (WebAuthn L3 §5.1.3). The BFF still listens on 127.0.0.1, on a port chosen up front.
   */
  publicHost?: string;
  /** Told of every DynamoDB round-trip the store makes, by operation (Store's onCall hook). */
  onStoreCall?: (operation: string) => void;
}

/** A free port on 127.0.0.1, known before the server that will use it starts. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface TestStack {
  bffUrl: string;
  emulatorUrl: string;
  emulator: RunningEmulator;
  store: DynamoStore;
  dynamoEndpoint: string;
  config: BffConfig;
  /** A fresh cookie-keeping client for the BFF. */
  client(headers?: Record<string, string>): HttpClient;
  /** Messages the emulator "sent" to `email`, newest first (GET /_local/outbox). */
  outbox(email: string): Promise<OutboxMessage[]>;
  /** The newest code sent to `email`; throws when there is none. */
  latestCode(email: string): Promise<string>;
  /** Stops the BFF and starts a new one on the same port and store (sessions must survive). */
  restartBff(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "tobira-stack-"));
  const localConfig = loadLocalConfig();
  const emulator = await startEmulator({ ...options.emulator, config: localConfig, dataDir: path.join(dataDir, "emulator"), port: 0 });
  let dynalite: RunningDynalite | undefined;
  let bff: RunningBff | undefined;
  try {
    dynalite = await startDynalite({ port: 0 });
    const fixedPort = options.publicHost === undefined ? undefined : await freePort();
    const env: Record<string, string> = {
      TOBIRA_MODE: "local",
      TOBIRA_DATA_DIR: dataDir,
      LOG_LEVEL: "silent",
      PORT: "0",
      COGNITO_ENDPOINT: emulator.url,
      COGNITO_ISSUER: emulator.issuer,
      DYNAMODB_ENDPOINT: dynalite.endpoint,
      DYNAMODB_TABLE: "tobira-test",
      SERVE_WEB: options.serveWeb ? "true" : "false",
      // Generous limits: the rate-limit tests lower them explicitly.
      RATE_LIMIT_PER_IP: "100000",
      RATE_LIMIT_PER_EMAIL: "100000",
      // Tests sign the same accounts in over and over from 127.0.0.1: the per-account throttle's
      // own tests (test/reliability) run with the real limits.
      ACCOUNT_THROTTLE_FACTOR: "1000",
      // No wait between codes: tests resend at once; the cool-down's own tests set it.
      OTP_RESEND_COOLDOWN_SECONDS: "0",
      // No security mails in the outbox, so tests that count a user's messages count codes; the
      // account security centre's tests turn them on.
      SECURITY_MAILS: "false",
      ...(fixedPort === undefined ? {} : { PUBLIC_URL: `http://${options.publicHost}:${fixedPort}` }),
      ...options.bffEnv,
    };
    const parsed = loadBffConfig(env);
    const config = options.configure ? options.configure(parsed) : parsed;
    const dynamoClient = createDynamoDbClient({ region: config.dynamodb.region, endpoint: dynalite.endpoint, placeholderCredentials: true });
    const store = createDynamoStore({ client: dynamoClient, tableName: config.dynamodb.tableName, onCall: options.onStoreCall });
    await store.ensureTable();

    const logger = createLogger(config.logLevel);
    const cognito = options.wrapCognito?.(createCognitoGateway({ client: createCognitoClient(config.cognito), settings: config.cognito, logger }));
    const start = (port: number) =>
      startBff({
        config,
        store,
        logger,
        port,
        host: "127.0.0.1",
        adoptListenerUrl: fixedPort === undefined,
        overrides: cognito === undefined ? undefined : { cognito },
      });
    bff = await start(fixedPort ?? 0);
    const running = { bff, dynalite };

    const outbox = async (email: string): Promise<OutboxMessage[]> => {
      const response = await fetch(`${emulator.url}/_local/outbox?to=${encodeURIComponent(email)}`);
      if (!response.ok) throw new Error(`outbox answered ${response.status}`);
      return (await response.json()) as OutboxMessage[];
    };

    return {
      get bffUrl() {
        return fixedPort === undefined ? running.bff.url : running.bff.config.publicUrl;
      },
      emulatorUrl: emulator.url,
      emulator,
      store,
      dynamoEndpoint: dynalite.endpoint,
      get config() {
        return running.bff.config;
      },
      client: (headers) => new HttpClient(running.bff.url, headers),
      outbox,
      async latestCode(email) {
        const [latest] = await outbox(email);
        if (latest === undefined) throw new Error(`no message was sent to ${email}`);
        return latest.code;
      },
      async restartBff() {
        const port = running.bff.port;
        await running.bff.close();
        running.bff = await start(port);
      },
      async close() {
        await running.bff.close();
        dynamoClient.destroy();
        await running.dynalite.close();
        await emulator.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await bff?.close();
    await dynalite?.close();
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
