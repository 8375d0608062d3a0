import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Express } from "express";
import { createAlbModeApp } from "./alb/alb-app";
import { createBffApp, type BffDeps } from "./app";
import type { AlbModeConfig, BffConfig, BffRuntimeConfig } from "./config";
import { createLogger, type Logger } from "./logger";
import { metricsFor } from "./metrics";
import { createDynamoDbClient, createDynamoStore } from "./store/dynamo-store";
import type { Store } from "./store/store";

/** How to listen; the same for both kinds of configuration. */
export interface ListenOptions {
  logger?: Logger;
  /** Defaults to config.port; 0 picks a free port (tests). */
  port?: number;
  host?: string;
  /**
   * Use the listening address as the public URL (and trusted origin). For tests on port 0,
   * where the address is known only once the server listens.
   */
  adoptListenerUrl?: boolean;
}

export interface StartBffOptions extends ListenOptions {
  config: BffConfig;
  /** Defaults to the DynamoDB store of `config.dynamodb` (its table is created in local mode). */
  store?: Store;
  /** Replacements for the Cognito gateway or token verifier (tests). */
  overrides?: Pick<BffDeps, "cognito" | "verifier">;
}

export interface StartAlbModeBffOptions extends ListenOptions {
  config: AlbModeConfig;
}

/** A listening BFF of either kind. */
export interface RunningServer<Config extends BffRuntimeConfig> {
  url: string;
  port: number;
  app: Express;
  /** The configuration in effect (with the listener's URL when adoptListenerUrl was set). */
  config: Config;
  close(): Promise<void>;
}

export interface RunningBff extends RunningServer<BffConfig> {
  store: Store;
}

/** ALB mode keeps no state of its own: the load balancer holds the session, so there is no store. */
export type RunningAlbModeBff = RunningServer<AlbModeConfig>;

/** Creates the DynamoDB-backed store of a configuration; in local mode also its table (on dynalite). */
export async function createStoreFromConfig(config: BffConfig, logger?: Logger): Promise<{ store: Store; destroy(): void }> {
  const client = createDynamoDbClient({
    region: config.dynamodb.region,
    endpoint: config.dynamodb.endpoint,
    placeholderCredentials: config.mode === "local",
    metrics: logger === undefined ? undefined : metricsFor(logger),
    connectTimeoutMs: config.dynamodb.timeouts.connectMs,
    attemptTimeoutMs: config.dynamodb.timeouts.totalMs,
  });
  const store = createDynamoStore({ client, tableName: config.dynamodb.tableName, deadlineMs: config.dynamodb.timeouts.totalMs });
  if (config.mode === "local") await store.ensureTable();
  return { store, destroy: () => client.destroy() };
}

/** Starts the BFF that signs people in on an HTTP server (for main.ts, the start script and tests). */
export async function startBff(options: StartBffOptions): Promise<RunningBff> {
  const logger = options.logger ?? createLogger(options.config.logLevel);
  const owned = options.store === undefined ? await createStoreFromConfig(options.config, logger) : undefined;
  const store = options.store ?? owned!.store;
  try {
    const running = await listen(
      options,
      (config) => createBffApp({ ...options.overrides, config, store, logger }),
      () => owned?.destroy(),
    );
    return { ...running, store };
  } catch (error) {
    owned?.destroy();
    throw error;
  }
}

/** Starts the BFF of ALB mode on an HTTP server (for main.ts, the ALB start script and tests). */
export async function startAlbModeBff(options: StartAlbModeBffOptions): Promise<RunningAlbModeBff> {
  const logger = options.logger ?? createLogger(options.config.logLevel);
  return listen(options, (config) => createAlbModeApp({ config, logger }));
}

/** Listens, then builds the app with the configuration in effect; `onClose` runs once the server has closed. */
async function listen<Config extends BffRuntimeConfig>(
  options: ListenOptions & { config: Config },
  createApp: (config: Config) => Express,
  onClose?: () => void,
): Promise<RunningServer<Config>> {
  const { config } = options;
  const host = options.host ?? config.host;
  const server: Server = createServer();
  // events.once rejects if the server emits "error" first (a port in use).
  server.listen(options.port ?? config.port, host ?? "::");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  const urlHost = host === undefined || host === "::" || host === "0.0.0.0" ? "localhost" : host.includes(":") ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;
  const effectiveConfig: Config = options.adoptListenerUrl
    ? { ...config, publicUrl: url, trustedOrigins: [new URL(url).origin, ...config.trustedOrigins.slice(1)] }
    : config;
  const app = createApp(effectiveConfig);
  server.on("request", app);
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    app,
    config: effectiveConfig,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
        // Requests in flight get a moment to finish; then sockets are cut.
        setTimeout(() => server.closeAllConnections(), 2_000).unref();
      }).finally(() => onClose?.());
      return closing;
    },
  };
}
