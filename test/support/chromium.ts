import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { describe, it } from "vitest";

/**
 * Browser tests use Debian's Chromium (Playwright cannot download browsers here).
 * Without it they skip with a loud line locally and fail under CI=true.
 */
export const chromiumPath = [process.env.CHROME_PATH, "/usr/bin/chromium"].find(
  (candidate): candidate is string => typeof candidate === "string" && candidate.length > 0 && existsSync(candidate),
);

export const chromiumLaunchArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];

export function launchChromium(): Promise<Browser> {
  if (!chromiumPath) throw new Error("Chromium not found at CHROME_PATH or /usr/bin/chromium");
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumLaunchArgs });
}

/** `describe` for browser suites: runs with Chromium, otherwise skips loudly (or fails in CI). */
export function describeInBrowser(name: string, body: () => void): void {
  if (chromiumPath) {
    describe(name, body);
    return;
  }
  if (process.env.CI === "true") {
    describe(name, () => {
      it("needs Chromium (install Debian's chromium or set CHROME_PATH)", () => {
        throw new Error("CI=true but Chromium is missing: browser tests cannot run");
      });
    });
    return;
  }
  console.warn(`\n!!! SKIPPING browser suite "${name}": Chromium not found (install Debian's chromium or set CHROME_PATH) !!!\n`);
  describe.skipIf(true)(name, body);
}
