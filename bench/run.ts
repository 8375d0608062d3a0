/**
 * `npm run bench`: the BFF's hot paths side by side with minimal baselines, measured from outside
 * and interleaved (A, B, B, A, … in one run), so that the ratios stay fair on a loaded machine.
 * Every server runs in a process of its own (bench/servers.ts); this process only sends load.
 *
 *   GET /api/session signed in     vs Express 5 + cookie-session + one DynamoDB GetItem (same design)
 *   GET /api/session anonymous     vs Express 5 hello
 *   GET /healthz                   vs Express 5 hello
 *   POST /oidc/token code + PKCE   vs oidc-provider alone, in-memory adapter, same client
 *   POST /oidc/token refresh       vs the same
 *   full sign-in (password + code) against the emulator: store calls, and the BFF's own time per
 *                                  step over the Cognito calls it makes
 *   60 s of mixed load             RSS of the BFF afterwards, heap after each of three rounds
 *
 * Prints a table (req/s, p50/p99, CPU µs per request in the server, store round-trips per
 * request, ratio against the baseline) and exits 1 when a target is missed. README.md,
 * "Performance", explains how to read it.
 */
import { fork, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildServer, productionNodeFlags } from "../scripts/build-server";
import { HttpClient } from "../test/support/http-client";
import { benchEnv } from "./bench-config";
import { benchClient, type Minted, type ServerKind, type ServerStats } from "./bench-protocol";
import { runLoad, send, type BenchHttpRequest, type LoadResult } from "./load";

const here = path.dirname(fileURLToPath(import.meta.url));
const password = "Correct-Horse-9";
const quick = benchEnv.quick;
/** Interleaved rounds per path, and the length of each measured segment. */
const rounds = quick ? 1 : 6;
const segmentMs = quick ? 1_500 : 2_000;
const concurrency = 8;
const signIns = quick ? 5 : 20;
const soakRoundMs = quick ? 5_000 : 20_000;

const targets = {
  ratio: 0.9,
  storeCalls: { sessionSignedIn: 1, tokenCode: 4, refresh: 4, signIn: 6 },
  overheadMs: 5,
  rssMb: 150,
  heapGrowthMb: 8,
};

// ---------------------------------------------------------------------------------------------
// The servers

class BenchServer {
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  url = "";

  constructor(
    readonly kind: ServerKind,
    readonly process: ChildProcess,
  ) {
    process.on("message", (message: { id?: number; result?: unknown; error?: string }) => {
      if (message.id === undefined) return;
      const pending = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      if (message.error !== undefined) pending?.reject(new Error(`${kind}: ${message.error}`));
      else pending?.resolve(message.result);
    });
  }

  ask<T>(request: Record<string, unknown>): Promise<T> {
    const id = (this.nextId += 1);
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.process.send({ ...request, id });
    });
  }

  stats(options: { gc?: boolean; resetSteps?: boolean } = {}): Promise<ServerStats> {
    return this.ask<ServerStats>({ type: "stats", ...options });
  }
}

/**
 * The BFF runs from an esbuild bundle of bench/tobira-server.ts, built with the production
 * settings (scripts/build-server.ts) and run with the Dockerfile's node flags; the other servers
 * under tsx. SIGUSR2 makes it write a heap snapshot into the working folder.
 */
async function startServer<Ready extends object>(kind: ServerKind, env: Record<string, string> = {}, bundle?: string): Promise<{ server: BenchServer; ready: Ready }> {
  const profile = kind === "tobira" && benchEnv.cpuProfileDir !== undefined ? ["--cpu-prof", `--cpu-prof-dir=${benchEnv.cpuProfileDir}`] : [];
  const child = fork(kind === "tobira" ? bundle! : path.join(here, "servers.ts"), [], {
    env: { ...benchEnv.inherited(), ...env, BENCH_SERVER: kind, NODE_ENV: "production" },
    execArgv: kind === "tobira" ? ["--expose-gc", "--heapsnapshot-signal=SIGUSR2", ...productionNodeFlags(), ...profile] : ["--expose-gc", "--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const server = new BenchServer(kind, child);
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`bench server ${kind} exited (${code}) before it was ready`)));
    child.on("message", (message: { type?: string }) => {
      if (message.type === "ready") resolve(message as unknown as Ready);
    });
  });
  server.url = (ready as { url?: string }).url ?? "";
  return { server, ready };
}

