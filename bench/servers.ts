/**
 * One server of `npm run bench` in a process of its own (bench/run.ts forks one per server), so
 * that its CPU time, RSS and heap are its own. Which server is `BENCH_SERVER`:
 *
 *   infra            the Cognito emulator and dynalite (what the BFF and the baselines call)
 *   tobira           the BFF: not here but in bench/tobira-server.ts, run from its esbuild bundle
 *   express-hello    Express 5 answering `{"status":"ok"}` (the floor for any Express route)
 *   express-session  Express 5 + cookie-session + one DynamoDB GetItem of a session record keyed
 *                    by the id's SHA-256, through the BFF's own client settings (the same design
 *                    as GET /api/session, nothing else)
 *   oidc-bare        oidc-provider alone with its in-memory adapter and the same client metadata,
 *                    PKCE rule, token lifetimes and refresh rotation as the BFF's provider
 *
 * It answers bench/run.ts over the IPC channel (bench/bench-server.ts): `ready` with its URL, then
 * `stats` (CPU, memory, requests) and, for oidc-bare, freshly minted codes and refresh tokens.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import cookieSession from "cookie-session";
import express from "express";
import Provider, { type Adapter } from "oidc-provider";
import { oidcRoutes, toClientMetadata } from "../bff/oidc/provider-options";
import { generateSigningKeys } from "../bff/oidc/signing-keys";
import { createDynamoDbClient } from "../bff/store/dynamo-store";
import { loadLocalConfig } from "../common/local-config";
import { startDynalite } from "../emulator/local/local-dynalite";
import { startEmulator } from "../emulator/server";
import { benchEnv } from "./bench-config";
import { benchClient, type Minted, type ServerKind } from "./bench-protocol";
import { benchConfig, listen, serveBench } from "./bench-server";

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

const start: Record<Exclude<ServerKind, "tobira">, () => Promise<Record<string, unknown>>> = {
  infra: startInfra,
  "express-hello": async () => ({ url: await startExpressHello() }),
  "express-session": async () => ({ url: await startExpressSession() }),
  "oidc-bare": async () => ({ url: await startBareProvider() }),
};

const kind = benchEnv.server;
if (kind === "tobira") throw new Error("the BFF's bench server is bench/tobira-server.ts");
serveBench(kind, start[kind], (request) => mint!(request));
