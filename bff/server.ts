import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Express } from "express";
import { createBffApp, type BffDeps } from "./app";
import { createAlbModeApp } from "./alb/alb-app";
import { createAlbModeNoStore } from "./alb/no-store";
import type { BffConfig } from "./config";
import { createLogger, type Logger } from "./logger";
import { metricsFor } from "./metrics";
import { createDynamoDbClient, createDynamoStore } from "./store/dynamo-store";
import type { Store } from "./store/store";

export interface StartBffOptions {
  config: BffConfig;
  /** Defaults to the DynamoDB store of `config.dynamodb` (its table is created in local mode). */
  store?: Store;
  logger?: Logger;
  /** Defaults to config.port; 0 picks a free port (tests). */
  port?: number;
  host?: string;
  /**
   * Use the listening address as the public URL (and trusted origin). For tests on port 0,
   * where the address is known only once the server listens.
   */
  adoptListenerUrl?: boolean;
  /** Replacements for the Cognito gateway or token verifier (tests). */
  overrides?: Pick<BffDeps, "cognito" | "verifier">;
}

export interface RunningBff {
  url: string;
  port: number;
  app: Express;
  /** The configuration in effect (with the listener's URL when adoptListenerUrl was set). */
  config: BffConfig;
  store: Store;
  close(): Promise<void>;
}

/** Creates the DynamoDB-backed store of a configuration; in local mode also its table (on dynalite). */
export async function createStoreFromConfig(config: BffConfig, logger?: Logger): Promise<{ store: Store; destroy(): void }> {
  const client = createDynamoDbClient({
    region: config.dynamodb.region,
    endpoint: config.dynamodb.endpoint,
    placeholderCredentials: config.mode === "local",
    metrics: logger === undefined ? undefined : metricsFor(logger),
  });
  const store = createDynamoStore({ client, tableName: config.dynamodb.tableName });
  if (config.mode === "local") await store.ensureTable();
  return { store, destroy: () => client.destroy() };
}

/** Starts the BFF on an HTTP server (for main.ts, the start script and tests). */
export async function startBff(options: StartBffOptions): Promise<RunningBff> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.logLevel);
  // ALB mode (config.alb) keeps no state of its own: no table to connect to.
  const owned = options.store === undefined && config.alb === undefined ? await createStoreFromConfig(config, logger) : undefined;
  const store = options.store ?? owned?.store ?? createAlbModeNoStore();
  const host = options.host ?? config.host;
  const server: Server = createServer();
  try {
    // events.once rejects if the server emits "error" first (a port in use).
    server.listen(options.port ?? config.port, host ?? "::");
    await once(server, "listening");
  } catch (error) {
    owned?.destroy();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const urlHost = host === undefined || host === "::" || host === "0.0.0.0" ? "localhost" : host.includes(":") ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;
  const effectiveConfig: BffConfig = options.adoptListenerUrl
    ? { ...config, publicUrl: url, trustedOrigins: [new URL(url).origin, ...config.trustedOrigins.slice(1)] }
    : config;
  const app =
    effectiveConfig.alb !== undefined
      ? createAlbModeApp({ config: effectiveConfig, logger })
      : createBffApp({ ...options.overrides, config: effectiveConfig, store, logger });
  server.on("request", app);
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    app,
    config: effectiveConfig,
    store,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
        // Requests in flight get a moment to finish; then sockets are cut.
        setTimeout(() => server.closeAllConnections(), 2_000).unref();
      }).finally(() => owned?.destroy());
      return closing;
    },
  };
}
