import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The README's "Environment variables" section is the operator's reference: every variable the
 * code reads must have a row there, and every row must name a variable the code still reads.
 * The names are taken from the sources (the config schemas' keys and every `env.NAME` read), so
 * a variable added without documentation fails here.
 */

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const read = (relative: string) => readFileSync(path.join(repoRoot, relative), "utf8");

/** The config modules: one zod schema per runtime, keyed by variable name. */
const configModules = ["bff/config", "triggers/config.ts", "triggers/alb-logout-config.ts", "emulator/config.ts", "web/config.ts"];
/** Where code may read the environment directly (the infrastructure app documents its own settings). */
const sourceFolders = ["bff", "triggers", "emulator", "web", "common", "scripts", "examples", "bench", "test/support"];

function filesUnder(relative: string): string[] {
  const full = path.join(repoRoot, relative);
  if (statSync(full).isFile()) return [relative];
  return readdirSync(full).flatMap((entry) => filesUnder(path.join(relative, entry)));
}

function variablesReadByCode(): Set<string> {
  const names = new Set<string>();
  for (const file of configModules.flatMap(filesUnder).filter((name) => /\.tsx?$/.test(name))) {
    for (const match of read(file).matchAll(/^\s+([A-Z][A-Z0-9_]+): /gm)) names.add(match[1]!);
  }
  for (const file of sourceFolders.flatMap(filesUnder).filter((name) => /\.tsx?$/.test(name))) {
    for (const match of read(file).matchAll(/\b(?:process\.env|import\.meta\.env|env)\.([A-Z][A-Z0-9_]*[A-Z0-9])\b/g)) names.add(match[1]!);
  }
  return names;
}

function variablesInReference(): Set<string> {
  const readme = read("README.md");
  const start = readme.indexOf("\n## Environment variables\n");
  expect(start, 'README.md has an "## Environment variables" section').toBeGreaterThan(-1);
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end === -1 ? undefined : end);
  const names = new Set<string>();
  // First cell of each table row: | `NAME` | …
  for (const match of section.matchAll(/^(?:> )?\| `([A-Z][A-Z0-9_]+)` \|/gm)) names.add(match[1]!);
  return names;
}

describe("README environment-variable reference", () => {
  it("lists every variable the code reads", () => {
    const documented = variablesInReference();
    const missing = [...variablesReadByCode()].filter((name) => !documented.has(name)).sort();
    expect(missing).toEqual([]);
  });

  it("lists no variable the code no longer reads", () => {
    const read = variablesReadByCode();
    const stale = [...variablesInReference()].filter((name) => !read.has(name)).sort();
    expect(stale).toEqual([]);
  });
});
