import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../../../scripts/build-server";
import { decodeStackPositions, readSourceMap } from "../../../scripts/decode-stack";

/**
 * The production server runs its minified bundle without --enable-source-maps; its stack traces
 * become readable offline with the map the same build writes. Built here with the server's own
 * settings (scripts/build-server.ts), from a two-function source.
 */
const source = [
  "function failingStep(): never {",
  '  throw new Error("decode me");',
  "}",
  "export function run(): void {",
  "  failingStep();",
  "}",
  "try {",
  "  run();",
  "} catch (error) {",
  '  process.stdout.write((error as Error).stack ?? "");',
  "}",
  "",
].join("\n");

describe("npm run decode-stack", () => {
  let dir: string;
  let stack: string;
  let map: ReturnType<typeof readSourceMap>;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "tobira-decode-stack-"));
    writeFileSync(path.join(dir, "failing-step.ts"), source);
    const { bundle } = await buildServer({ entry: path.join(dir, "failing-step.ts"), outfile: path.join(dir, "out/main.mjs") });
    stack = execFileSync(process.execPath, [bundle], { encoding: "utf8" });
    map = readSourceMap(`${bundle}.map`);
  }, 60_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("rewrites the bundle's positions in a stack trace into the TypeScript source's, keeping function names", () => {
    expect(stack).toMatch(/at failingStep \(file:\/\/\S+\/out\/main\.mjs:\d+:\d+\)/);
    const decoded = decodeStackPositions(stack, map, dir);
    expect(decoded).toMatch(/at failingStep \(failing-step\.ts:2:\d+\)/);
    expect(decoded).toMatch(/at run \(failing-step\.ts:5:\d+\)/);
    expect(decoded).not.toContain("main.mjs:");
  });

  it("decodes a stack inside a JSON log line, where new lines are escaped", () => {
    const logLine = JSON.stringify({ level: 50, err: { stack } });
    const decoded = decodeStackPositions(logLine, map, dir);
    expect(decoded).toContain("(failing-step.ts:2:");
    expect(() => JSON.parse(decoded) as unknown).not.toThrow();
  });

  it("leaves positions the map does not cover, and other files' positions, as they are", () => {
    const text = "at x (file:///app/dist/server/main.mjs:999999:1)\nat y (node:internal/timers:583:11)\nat z (other.mjs:2:10)";
    expect(decodeStackPositions(text, map, dir)).toBe(text);
  });
});
