/**
 * One server of `npm run bench` in a process of its own (bench/run.ts forks one per server), so
 * that its CPU time, RSS and heap are its own. Which server is `BENCH_SERVER`:
 *
 *   infra            the Cognito emulator and dynalite (what the BFF and the baselines call)
 *   tobira           the BFF, with a counting hook on its store and timing of its Cognito calls
 *   express-hello    Express 5 answering `{"status":"ok"}` (the floor for any Express route)
 *   express-session  Express 5 + cookie-session + one DynamoDB GetItem of a session record keyed
 *                    by the id's SHA-256, through the BFF's own client settings (the same design
 *                    as GET /api/session, nothing else)
 *   oidc-bare        oidc-provider alone with its in-memory adapter and the same client metadata,
 *                    PKCE rule, token lifetimes and refresh rotation as the BFF's provider
 *
 * It answers bench/run.ts over the IPC channel: `ready` with its URL, then `stats` (CPU, memory,
 * store calls, Cognito time, per-step timings) and, for oidc-bare, freshly minted codes and
 * refresh tokens.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import cookieSession from "cookie-session";
import express from "express";
import Provider, { type Adapter } from "oidc-provider";
import { createBffApp } from "../bff/app";
import { createCognitoClient } from "../bff/cognito/cognito-client";
import type { CognitoGateway } from "../bff/cognito/cognito-gateway";
import { createCognitoGateway } from "../bff/cognito/cognito-gateway";
import { loadBffConfig, type BffConfig } from "../bff/config";
import { createLogger } from "../bff/logger";
import { oidcRoutes, toClientMetadata } from "../bff/oidc/provider-options";
import { generateSigningKeys } from "../bff/oidc/signing-keys";
import { createDynamoDbClient, createDynamoStore } from "../bff/store/dynamo-store";
import { loadLocalConfig } from "../common/local-config";
import { startDynalite } from "../emulator/local/local-dynalite";
import { startEmulator } from "../emulator/server";
import { benchEnv } from "./bench-config";
import { benchClient, type BenchRequest, type Minted, type ServerStats } from "./bench-protocol";

const kind = benchEnv.server;
const send = (message: unknown) => process.send!(message);
const gc = (globalThis as { gc?: () => void }).gc;

const storeCalls: Record<string, number> = {};
const steps: ServerStats["steps"] = {};
let requests = 0;
let cognitoMs = 0;
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

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer();
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    requests += 1;
    const path = (req.url ?? "").split("?", 1)[0]!;
    if (timedPaths.has(path)) {
      const start = performance.now();
      const cognitoAtStart = cognitoMs;
      res.once("finish", () => {
        const step = (steps[path] ??= { totalMs: [], cognitoMs: [] });
        step.totalMs.push(performance.now() - start);
        step.cognitoMs.push(cognitoMs - cognitoAtStart);
      });
    }
    handler(req, res);
  });
  return { server, url: `http://127.0.0.1:${port}` };
}

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
          cognitoMs += performance.now() - start;
        }
      };
    },
  });
}

function countCall(operation: string): void {
  storeCalls[operation] = (storeCalls[operation] ?? 0) + 1;
}

function benchConfig(): BffConfig {
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

async function startTobira(): Promise<string> {
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
  return url;
}

async function startExpressHello(): Promise<string> {
  const app = express();
  app.disable("x-powered-by");
  app.get("/", (_req, res) => {
    res.json({ status: "ok" });
  });
  return (await listen(app)).url;
}

async function startExpressSession(): Promise<string> {
  const config = benchConfig();
  const client = createDynamoDbClient({ region: config.dynamodb.region, endpoint: config.dynamodb.endpoint, placeholderCredentials: true });
  const documents = DynamoDBDocumentClient.from(client);
  const tableName = config.dynamodb.tableName;
  const app = express();
  app.disable("x-powered-by");
  app.use(cookieSession({ name: "baseline", keys: config.cookie.keys, signed: true, httpOnly: true, sameSite: "lax", path: "/", maxAge: 3600_000 }));
  const keyOf = (sid: string) => `baseline-session#${createHash("sha256").update(sid).digest("base64url")}`;
  app.get("/", async (req, res) => {
    const sid: unknown = req.session?.sid;
    if (typeof sid !== "string") {
      res.json({ authenticated: false });
      return;
    }
    const { Item } = await documents.send(new GetCommand({ TableName: tableName, Key: { pk: keyOf(sid) }, ConsistentRead: true }));
    const value = Item?.value as { sub: string; email: string } | undefined;
    res.json(value === undefined ? { authenticated: false } : { authenticated: true, user: { sub: value.sub, email: value.email } });
  });
  // The bench's own sign-in: a record about as large as a Tobira session's (sealed tokens included).
  app.post("/login", async (req, res) => {
    const sid = randomBytes(32).toString("base64url");
    const value = { sub: "bench-sub", email: "bench@example.com", sealedTokens: randomBytes(2_400).toString("base64url") };
    await documents.send(new PutCommand({ TableName: tableName, Item: { pk: keyOf(sid), kind: "baseline-session", id: sid, value } }));
    req.session = { sid };
    res.json({ ok: true });
  });
  return (await listen(app)).url;
}

let mint: ((request: { codes: number; refreshTokens: number }) => Promise<Minted>) | undefined;

async function startBareProvider(): Promise<string> {
  // Its memory adapter as is, but with room for every code the bench mints (it keeps 1,000 entries).
  const adapterModule = "oidc-provider/lib/adapters/memory_adapter.js";
  const lruModule = "oidc-provider/lib/helpers/lru.js";
  const { default: MemoryAdapter } = (await import(adapterModule)) as { default: new (model: string, storage: unknown, clockTolerance: number) => Adapter };
  const { default: Lru } = (await import(lruModule)) as { default: new (options: { maxSize: number }) => unknown };
  const storage = new Lru({ maxSize: 1_000_000 });
  const { url } = await listen((req, res) => callback(req, res));
  const provider = new Provider(url, {
    adapter: (model: string) => new MemoryAdapter(model, storage, 0),
    clients: [toClientMetadata(benchClient)],
    jwks: generateSigningKeys(),
    routes: oidcRoutes,
    responseTypes: ["code"],
    pkce: { required: () => true },
    scopes: ["openid", "email", "offline_access"],
    claims: { openid: ["sub"], email: ["email", "email_verified"] },
    ttl: { AuthorizationCode: 60, AccessToken: 600, IdToken: 3600, RefreshToken: 14 * 24 * 3600, Grant: 14 * 24 * 3600 },
    rotateRefreshToken: true,
    issueRefreshToken: async () => true,
    features: { devInteractions: { enabled: false } },
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub, email: "bench@example.com", email_verified: true }) }),
  });
  const callback = provider.callback();
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  mint = async ({ codes, refreshTokens }) => {
    const client = await provider.Client.find(benchClient.clientId);
    const grant = new provider.Grant({ accountId: "bench-sub", clientId: benchClient.clientId });
    grant.addOIDCScope("openid email");
    const grantId = await grant.save();
    const minted: Minted = { codes: [], refreshTokens: [] };
    for (let index = 0; index < codes; index += 1) {
      const code = new provider.AuthorizationCode({
        accountId: "bench-sub",
        client,
        grantId,
        scope: "openid email",
        redirectUri: benchClient.redirectUris[0],
        codeChallenge: challenge,
        codeChallengeMethod: "S256",
        authTime: Math.floor(Date.now() / 1000),
      } as never);
      minted.codes.push({ code: await code.save(), verifier });
    }
    for (let index = 0; index < refreshTokens; index += 1) {
      const token = new provider.RefreshToken({
        accountId: "bench-sub",
        client,
        grantId,
        scope: "openid email",
        gty: "authorization_code",
        authTime: Math.floor(Date.now() / 1000),
      } as never);
      minted.refreshTokens.push(await token.save());
    }
    return minted;
  };
  return url;
}

async function startInfra(): Promise<{ emulatorUrl: string; issuer: string; dynamoEndpoint: string }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "tobira-bench-infra-"));
  const emulator = await startEmulator({ config: loadLocalConfig(), dataDir, port: 0 });
  const dynalite = await startDynalite({ port: 0 });
  return { emulatorUrl: emulator.url, issuer: emulator.issuer, dynamoEndpoint: dynalite.endpoint };
}

async function main(): Promise<void> {
  process.on("message", (message: BenchRequest) => {
    void (async () => {
      try {
        if (message.type === "stats") {
          if (message.gc) gc?.();
          const result = stats();
          if (message.resetSteps) for (const key of Object.keys(steps)) delete steps[key];
          send({ id: message.id, result });
        } else if (message.type === "mint") {
          send({ id: message.id, result: await mint!(message) });
        }
      } catch (error) {
        send({ id: message.id, error: error instanceof Error ? error.stack : String(error) });
      }
    })();
  });
  if (kind === "infra") {
    send({ type: "ready", ...(await startInfra()) });
    return;
  }
  const url =
    kind === "tobira"
      ? await startTobira()
      : kind === "express-hello"
        ? await startExpressHello()
        : kind === "express-session"
          ? await startExpressSession()
          : await startBareProvider();
  send({ type: "ready", url });
}

process.on("disconnect", () => process.exit(0));
main().catch((error: unknown) => {
  console.error(`bench server ${kind}:`, error instanceof Error ? error.stack : error);
  process.exit(1);
});
