import { describe, expect, it } from "vitest";
import { browserSuiteMode, isCiRun } from "../../support/chromium";

/**
 * The browser suites skip without Chromium on a developer's machine, but in CI a skipped suite
 * would pass silently, so there any truthy CI value turns the missing browser into a failure.
 */

describe("the browser-suite gate", () => {
  it.each(["true", "1", "yes", "TRUE", "True", "on", "github-actions", " true "])("treats CI=%j as a CI run: a missing Chromium fails the suite", (ci) => {
    expect(isCiRun(ci)).toBe(true);
    expect(browserSuiteMode(false, ci)).toBe("fail");
  });

  it.each([undefined, "", "false", "0", "no", "off", "FALSE", " 0 "])("treats CI=%j as a developer's machine: a missing Chromium skips the suite", (ci) => {
    expect(isCiRun(ci)).toBe(false);
    expect(browserSuiteMode(false, ci)).toBe("skip");
  });

  it.each([undefined, "true", "1"])("runs the suite wherever Chromium is found (CI=%j)", (ci) => {
    expect(browserSuiteMode(true, ci)).toBe("run");
  });
});
