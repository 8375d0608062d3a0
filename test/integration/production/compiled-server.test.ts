import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSigningKeys } from "../../../bff/oidc/signing-keys";
import { createDynamoDbClient, createDynamoStore } from "../../../bff/store/dynamo-store";
import { loadLocalConfig } from "../../../common/local-config";
import { METRIC_NAMESPACE } from "../../../common/metric-names";
import { startDynalite, type RunningDynalite } from "../../../emulator/local/local-dynalite";
import { startEmulator, type RunningEmulator } from "../../../emulator/server";
import { buildServer, productionNodeFlags, serverBundle } from "../../../scripts/build-server";
import { HttpClient } from "../../support/http-client";
import { strongPassword, uniqueEmail } from "../bff/flows";

/**
 * The file the Dockerfile runs: dist/server/main.mjs, built by `npm run build:server`, copied
 * alone into an empty folder (as in the image: no node_modules, no sources), started with plain
 * `node` in AWS mode, pointed at the Cognito emulator and dynalite through COGNITO_ENDPOINT and
 * DYNAMODB_ENDPOINT. It must sign a user up, sign them in with an emailed code and give a
 * relying party tokens through the authorization-code flow.
 */

const local = loadLocalConfig();
const bffClient = local.userPool.clients.find((client) => client.clientSecret !== undefined)!;
const rp = {
  clientId: "production-test-rp",
  clientSecret: "production-test-rp-secret-0000000000000",
  name: "Production test RP",
  redirectUris: ["https://rp.example.com/callback"],
  postLogoutRedirectUris: [],
  firstParty: true,
};

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface RunningServer {
  child: ChildProcess;
  /** Every stdout line so far (pino JSON). */
  lines: string[];
  stderr: string[];
}