// ---------------------------------------------------------------------------------------------
// Measuring

interface Segment {
  requests: number;
  reqPerSecond: number;
  p50: number;
  p99: number;
  cpuMicrosPerRequest: number;
  storeCallsPerRequest: number;
  storeCallsByOperation: Record<string, number>;
}

function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Tobira's rate over its baseline's in each round: the two ran back to back, so a burst of other
 * work on the machine moves both sides of one round, and the median of the rounds' ratios leaves
 * out a round that a burst hit on one side only.
 */
function roundRatios(tobira: Segment[], baseline: Segment[]): number[] {
  return tobira.map((segment, round) => segment.reqPerSecond / baseline[round]!.reqPerSecond);
}

function callDelta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [operation, count] of Object.entries(after)) {
    const difference = count - (before[operation] ?? 0);
    if (difference !== 0) delta[operation] = difference;
  }
  return delta;
}

const sum = (values: Iterable<number>) => [...values].reduce((total, value) => total + value, 0);

interface LoadSpec {
  server: BenchServer;
  /** Runs before the measurement (e.g. minting codes); not measured. */
  prepare?: () => Promise<void>;
  next: (worker: number) => BenchHttpRequest | undefined;
}

async function measure(spec: LoadSpec): Promise<{ load: LoadResult; segment: Segment }> {
  await spec.prepare?.();
  // From a collected heap: the previous segment's garbage (another path's, or the other side's
  // load on a shared process) is not collected on this segment's time.
  const before = await spec.server.stats({ gc: true });
  const load = await runLoad({ baseUrl: spec.server.url, durationMs: segmentMs, concurrency, next: spec.next });
  const after = await spec.server.stats();
  // A rare timeout of a dependency on a loaded machine is noted; more than 1% fails the run.
  if (load.errors > load.requests / 100) throw new Error(`${spec.server.kind}: ${load.errors} of ${load.requests} requests failed, first: ${load.firstError}`);
  if (load.errors > 0) console.warn(`note: ${spec.server.kind}: ${load.errors} of ${load.requests} requests failed, first: ${load.firstError}`);
  const calls = callDelta(before.storeCalls, after.storeCalls);
  return {
    load,
    segment: {
      requests: load.requests,
      reqPerSecond: (load.requests / load.elapsedMs) * 1000,
      p50: percentile(load.latenciesMs, 50),
      p99: percentile(load.latenciesMs, 99),
      cpuMicrosPerRequest: (after.cpuMicros - before.cpuMicros) / Math.max(1, load.requests),
      storeCallsPerRequest: sum(Object.values(calls)) / Math.max(1, load.requests),
      storeCallsByOperation: calls,
    },
  };
}

/** Segments of one side, merged: totals over every round. */
function merge(segments: Segment[]): Segment {
  const requests = sum(segments.map((segment) => segment.requests));
  const weighted = (pick: (segment: Segment) => number) => sum(segments.map((segment) => pick(segment) * segment.requests)) / Math.max(1, requests);
  const operations: Record<string, number> = {};
  for (const segment of segments)
    for (const [operation, count] of Object.entries(segment.storeCallsByOperation)) operations[operation] = (operations[operation] ?? 0) + count;
  return {
    requests,
    // Mean of the rounds' rates (the ratio is the median of the rounds' own ratios: roundRatios).
    reqPerSecond: sum(segments.map((segment) => segment.reqPerSecond)) / segments.length,
    p50: weighted((segment) => segment.p50),
    p99: Math.max(...segments.map((segment) => segment.p99)),
    cpuMicrosPerRequest: weighted((segment) => segment.cpuMicrosPerRequest),
    storeCallsPerRequest: weighted((segment) => segment.storeCallsPerRequest),
    storeCallsByOperation: operations,
  };
}

interface PathBench {
  name: string;
  tobira: LoadSpec;
  baselineName: string;
  baseline: LoadSpec;
  /** Throughput ratio Tobira / baseline that must be met, if any. */
  minRatio?: number;
  /** Store calls per request: at most this many (or exactly, for the session read). */
  storeCalls?: { max: number; exact?: boolean };
}

