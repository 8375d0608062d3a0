import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { developmentOnlyPackages } from "../../../scripts/build-server";

/**
 * package.json's `dependencies` are what production is built from; the local stand-ins, the
 * TypeScript runner and the demo relying party are development-only. The README's "Runtime
 * dependencies and why" table says why each runtime dependency is there.
 */

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const manifest = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const runtimeDependencies = Object.keys(manifest.dependencies);

function packagesInReadmeRuntimeTable(): string[] {
  const readme = readFileSync(path.join(repoRoot, "README.md"), "utf8");
  const start = readme.indexOf("\n## Runtime dependencies and why\n");
  expect(start).toBeGreaterThan(-1);
  const rest = readme.slice(start + 1);
  const end = rest.slice(3).search(/\n#{2,3} /);
  const section = end === -1 ? rest : rest.slice(0, end + 3);
  return section
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .flatMap((line) => [...line.split("|")[1]!.matchAll(/`([^`]+)`/g)].map((match) => match[1]!));
}

describe("runtime dependencies", () => {
  it("holds no development-only package (dynalite, tsx, openid-client, build and test tools)", () => {
    expect(runtimeDependencies.filter((name) => developmentOnlyPackages.includes(name))).toEqual([]);
    for (const name of ["dynalite", "tsx", "openid-client"]) expect(manifest.devDependencies).toHaveProperty(name);
  });

  it("are each explained in the README's runtime table, which names nothing else", () => {
    expect(packagesInReadmeRuntimeTable().sort()).toEqual([...runtimeDependencies].sort());
  });
});
