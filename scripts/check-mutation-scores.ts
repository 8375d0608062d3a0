/**
 * The mutation score per module (`npm run mutate` runs it after Stryker): Stryker's
 * `thresholds.break` (stryker.config.mjs) judges all mutated files together, so one module far
 * below it can hide behind the others. This reads Stryker's JSON report (the
 * mutation-testing-report-schema format), prints the score of each security module and exits 1
 * when one is below `minimumScore` or has no tested mutant in the report.
 *
 * Score as Stryker counts it: (killed + timeout) / (killed + timeout + survived + no coverage).
 * Ignored mutants (disabled with a reason, static ones) and compile or runtime errors do not count.
 *
 *   npm run mutate                                           Stryker, then this check
 *   npx tsx scripts/check-mutation-scores.ts [report.json]   the check alone (default reports/mutation/mutation.json)
 */
import { existsSync, readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

/** The modules stryker.config.mjs mutates: a folder (every file under it) or one file. */
export const modules = ["triggers", "bff/cognito", "bff/session", "bff/passkeys", "bff/alb", "bff/middleware/rate-limit.ts", "bff/store"] as const;

/** The lowest score a module may have, in percent. */
export const minimumScore = 85;

export const defaultReportFile = "reports/mutation/mutation.json";

/** The parts of a mutation-testing-report-schema report read here. */
export interface MutationReport {
  files: Record<string, { mutants: { status: string }[] }>;
}

export interface Tally {
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
}

export interface ModuleScore extends Tally {
  module: string;
  /** Percent; undefined when the report holds no tested mutant of the module. */
  score: number | undefined;
  /** Each file of the module with its score, lowest first. */
  files: { file: string; score: number | undefined }[];
}

export function isInModule(file: string, module: string): boolean {
  return file === module || file.startsWith(`${module}/`);
}

export function tally(mutants: readonly { status: string }[]): Tally {
  const count = (status: string) => mutants.filter((mutant) => mutant.status === status).length;
  return { killed: count("Killed"), timeout: count("Timeout"), survived: count("Survived"), noCoverage: count("NoCoverage") };
}

/** (killed + timeout) / every tested mutant, in percent; undefined when none was tested. */
export function scoreOf({ killed, timeout, survived, noCoverage }: Tally): number | undefined {
  const tested = killed + timeout + survived + noCoverage;
  return tested === 0 ? undefined : ((killed + timeout) / tested) * 100;
}

export function moduleScores(report: MutationReport, moduleNames: readonly string[] = modules): ModuleScore[] {
  return moduleNames.map((module) => {
    const files = Object.entries(report.files).filter(([file]) => isInModule(file, module));
    const total = tally(files.flatMap(([, { mutants }]) => mutants));
    const perFile = files
      .map(([file, { mutants }]) => ({ file, score: scoreOf(tally(mutants)) }))
      .sort((a, b) => (a.score ?? -1) - (b.score ?? -1) || a.file.localeCompare(b.file));
    return { module, ...total, score: scoreOf(total), files: perFile };
  });
}

/** Why the check fails, one line per module; empty when every module reaches `minimum`. */
export function failures(scores: readonly ModuleScore[], minimum = minimumScore): string[] {
  return scores.flatMap(({ module, score }) => {
    if (score === undefined) return [`${module}: no tested mutant in the report (did the run mutate it?)`];
    return score < minimum ? [`${module}: ${score.toFixed(2)} % is below ${minimum} %`] : [];
  });
}

export function formatScores(scores: readonly ModuleScore[], minimum = minimumScore): string[] {
  const width = Math.max(...scores.map(({ module }) => module.length));
  const lines = [`mutation score per module (at least ${minimum} %):`];
  for (const { module, score, killed, timeout, survived, noCoverage, files } of scores) {
    const figure = score === undefined ? "     -  " : `${score.toFixed(2).padStart(6)} %`;
    lines.push(`  ${figure}  ${module.padEnd(width)}  killed ${killed}, timeout ${timeout}, survived ${survived}, no coverage ${noCoverage}`);
    // Where to look in a module below the line: its files under it.
    if (score !== undefined && score < minimum) {
      for (const file of files.filter((entry) => entry.score !== undefined && entry.score < minimum)) {
        lines.push(`            ${file.score!.toFixed(2).padStart(6)} %  ${file.file}`);
      }
    }
  }
  return lines;
}

function main(reportFile = defaultReportFile): number {
  if (!existsSync(reportFile)) {
    console.error(`mutation scores: ${reportFile} is missing; run npm run mutate (Stryker's json reporter writes it)`);
    return 1;
  }
  const report = JSON.parse(readFileSync(reportFile, "utf8")) as MutationReport;
  const scores = moduleScores(report);
  for (const line of formatScores(scores)) console.log(line);
  const failed = failures(scores);
  for (const failure of failed) console.error(`mutation scores: ${failure}`);
  return failed.length === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main(process.argv[2]);