// ---------------------------------------------------------------------------------------------
// The flows

function cookieHeader(client: HttpClient): string {
  return client
    .cookieNames()
    .map((name) => `${name}=${client.cookie(name)}`)
    .join("; ");
}

async function latestCode(emulatorUrl: string, email: string): Promise<string> {
  const response = await fetch(`${emulatorUrl}/_local/outbox?to=${encodeURIComponent(email)}`);
  const [latest] = (await response.json()) as { code: string }[];
  if (latest === undefined) throw new Error(`no message was sent to ${email}`);
  return latest.code;
}

function expectStatus(response: { status: number; text: string }, status: number, step: string): void {
  if (response.status !== status) throw new Error(`${step}: expected ${status}, got ${response.status} ${response.text.slice(0, 300)}`);
}

const basicAuth = `Basic ${Buffer.from(`${encodeURIComponent(benchClient.clientId)}:${encodeURIComponent(benchClient.clientSecret!)}`).toString("base64")}`;
const tokenHeaders = { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth };
const pkceVerifier = randomBytes(32).toString("base64url");
const pkceChallenge = createHash("sha256").update(pkceVerifier).digest("base64url");

/** An authorization request through the provider with this browser's single sign-on; resolves to the code. */
async function authorize(browser: HttpClient): Promise<string> {
  const query = new URLSearchParams({
    client_id: benchClient.clientId,
    response_type: "code",
    redirect_uri: benchClient.redirectUris[0]!,
    scope: "openid email",
    code_challenge: pkceChallenge,
    code_challenge_method: "S256",
    state: randomBytes(8).toString("hex"),
    nonce: randomBytes(8).toString("hex"),
  });
  let next = new URL(`/oidc/auth?${query}`, browser.baseUrl);
  for (let hop = 0; hop < 8; hop += 1) {
    const response = await browser.get(next.href, { headers: { accept: "text/html" } });
    const location = response.headers.get("location");
    if (location === null) throw new Error(`authorization stopped at ${next.pathname}: ${response.status} ${response.text.slice(0, 200)}`);
    next = new URL(location, next);
    const code = next.searchParams.get("code");
    if (next.origin !== new URL(browser.baseUrl).origin) {
      if (code === null) throw new Error(`authorization ended without a code: ${next.href}`);
      return code;
    }
  }
  throw new Error("authorization: too many redirects");
}

function codeRequest(code: string, verifier: string, onAnswer?: (body: string) => void): BenchHttpRequest {
  return {
    method: "POST",
    path: "/oidc/token",
    headers: tokenHeaders,
    body: new URLSearchParams({ grant_type: "authorization_code", code, code_verifier: verifier, redirect_uri: benchClient.redirectUris[0]! }).toString(),
    status: 200,
    ...(onAnswer === undefined ? {} : { onAnswer }),
  };
}

/** Each worker refreshes its own chain: the provider rotates refresh tokens (RFC 9700 §4.14.2). */
function refreshChains(chains: string[]): (worker: number) => BenchHttpRequest {
  return (worker) => ({
    method: "POST",
    path: "/oidc/token",
    headers: tokenHeaders,
    body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: chains[worker]! }).toString(),
    status: 200,
    onAnswer: (body) => {
      chains[worker] = (JSON.parse(body) as { refresh_token: string }).refresh_token;
    },
  });
}

// ---------------------------------------------------------------------------------------------

function format(value: number, digits = 0): string {
  return Number.isFinite(value) ? value.toFixed(digits) : "-";
}

