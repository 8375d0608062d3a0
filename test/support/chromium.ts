import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { describe, it } from "vitest";

/**
 * Browser tests use Debian's Chromium (Playwright cannot download browsers here).
 * Without it they skip with a loud line locally and fail under any truthy CI (CI=true, CI=1, CI=yes…).
 */
export const chromiumPath = [process.env.CHROME_PATH, "/usr/bin/chromium"].find(
  (candidate): candidate is string => typeof candidate === "string" && candidate.length > 0 && existsSync(candidate),
);

export const chromiumLaunchArgs = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"];

export function launchChromium(): Promise<Browser> {
  if (!chromiumPath) throw new Error("Chromium not found at CHROME_PATH or /usr/bin/chromium");
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumLaunchArgs });
}

/**
 * Whether `CI` says this is a CI run. CI services set it to "true" (GitHub Actions, GitLab) or
 * "1" and people type "yes"; only unset, empty and the spellings of no ("false", "0", "no", "off")
 * mean a developer's machine, where a missing browser may skip its tests.
 */
export function isCiRun(ci: string | undefined): boolean {
  if (ci === undefined) return false;
  return !["", "false", "0", "no", "off"].includes(ci.trim().toLowerCase());
}

/** What a browser suite does: run with Chromium; without it, fail in CI (a skipped suite would pass) or skip. */
export function browserSuiteMode(chromiumFound: boolean, ci: string | undefined): "run" | "fail" | "skip" {
  if (chromiumFound) return "run";
  return isCiRun(ci) ? "fail" : "skip";
}

/** `describe` for browser suites: runs with Chromium, otherwise skips loudly (or fails in CI). */
export function describeInBrowser(name: string, body: () => void): void {
  const mode = browserSuiteMode(chromiumPath !== undefined, process.env.CI);
  if (mode === "run") {
    describe(name, body);
    return;
  }
  if (mode === "fail") {
    describe(name, () => {
      it("needs Chromium (install Debian's chromium or set CHROME_PATH)", () => {
        throw new Error(`CI=${process.env.CI} but Chromium is missing: browser tests cannot run`);
      });
    });
    return;
  }
  console.warn(`\n!!! SKIPPING browser suite "${name}": Chromium not found (install Debian's chromium or set CHROME_PATH) !!!\n`);
  describe.skipIf(true)(name, body);
}
