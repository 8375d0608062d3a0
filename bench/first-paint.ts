/**
 * `npm run bench:web`: a first visit to /signin in headless Chromium on a mid-range phone
 * profile — 150 ms round trip, 1.6 Mbps down and 750 kbps up (DevTools network emulation, as
 * Lighthouse's mobile profile), the CPU slowed four times — with an empty cache. Measures:
 *
 *   first contentful paint   the browser's own paint timing entry
 *   form usable              the email field is in the page and "Continue" is enabled (React
 *                            has rendered the sign-in page, GET /api/config has answered)
 *   JS transferred           script bytes on the wire (after Content-Encoding)
 *
 * Prints each run and the median, and exits 1 when a median misses its target (FCP ≤ 1.8 s,
 * Lighthouse's "good"; usable ≤ 2.5 s). Serves dist/web (run `npm run build` first), or another
 * build with --dist <dir> to compare; --runs <n> (default 5); --cpu <n> for another CPU slowdown
 * (1 shows what the network alone costs; on a busy machine the slowed CPU dominates the figures);
 * --timeline prints each visit's requests (start → end, ms since navigation).
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { launchChromium } from "../test/support/chromium";
import { startTestStack } from "../test/support/stack";

const targets = { fcpMs: 1800, usableMs: 2500 };
/** Lighthouse's simulated mobile network ("Slow 4G"), in the units DevTools takes (bytes per second). */
const phoneNetwork = { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 };
const defaultCpuSlowdown = 4;

interface Run {
  fcpMs: number;
  usableMs: number;
  scriptBytes: number;
  scripts: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dist: { type: "string" },
      runs: { type: "string", default: "5" },
      cpu: { type: "string", default: String(defaultCpuSlowdown) },
      timeline: { type: "boolean", default: false },
    },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs takes a whole number of at least 1");
  const cpuSlowdown = Number(values.cpu);
  if (!(cpuSlowdown >= 1)) throw new Error("--cpu takes a slowdown factor of at least 1");
  const distDir = path.resolve(values.dist ?? "dist/web");

  const stack = await startTestStack({ serveWeb: true, bffEnv: { WEB_DIST_DIR: distDir } });
  const browser = await launchChromium();
  const results: Run[] = [];
  try {
    // One visit before measuring, so the first figure is not the server's own warm-up.
    for (let index = 0; index <= runs; index += 1) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.enable");
      await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
      await cdp.send("Network.emulateNetworkConditions", phoneNetwork);
      await cdp.send("Emulation.setCPUThrottlingRate", { rate: cpuSlowdown });

      await page.goto(`${stack.bffUrl}/signin`, { waitUntil: "commit" });
      // Checked on every frame in the page itself, so the figure is the page's own clock (ms since navigation start).
      const usable = await page.waitForFunction(
        () => {
          const email = document.querySelector<HTMLInputElement>('input[type="email"]');
          const submit = [...document.querySelectorAll("button")].find((button) => button.textContent?.trim() === "Continue");
          return email !== null && submit !== undefined && !submit.disabled && !email.disabled ? performance.now() : false;
        },
        undefined,
        { polling: "raf", timeout: 60_000 },
      );
      const usableMs = (await usable.jsonValue()) as number;
      const measured = await page.evaluate(() => {
        const fcp = performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? Number.NaN;
        const scripts = performance
          .getEntriesByType("resource")
          .filter((entry) => (entry as PerformanceResourceTiming).initiatorType !== "fetch" && entry.name.endsWith(".js"));
        const timeline = performance.getEntriesByType("resource").map((entry) => {
          const { startTime, responseEnd, name } = entry as PerformanceResourceTiming;
          return `${startTime.toFixed(0).padStart(6)} → ${responseEnd.toFixed(0).padStart(6)} ms  ${new URL(name).pathname}`;
        });
        return {
          fcpMs: fcp,
          scripts: scripts.length,
          scriptBytes: scripts.reduce((sum, entry) => sum + (entry as PerformanceResourceTiming).transferSize, 0),
          timeline,
        };
      });
      await context.close();
      if (index === 0) continue;
      const run = { ...measured, usableMs };
      results.push(run);
      // --timeline: when each request started and ended, to see what the form waits for.
      if (values.timeline) for (const line of run.timeline) console.log(`    ${line}`);
      console.log(
        `run ${index}: FCP ${run.fcpMs.toFixed(0).padStart(5)} ms   form usable ${run.usableMs.toFixed(0).padStart(5)} ms   JS ${(run.scriptBytes / 1000).toFixed(1)} kB in ${run.scripts} files`,
      );
    }
  } finally {
    await browser.close();
    await stack.close();
  }

  const fcp = median(results.map((run) => run.fcpMs));
  const usable = median(results.map((run) => run.usableMs));
  const fcpOk = fcp <= targets.fcpMs;
  const usableOk = usable <= targets.usableMs;
  console.log(`/signin on a phone profile (150 ms RTT, 1.6 Mbps, CPU ÷${cpuSlowdown}), ${distDir}, median of ${results.length}:`);
  console.log(`${fcpOk ? "ok  " : "MISS"} first contentful paint  ${fcp.toFixed(0).padStart(5)} ms  (target ≤ ${targets.fcpMs} ms)`);
  console.log(`${usableOk ? "ok  " : "MISS"} form usable             ${usable.toFixed(0).padStart(5)} ms  (target ≤ ${targets.usableMs} ms)`);
  process.exitCode = fcpOk && usableOk ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
