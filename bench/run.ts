/**
 * `npm run bench`: speed and memory of the local stack's hot paths, measured through the real
 * SDKs (BFF → emulator, BFF → dynalite) on loopback, with targets. Prints one line per
 * measurement and exits 1 when a target is missed. Bounded: a fixed number of requests.
 *
 *   full sign-in   POST /api/signin + POST /api/signin/otp (CUSTOM_AUTH with SRP and the
 *                  triggers, tokens verified, session stored)
 *   session read   GET /api/session (cookie → store lookup)
 *   claims         GET /api/account/claims (JWKS-verified claims + GetUser)
 */
import { performance } from "node:perf_hooks";
import { startTestStack } from "../test/support/stack";

const password = "Correct-Horse-9";
const users = 20;
const reads = 300;

interface Measurement {
  name: string;
  samples: number[];
  p95TargetMs: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function timed<T>(samples: number[], action: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await action();
  samples.push(performance.now() - start);
  return result;
}

function expectStatus(response: { status: number; text: string }, status: number, step: string): void {
  if (response.status !== status) throw new Error(`${step}: expected ${status}, got ${response.status} ${response.text}`);
}

async function main(): Promise<void> {
  const stack = await startTestStack({ bffEnv: { RATE_LIMIT_PER_IP: "1000000", RATE_LIMIT_PER_EMAIL: "1000000" } });
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("run with node --expose-gc (npm run bench does)");
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const signIn: Measurement = { name: "full sign-in (password + code)", samples: [], p95TargetMs: 400 };
  const session: Measurement = { name: "GET /api/session", samples: [], p95TargetMs: 25 };
  const claims: Measurement = { name: "GET /api/account/claims", samples: [], p95TargetMs: 60 };
  try {
    const clients = [];
    for (let index = 0; index < users; index += 1) {
      const email = `bench-${process.pid}-${index}@example.com`;
      const client = stack.client();
      expectStatus(await client.post("/api/signup", { email, password }), 201, "signup");
      expectStatus(await client.post("/api/signup/confirm", { email, code: await stack.latestCode(email) }), 200, "confirm");
      await timed(signIn.samples, async () => {
        expectStatus(await client.post("/api/signin", { email, password }), 200, "signin");
        // Reading the outbox is the "user opens the email" part; it is inside the measurement, and small.
        expectStatus(await client.post("/api/signin/otp", { code: await stack.latestCode(email) }), 200, "otp");
      });
      clients.push(client);
    }
    for (let index = 0; index < reads; index += 1) {
      const client = clients[index % clients.length]!;
      await timed(session.samples, async () => expectStatus(await client.get("/api/session"), 200, "session"));
    }
    for (let index = 0; index < reads / 3; index += 1) {
      const client = clients[index % clients.length]!;
      await timed(claims.samples, async () => expectStatus(await client.get("/api/account/claims"), 200, "claims"));
    }
  } finally {
    await stack.close();
  }

  let missed = 0;
  for (const { name, samples, p95TargetMs } of [signIn, session, claims]) {
    const sorted = [...samples].sort((a, b) => a - b);
    const p95 = percentile(sorted, 95);
    const ok = p95 <= p95TargetMs;
    if (!ok) missed += 1;
    console.log(
      `${ok ? "ok  " : "MISS"} ${name.padEnd(34)} n=${String(samples.length).padStart(4)}  p50 ${percentile(sorted, 50).toFixed(1).padStart(6)} ms  p95 ${p95.toFixed(1).padStart(6)} ms  (target p95 ≤ ${p95TargetMs} ms)`,
    );
  }
  // What the run left behind once garbage is collected (the stack is closed): a leak shows here.
  gc();
  const retainedMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  const retainedTargetMb = 32;
  const heapOk = retainedMb <= retainedTargetMb;
  if (!heapOk) missed += 1;
  console.log(
    `${heapOk ? "ok  " : "MISS"} ${"heap retained after the run".padEnd(34)} ${retainedMb.toFixed(1)} MiB  (target ≤ ${retainedTargetMb} MiB; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB for emulator + dynalite + BFF in one process)`,
  );
  process.exitCode = missed === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