async function main(): Promise<void> {
  const started = performance.now();
  const servers: BenchServer[] = [];
  let missed = 0;
  const bundleDir = mkdtempSync(path.join(tmpdir(), "tobira-bench-bundle-"));
  try {
    // Built afresh for every run: never a stale dist/.
    const { bundle } = await buildServer({ entry: path.join(here, "tobira-server.ts"), outfile: path.join(bundleDir, "tobira-server.mjs") });
    const infra = await startServer<{ emulatorUrl: string; issuer: string; dynamoEndpoint: string }>("infra");
    servers.push(infra.server);
    const { emulatorUrl } = infra.ready;
    const env = { BENCH_EMULATOR_URL: emulatorUrl, BENCH_EMULATOR_ISSUER: infra.ready.issuer, BENCH_DYNAMO_ENDPOINT: infra.ready.dynamoEndpoint };
    // The table first (the BFF creates it), then the rest side by side.
    const tobira = (await startServer("tobira", env, bundle)).server;
    servers.push(tobira);
    const [hello, sessionBaseline, bare] = await Promise.all([
      startServer("express-hello", env).then(({ server }) => server),
      startServer("express-session", env).then(({ server }) => server),
      startServer("oidc-bare", env).then(({ server }) => server),
    ]);
    servers.push(hello, sessionBaseline, bare);

    // Users, and the full sign-in measured one at a time (the server times each step and its Cognito calls).
    const browsers: HttpClient[] = [];
    const signInSamples: number[] = [];
    let signInCalls = 0;
    const signInOperations: Record<string, number> = {};
    await tobira.stats({ resetSteps: true });
    for (let index = 0; index < Math.max(signIns, concurrency); index += 1) {
      const email = `bench-${process.pid}-${index}@example.com`;
      const browser = new HttpClient(tobira.url);
      expectStatus(await browser.post("/api/signup", { email, password }), 201, "signup");
      expectStatus(await browser.post("/api/signup/confirm", { email, code: await latestCode(emulatorUrl, email) }), 200, "confirm");
      const before = await tobira.stats();
      const start = performance.now();
      expectStatus(await browser.post("/api/signin", { email, password }), 200, "signin");
      const code = await latestCode(emulatorUrl, email);
      const beforeOtp = await tobira.stats();
      expectStatus(await browser.post("/api/signin/otp", { code }), 200, "otp");
      signInSamples.push(performance.now() - start);
      const after = await tobira.stats();
      // The outbox read between the steps is the emulator's, not the BFF's.
      const calls = { ...callDelta(before.storeCalls, beforeOtp.storeCalls) };
      for (const [operation, count] of Object.entries(callDelta(beforeOtp.storeCalls, after.storeCalls))) calls[operation] = (calls[operation] ?? 0) + count;
      for (const [operation, count] of Object.entries(calls)) signInOperations[operation] = (signInOperations[operation] ?? 0) + count;
      signInCalls += sum(Object.values(calls));
      browsers.push(browser);
    }
    const stepStats = (await tobira.stats({ resetSteps: true })).steps;

    // Code and refresh-token sources.
    const ssoBrowser = browsers[0]!;
    const tobiraCodes: string[] = [];
    let tobiraTokenRate = 40;
    const mintTobira = async () => {
      // Codes live 60 s: what an earlier round left over may have expired.
      tobiraCodes.length = 0;
      const wanted = Math.ceil(tobiraTokenRate * (segmentMs / 1000) * 1.5) + concurrency;
      while (tobiraCodes.length < wanted) tobiraCodes.push(await authorize(ssoBrowser));
    };
    await mintTobira();
    const tobiraChains: string[] = [];
    for (let worker = 0; worker < concurrency; worker += 1) {
      const answer = await send(new Agent(), tobira.url, codeRequest(tobiraCodes.pop()!, pkceVerifier));
      if (answer.status !== 200) throw new Error(`code exchange: ${answer.status} ${answer.body}`);
      tobiraChains.push((JSON.parse(answer.body) as { refresh_token: string }).refresh_token);
    }
    let bareCodes: Minted["codes"] = [];
    const bareChains = (await bare.ask<Minted>({ type: "mint", codes: 0, refreshTokens: concurrency })).refreshTokens;
    const baselineLogin = await send(new Agent(), sessionBaseline.url, { method: "POST", path: "/login" });
    const baselineCookie = ([] as string[])
      .concat(baselineLogin.headers["set-cookie"] ?? [])
      .map((line) => line.split(";", 1)[0])
      .join("; ");

    const get = (pathName: string, cookie?: string): BenchHttpRequest => ({
      method: "GET",
      path: pathName,
      headers: cookie === undefined ? {} : { cookie },
      status: 200,
    });
    const paths: PathBench[] = [
      {
        name: "GET /api/session (signed in)",
        tobira: { server: tobira, next: (worker) => get("/api/session", cookieHeader(browsers[worker % browsers.length]!)) },
        baselineName: "Express+cookie-session+GetItem",
        baseline: { server: sessionBaseline, next: () => get("/", baselineCookie) },
        minRatio: targets.ratio,
        storeCalls: { max: targets.storeCalls.sessionSignedIn, exact: true },
      },
      {
        name: "GET /api/session (anonymous)",
        tobira: { server: tobira, next: () => get("/api/session") },
        baselineName: "Express hello",
        baseline: { server: hello, next: () => get("/") },
        minRatio: targets.ratio,
        storeCalls: { max: 0 },
      },
      {
        name: "GET /healthz",
        tobira: { server: tobira, next: () => get("/healthz") },
        baselineName: "Express hello",
        baseline: { server: hello, next: () => get("/") },
        minRatio: targets.ratio,
        storeCalls: { max: 0 },
      },
      {
        name: "POST /oidc/token (code+PKCE)",
        tobira: { server: tobira, prepare: mintTobira, next: () => (tobiraCodes.length === 0 ? undefined : codeRequest(tobiraCodes.pop()!, pkceVerifier)) },
        baselineName: "oidc-provider, memory adapter",
        baseline: {
          server: bare,
          prepare: async () => {
            bareCodes = (await bare.ask<Minted>({ type: "mint", codes: 3_000, refreshTokens: 0 })).codes;
          },
          next: () => {
            const minted = bareCodes.pop();
            return minted === undefined ? undefined : codeRequest(minted.code, minted.verifier);
          },
        },
        storeCalls: { max: targets.storeCalls.tokenCode },
      },
      {
        name: "POST /oidc/token (refresh)",
        tobira: { server: tobira, next: refreshChains(tobiraChains) },
        baselineName: "oidc-provider, memory adapter",
        baseline: { server: bare, next: refreshChains(bareChains) },
        storeCalls: { max: targets.storeCalls.refresh },
      },
    ];

    const results = new Map<PathBench, { tobira: Segment[]; baseline: Segment[] }>();
    for (let round = 0; round < rounds; round += 1) {
      for (const bench of paths) {
        const entry = results.get(bench) ?? { tobira: [], baseline: [] };
        results.set(bench, entry);
        // A B, then B A: neither side always runs first.
        const order = round % 2 === 0 ? (["tobira", "baseline"] as const) : (["baseline", "tobira"] as const);
        for (const side of order) {
          const { segment } = await measure(bench[side]);
          entry[side].push(segment);
          if (side === "tobira" && bench.tobira.prepare === mintTobira) tobiraTokenRate = Math.max(10, segment.reqPerSecond);
        }
      }
    }

    // 60 s of mixed load on the BFF alone: RSS afterwards, heap (after a GC) after each third.
    const heapMb: number[] = [];
    const soakChains = refreshChains(tobiraChains);
    let soakRequests = 0;
    for (let round = 0; round < 3; round += 1) {
      const load = await runLoad({
        baseUrl: tobira.url,
        durationMs: soakRoundMs,
        concurrency,
        next: (worker) => {
          soakRequests += 1;
          const pick = soakRequests % 4;
          return pick === 0 ? soakChains(worker) : pick === 1 ? get("/api/session") : get("/api/session", cookieHeader(browsers[worker % browsers.length]!));
        },
      });
      if (load.errors > load.requests / 100) throw new Error(`soak: ${load.errors} of ${load.requests} failed, first: ${load.firstError}`);
      if (load.errors > 0) console.warn(`note: soak: ${load.errors} of ${load.requests} requests failed, first: ${load.firstError}`);
      heapMb.push((await tobira.stats({ gc: true })).heapUsedBytes / 2 ** 20);
    }
    const rssMb = (await tobira.stats()).rssBytes / 2 ** 20;

    // ---- the table
    const header = ["path", "req/s", "p50 ms", "p99 ms", "CPU µs/req", "store/req", "baseline", "req/s", "CPU µs/req", "ratio", "target", ""];
    const rows: string[][] = [];
    for (const bench of paths) {
      const entry = results.get(bench)!;
      const a = merge(entry.tobira);
      const b = merge(entry.baseline);
      const ratios = roundRatios(entry.tobira, entry.baseline);
      const ratio = median(ratios);
      const targetParts: string[] = [];
      let ok = true;
      if (bench.minRatio !== undefined) {
        targetParts.push(`≥${bench.minRatio}×`);
        ok &&= ratio >= bench.minRatio;
      }
      if (bench.storeCalls !== undefined) {
        const calls = Math.round(a.storeCallsPerRequest * 100) / 100;
        targetParts.push(bench.storeCalls.exact ? `=${bench.storeCalls.max} call` : `≤${bench.storeCalls.max} calls`);
        ok &&= bench.storeCalls.exact ? calls === bench.storeCalls.max : calls <= bench.storeCalls.max;
      }
      if (!ok) missed += 1;
      rows.push([
        bench.name,
        format(a.reqPerSecond),
        format(a.p50, 1),
        format(a.p99, 1),
        format(a.cpuMicrosPerRequest),
        `${format(a.storeCallsPerRequest, 2)}`,
        bench.baselineName,
        format(b.reqPerSecond),
        format(b.cpuMicrosPerRequest),
        `${format(ratio, 2)}×`,
        targetParts.join(", "),
        ok ? "ok" : "MISS",
      ]);
    }
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
    const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(" | ")} |`;
    console.log(line(header));
    console.log(`|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`);
    for (const row of rows) console.log(line(row));
    for (const bench of paths) {
      const operations = merge(results.get(bench)!.tobira);
      const perRequest = Object.entries(operations.storeCallsByOperation)
        .map(([operation, count]) => `${operation} ${format(count / Math.max(1, operations.requests), 2)}`)
        .join(", ");
      const ratios = roundRatios(results.get(bench)!.tobira, results.get(bench)!.baseline);
      console.log(`  ${bench.name}: store calls ${perRequest || "none"}; ratio per round ${ratios.map((value) => format(value, 2)).join(", ")}`);
    }

    console.log("");
    const signInCallsPer = signInCalls / signInSamples.length;
    const signInOk = signInCallsPer <= targets.storeCalls.signIn;
    if (!signInOk) missed += 1;
    const operations = Object.entries(signInOperations)
      .map(([operation, count]) => `${operation} ${format(count / signInSamples.length, 1)}`)
      .join(", ");
    console.log(
      `${signInOk ? "ok  " : "MISS"} full sign-in (password + code): ${format(signInCallsPer, 1)} store calls (${operations}; target ≤ ${targets.storeCalls.signIn}); n=${signInSamples.length}, p50 ${format(percentile(signInSamples, 50))} ms from the client`,
    );
    for (const [step, { totalMs, cognitoMs }] of Object.entries(stepStats)) {
      const overhead = totalMs.map((total, index) => total - cognitoMs[index]!);
      const p50 = percentile(overhead, 50);
      const ok = p50 <= targets.overheadMs;
      if (!ok) missed += 1;
      console.log(
        `${ok ? "ok  " : "MISS"} POST ${step}: BFF's own time p50 ${format(p50, 1)} ms (p99 ${format(percentile(overhead, 99), 1)}) over Cognito's p50 ${format(percentile(cognitoMs, 50), 1)} ms; whole step p50 ${format(percentile(totalMs, 50), 1)} ms (target ≤ ${targets.overheadMs} ms)`,
      );
    }
    const rssOk = rssMb <= targets.rssMb;
    const growth = heapMb[2]! - heapMb[0]!;
    const heapOk = growth <= targets.heapGrowthMb;
    if (!rssOk) missed += 1;
    if (!heapOk) missed += 1;
    console.log(`${rssOk ? "ok  " : "MISS"} BFF RSS after ${format((3 * soakRoundMs) / 1000)} s of mixed load: ${format(rssMb)} MiB (target ≤ ${targets.rssMb} MiB)`);
    console.log(
      `${heapOk ? "ok  " : "MISS"} BFF heap after a GC, three load rounds: ${heapMb.map((value) => format(value, 1)).join(" → ")} MiB (growth ≤ ${targets.heapGrowthMb} MiB)`,
    );
    console.log(
      `(${rounds} interleaved rounds of ${segmentMs / 1000} s per side, concurrency ${concurrency}; run took ${format((performance.now() - started) / 1000)} s)`,
    );
  } finally {
    for (const server of servers) server.process.kill();
    rmSync(bundleDir, { recursive: true, force: true });
  }
  process.exitCode = missed === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
