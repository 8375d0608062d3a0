import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { failures, formatScores, isInModule, moduleScores, modules, type MutationReport } from "../../../scripts/check-mutation-scores";

/** Mutants of these statuses, in a report file's shape. */
function mutants(counts: Record<string, number>): { mutants: { status: string }[] } {
  return { mutants: Object.entries(counts).flatMap(([status, count]) => Array.from({ length: count }, () => ({ status }))) };
}

/** A tiny report in Stryker's JSON format (mutation-testing-report-schema), the fields the check reads. */
const report: MutationReport = {
  files: {
    "triggers/define-auth.ts": mutants({ Killed: 3, Timeout: 1, Survived: 1 }),
    "triggers/verify-auth.ts": mutants({ Killed: 4, Ignored: 2, CompileError: 1, RuntimeError: 1 }),
    "bff/store/dynamo-store.ts": mutants({ Killed: 16, Timeout: 1, Survived: 2, NoCoverage: 1 }),
    "bff/storefront/page.ts": mutants({ Survived: 5 }),
    "bff/middleware/rate-limit.ts": mutants({ Killed: 1 }),
    "bff/middleware/origin-guard.ts": mutants({ Survived: 1 }),
    "bff/alb/alb-headers.ts": mutants({ Ignored: 3 }),
  },
};

describe("the mutation score per module", () => {
  it("scores a module as (killed + timeout) / (killed + timeout + survived + no coverage), ignored and erroring mutants left out", () => {
    const [triggers] = moduleScores(report, ["triggers"]);
    expect(triggers).toMatchObject({ killed: 7, timeout: 1, survived: 1, noCoverage: 0 });
    expect(triggers!.score).toBeCloseTo((8 / 9) * 100, 10);
  });

  it("counts a file in a folder module only under that folder, and a file module only itself", () => {
    const [store, rateLimit] = moduleScores(report, ["bff/store", "bff/middleware/rate-limit.ts"]);
    expect(store!.files.map(({ file }) => file)).toEqual(["bff/store/dynamo-store.ts"]);
    expect(store!.score).toBe(85);
    expect(rateLimit!.files.map(({ file }) => file)).toEqual(["bff/middleware/rate-limit.ts"]);
    expect(rateLimit!.score).toBe(100);
  });

  it("passes a module at the minimum and fails one below it", () => {
    const scores = moduleScores(report, ["bff/store", "triggers"]);
    expect(failures(scores, 85)).toEqual([]);
    expect(failures(scores, 88.9)).toEqual(["bff/store: 85.00 % is below 88.9 %", "triggers: 88.89 % is below 88.9 %"]);
  });

  it("fails a module with no tested mutant in the report (not mutated, or every mutant ignored)", () => {
    const scores = moduleScores(report, ["bff/alb", "bff/cognito"]);
    expect(scores.map(({ score }) => score)).toEqual([undefined, undefined]);
    expect(failures(scores)).toEqual([
      "bff/alb: no tested mutant in the report (did the run mutate it?)",
      "bff/cognito: no tested mutant in the report (did the run mutate it?)",
    ]);
  });

  it("prints each module's score and counts, and the files of a module below the minimum, lowest first", () => {
    const lines = formatScores(moduleScores(report, ["triggers", "bff/cognito"]), 90);
    expect(lines).toEqual([
      "mutation score per module (at least 90 %):",
      "   88.89 %  triggers     killed 7, timeout 1, survived 1, no coverage 0",
      "             80.00 %  triggers/define-auth.ts",
      "       -    bff/cognito  killed 0, timeout 0, survived 0, no coverage 0",
    ]);
  });

  it("checks every module stryker.config.mjs mutates, and only those", async () => {
    const configFile = pathToFileURL(path.resolve("stryker.config.mjs")).href;
    const { default: config } = (await import(configFile)) as { default: { mutate: string[] } };
    // What each of the config's globs names: a folder, or a file (the part before any wildcard).
    const mutated = config.mutate.filter((glob) => !glob.startsWith("!")).map((glob) => glob.replace(/\/?\*.*$/, ""));
    for (const named of mutated)
      expect(
        modules.some((module) => isInModule(named, module)),
        named,
      ).toBe(true);
    for (const module of modules)
      expect(
        mutated.some((named) => isInModule(named, module)),
        module,
      ).toBe(true);
  });
});
