/**
 * The BFF's process in `npm run bench`: the app as production builds it, with a counting hook on
 * its store (`onCall`) and every Cognito gateway call timed, listening on a free port. bench/run.ts
 * bundles this file with scripts/build-server.ts (the same esbuild settings as dist/server/main.mjs)
 * and runs the bundle with node alone, as the Dockerfile runs the server, so that CPU and memory
 * are those of the bundle and not of a TypeScript loader.
 */
import { createBffApp } from "../bff/app";
import { createCognitoClient } from "../bff/cognito/cognito-client";
import { createCognitoGateway, type CognitoGateway } from "../bff/cognito/cognito-gateway";
import type { BffConfig } from "../bff/config";
import { createLogger } from "../bff/logger";
import { createDynamoDbClient, createDynamoStore } from "../bff/store/dynamo-store";
import { benchConfig, cognito, listen, serveBench, storeCalls } from "./bench-server";

/** Every gateway call timed: what the BFF waits for Cognito is not the BFF's own cost. */
function timedGateway(gateway: CognitoGateway): CognitoGateway {
  return new Proxy(gateway, {
    get(target, property, receiver) {
      const member: unknown = Reflect.get(target, property, receiver);
      if (typeof member !== "function") return member;
      return async (...args: unknown[]) => {
        const start = performance.now();
        try {
          return await (member as (...values: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          cognito.ms += performance.now() - start;
        }
      };
    },
  });
}

function countCall(operation: string): void {
  storeCalls[operation] = (storeCalls[operation] ?? 0) + 1;
}

async function startTobira(): Promise<{ url: string }> {
  const base = benchConfig();
  const client = createDynamoDbClient({
    region: base.dynamodb.region,
    endpoint: base.dynamodb.endpoint,
    placeholderCredentials: true,
    connectTimeoutMs: base.dynamodb.timeouts.connectMs,
    attemptTimeoutMs: base.dynamodb.timeouts.totalMs,
  });
  const store = createDynamoStore({ client, tableName: base.dynamodb.tableName, deadlineMs: base.dynamodb.timeouts.totalMs, onCall: countCall });
  await store.ensureTable();
  const logger = createLogger(base.logLevel);
  const cognito = timedGateway(createCognitoGateway({ client: createCognitoClient(base.cognito), settings: base.cognito, logger }));
  // The app needs its URL (issuer, trusted origin), known once the server listens.
  const holder: { app?: ReturnType<typeof createBffApp> } = {};
  const { url } = await listen((req, res) => holder.app!(req, res));
  const config: BffConfig = { ...base, publicUrl: url, trustedOrigins: [url, ...base.trustedOrigins.slice(1)] };
  holder.app = createBffApp({ config, store, logger, cognito });
  return { url };
}

serveBench("tobira", startTobira);