describe("the compiled production server (dist/server/main.mjs)", () => {
  let workDir: string;
  let emulator: RunningEmulator;
  let dynalite: RunningDynalite;
  let server: RunningServer;
  let publicUrl: string;
  let listenUrl: string;

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(tmpdir(), "tobira-production-"));
    // Built here, so a stale or missing bundle cannot pass: a broken build fails this hook.
    const build = await buildServer();
    expect(existsSync(build.bundle)).toBe(true);
    // As in the image: the bundle alone, far from the repository's node_modules.
    cpSync(path.dirname(serverBundle), path.join(workDir, "dist/server"), { recursive: true });

    emulator = await startEmulator({ config: local, dataDir: path.join(workDir, "emulator"), port: 0 });
    dynalite = await startDynalite({ port: 0 });
    // AWS mode never creates its table (the infrastructure does): create it as the CDK app would.
    const dynamo = createDynamoDbClient({ region: local.region, endpoint: dynalite.endpoint, placeholderCredentials: true });
    await createDynamoStore({ client: dynamo, tableName: "tobira-production-test" }).ensureTable();
    dynamo.destroy();

    const port = await freePort();
    listenUrl = `http://127.0.0.1:${port}`;
    // AWS mode insists on https; TLS ends at the load balancer, which says so in X-Forwarded-Proto.
    publicUrl = `https://127.0.0.1:${port}`;
    const env: Record<string, string> = {
      TOBIRA_MODE: "aws",
      HOST: "127.0.0.1",
      PORT: String(port),
      LOG_LEVEL: "info",
      PUBLIC_URL: publicUrl,
      AWS_REGION: local.region,
      // The SDK signs DynamoDB requests; dynalite accepts any credentials.
      AWS_ACCESS_KEY_ID: "production-test",
      AWS_SECRET_ACCESS_KEY: "production-test",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      COGNITO_USER_POOL_ID: local.userPool.id,
      COGNITO_CLIENT_ID: bffClient.clientId,
      COGNITO_CLIENT_SECRET: bffClient.clientSecret!,
      COGNITO_ENDPOINT: emulator.url,
      COGNITO_ISSUER: emulator.issuer,
      DYNAMODB_ENDPOINT: dynalite.endpoint,
      DYNAMODB_TABLE: "tobira-production-test",
      COOKIE_KEYS: "a-production-test-cookie-key-000000000000",
      PASSKEY_PROOF_SECRET: local.triggers.passkeyProofSecret,
      OIDC_CLIENTS: JSON.stringify([rp]),
      OIDC_JWKS: JSON.stringify(generateSigningKeys()),
      SERVE_WEB: "false",
    };
    // The image's command: node with the Dockerfile's flags (heap sizes), then the bundle.
    const child = spawn(process.execPath, [...productionNodeFlags(), path.join(workDir, "dist/server/main.mjs")], {
      cwd: workDir,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    server = { child, lines: [], stderr: [] };
    let buffered = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      buffered += chunk;
      const complete = buffered.split("\n");
      buffered = complete.pop() ?? "";
      server.lines.push(...complete.filter((line) => line !== ""));
    });
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => server.stderr.push(chunk));

    // Ready = Cognito's JWKS and the table answer (/readyz), as a load balancer would wait.
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the compiled server exited with ${child.exitCode}: ${server.stderr.join("")}`);
      const ready = await fetch(`${listenUrl}/readyz`).then(
        (response) => response.status === 200,
        () => false,
      );
      if (ready) break;
      if (Date.now() > deadline) throw new Error(`the compiled server did not become ready: ${server.stderr.join("")}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }, 180_000);

  afterAll(async () => {
    if (server?.child.exitCode === null) {
      server.child.kill("SIGTERM");
      await once(server.child, "exit");
    }
    await dynalite?.close();
    await emulator?.close();
    if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
  });

  async function latestCode(email: string): Promise<string> {
    const response = await fetch(`${emulator.url}/_local/outbox?to=${encodeURIComponent(email)}`);
    const [latest] = (await response.json()) as { code: string }[];
    if (latest === undefined) throw new Error(`no message was sent to ${email}`);
    return latest.code;
  }

  /** The load balancer's view: the public https URL is served by the plain-http listener. */
  const toListener = (url: string | URL): string => String(url).replace(publicUrl, listenUrl);
  const behindProxy: oidc.CustomFetch = (url, options) => {
    const headers = new Headers(options.headers);
    headers.set("x-forwarded-proto", "https");
    return fetch(toListener(url), { ...options, headers } as RequestInit);
  };

  it("answers /healthz and /readyz in aws mode", async () => {
    expect(await (await fetch(`${listenUrl}/healthz`)).json()).toEqual({ status: "ok" });
    expect(await (await fetch(`${listenUrl}/readyz`)).json()).toEqual({ status: "ok", checks: { cognito: "ok", store: "ok" } });
    const started = server.lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line.msg?.toString().startsWith("Tobira BFF listening"));
    expect(started).toMatchObject({ mode: "aws", publicUrl });
  });

  it("signs up, signs in with an emailed code, and completes a relying party's code exchange", async () => {
    const email = uniqueEmail("production");
    const browser = new HttpClient(listenUrl, { "x-forwarded-proto": "https" });

    const signUp = await browser.post("/api/signup", { email, password: strongPassword });
    expect(signUp.status, signUp.text).toBe(201);
    const confirm = await browser.post("/api/signup/confirm", { email, code: await latestCode(email) });
    expect(confirm.status, confirm.text).toBe(200);

    // The relying party: openid-client, discovering the provider at its public (https) issuer.
    const config = await oidc.discovery(new URL(publicUrl), rp.clientId, rp.clientSecret, undefined, {
      [oidc.customFetch]: behindProxy,
    });
    config[oidc.customFetch] = behindProxy;
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const authorization = oidc.buildAuthorizationUrl(config, {
      redirect_uri: rp.redirectUris[0]!,
      scope: "openid email",
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state,
      nonce,
    });

    // The browser: follows the provider's redirects, signs in through the JSON API when sent to
    // the SPA's /signin, and stops at the redirect back to the relying party.
    let next = new URL(authorization);
    let callback: URL | undefined;
    let signedIn = false;
    for (let hop = 0; hop < 12 && callback === undefined; hop += 1) {
      const response = await browser.get(toListener(next));
      const location = response.headers.get("location");
      expect(location, `${next.pathname} answered ${response.status}: ${response.text.slice(0, 200)}`).not.toBeNull();
      const target = new URL(location!, next);
      if (target.origin !== new URL(publicUrl).origin) {
        callback = target;
      } else if (target.pathname === "/signin") {
        expect(signedIn).toBe(false);
        const password = await browser.post("/api/signin", { email, password: strongPassword });
        expect(password.status, password.text).toBe(200);
        expect(password.body).toMatchObject({ next: "otp" });
        const done = await browser.post<{ next: string; redirectTo: string }>("/api/signin/otp", { code: await latestCode(email) });
        expect(done.status, done.text).toBe(200);
        signedIn = true;
        next = new URL(done.body.redirectTo, publicUrl);
      } else {
        next = target;
      }
    }
    expect(signedIn).toBe(true);
    expect(callback?.href.startsWith(rp.redirectUris[0]!)).toBe(true);

    const tokens = await oidc.authorizationCodeGrant(config, callback!, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims()!;
    expect(claims.iss).toBe(publicUrl);
    expect(claims.aud).toBe(rp.clientId);
    expect(claims.email).toBe(email);
    const userInfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(userInfo.email).toBe(email);
  });

  it("writes the sign-in's metrics as CloudWatch EMF lines on stdout", async () => {
    const records = server.lines
      .map((line) => JSON.parse(line) as Record<string, unknown> & { _aws?: { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string }[] }[] } })
      .filter((record) => record._aws !== undefined);
    const names = records.flatMap((record) => record._aws!.CloudWatchMetrics.flatMap((directive) => directive.Metrics.map((metric) => metric.Name)));
    expect(names).toEqual(expect.arrayContaining(["SignInStarted", "CodeSent", "SignInCompleted", "CognitoLatency", "StoreLatency"]));
    expect(new Set(records.flatMap((record) => record._aws!.CloudWatchMetrics.map((directive) => directive.Namespace)))).toEqual(new Set([METRIC_NAMESPACE]));
  });

  it("stops on SIGTERM with exit code 0 (ECS stops tasks that way)", async () => {
    server.child.kill("SIGTERM");
    const [code] = (await once(server.child, "exit")) as [number | null];
    expect(code).toBe(0);
  });
});
