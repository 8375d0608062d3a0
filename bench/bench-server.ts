/**
 * What every server process of `npm run bench` shares: its counters and the `stats` it reports,
 * the HTTP listener (which times the sign-in steps), the BFF configuration the bench uses, and the
 * IPC loop that answers bench/run.ts. The BFF's server (bench/tobira-server.ts, run from an esbuild
 * bundle) and the others (bench/servers.ts, under tsx) both import it.
 */
import { mkdtempSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadBffConfig, type BffConfig } from "../bff/config";
import { benchEnv } from "./bench-config";
import { benchClient, type BenchRequest, type Minted, type ServerStats } from "./bench-protocol";

const send = (message: unknown) => process.send!(message);
const gc = (globalThis as { gc?: () => void }).gc;

export const storeCalls: Record<string, number> = {};
const steps: ServerStats["steps"] = {};
let requests = 0;
/** Milliseconds spent waiting for Cognito so far (the BFF's server adds to it). */
export const cognito = { ms: 0 };
/** The sign-in steps whose server-side time is recorded (the bench runs them one at a time). */
const timedPaths = new Set(["/api/signin", "/api/signin/otp"]);

function stats(): ServerStats {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  return {
    cpuMicros: cpu.user + cpu.system,
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    requests,
    storeCalls: { ...storeCalls },
    steps: structuredClone(steps),
  };
}

export async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer();
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    requests += 1;
    const path = (req.url ?? "").split("?", 1)[0]!;
    if (timedPaths.has(path)) {
      const start = performance.now();
      const cognitoAtStart = cognito.ms;
      res.once("finish", () => {
        const step = (steps[path] ??= { totalMs: [], cognitoMs: [] });
        step.totalMs.push(performance.now() - start);
        step.cognitoMs.push(cognito.ms - cognitoAtStart);
      });
    }
    handler(req, res);
  });
  return { server, url: `http://127.0.0.1:${port}` };
}

export function benchConfig(): BffConfig {
  const dataDir = mkdtempSync(path.join(tmpdir(), "tobira-bench-"));
  const config = loadBffConfig({
    TOBIRA_MODE: "local",
    TOBIRA_DATA_DIR: dataDir,
    LOG_LEVEL: "silent",
    PORT: "0",
    COGNITO_ENDPOINT: benchEnv.emulatorUrl,
    COGNITO_ISSUER: benchEnv.emulatorIssuer,
    DYNAMODB_ENDPOINT: benchEnv.dynamoEndpoint,
    DYNAMODB_TABLE: "tobira-bench",
    SERVE_WEB: "false",
    RATE_LIMIT_PER_IP: "100000000",
    RATE_LIMIT_PER_EMAIL: "100000000",
    OIDC_RATE_LIMIT_PER_IP: "100000000",
    ACCOUNT_THROTTLE_FACTOR: "100000",
    OTP_RESEND_COOLDOWN_SECONDS: "0",
    SECURITY_MAILS: "false",
  });
  return { ...config, oidc: { ...config.oidc, clients: [...config.oidc.clients, benchClient] } };
}

/**
 * Answers bench/run.ts over IPC (`stats`, and `mint` when the server can), starts the server and
 * reports `ready` with what `start` returned; ends with the bench (SIGTERM or a closed channel) in
 * an orderly exit, so that --cpu-prof (BENCH_CPU_PROF) writes its profile.
 */
export function serveBench(
  name: string,
  start: () => Promise<Record<string, unknown>>,
  mint?: (request: { codes: number; refreshTokens: number }) => Promise<Minted>,
): void {
  process.on("message", (message: BenchRequest) => {
    void (async () => {
      try {
        if (message.type === "stats") {
          if (message.gc) gc?.();
          const result = stats();
          if (message.resetSteps) for (const key of Object.keys(steps)) delete steps[key];
          send({ id: message.id, result });
        } else if (message.type === "mint") {
          if (mint === undefined) throw new Error(`${name} mints nothing`);
          send({ id: message.id, result: await mint(message) });
        }
      } catch (error) {
        send({ id: message.id, error: error instanceof Error ? error.stack : String(error) });
      }
    })();
  });
  process.on("disconnect", () => process.exit(0));
  process.on("SIGTERM", () => process.exit(0));
  start().then(
    (ready) => send({ type: "ready", ...ready }),
    (error: unknown) => {
      console.error(`bench server ${name}:`, error instanceof Error ? error.stack : error);
      process.exit(1);
    },
  );
}
