import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { productionNodeFlags } from "../../../scripts/build-server";

/** The server's node flags live in one place, the Dockerfile's CMD; the rest reads them from there. */
describe("the production server's node flags", () => {
  it("are the Dockerfile CMD's options, without node and the bundle", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tobira-dockerfile-"));
    try {
      const dockerfile = path.join(dir, "Dockerfile");
      writeFileSync(
        dockerfile,
        'FROM node:22-alpine\n# CMD ["node", "--commented-out"]\nCMD ["node", "--max-semi-space-size=4", "--stack-size=900", "dist/server/main.mjs"]\n',
      );
      expect(productionNodeFlags(dockerfile)).toEqual(["--max-semi-space-size=4", "--stack-size=900"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a Dockerfile without an exec-form CMD, rather than measuring the server without flags", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tobira-dockerfile-"));
    try {
      const dockerfile = path.join(dir, "Dockerfile");
      writeFileSync(dockerfile, "FROM node:22-alpine\nCMD node dist/server/main.mjs\n");
      expect(() => productionNodeFlags(dockerfile)).toThrow(/no CMD \[\.\.\.\] line/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("are the ones npm run start:prod starts the bundle with", () => {
    const scripts = (JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { scripts: Record<string, string> }).scripts;
    expect(scripts["start:prod"]).toBe(["node", ...productionNodeFlags(), "dist/server/main.mjs"].join(" "));
  });

  it("do not keep source maps decoded in memory (stacks are decoded offline: npm run decode-stack)", () => {
    expect(productionNodeFlags()).not.toContain("--enable-source-maps");
  });
});
