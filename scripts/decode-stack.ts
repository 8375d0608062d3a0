import { readFileSync } from "node:fs";
import { SourceMap, type SourceMapPayload } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * `npm run decode-stack [-- --map <file.map>] [log file]`: the production server runs its minified
 * bundle without `--enable-source-maps` (README, "Performance of the BFF": the flag keeps the decoded
 * map of the whole bundle in memory), so stack traces in its logs name positions in
 * `dist/server/main.mjs`. This rewrites every `main.mjs:<line>:<column>` in the text (a pino line, a
 * pasted stack) into the TypeScript source's `file.ts:<line>:<column>`, offline, with the map the
 * same build wrote next to the bundle. Reads the named file or standard input.
 */

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const defaultMap = path.join(repoRoot, "dist/server/main.mjs.map");

/** A position in the bundle as a stack frame prints it: `<anything>main.mjs:12:3456`. */
function positionPattern(bundleName: string): RegExp {
  const escaped = bundleName.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?:file://)?[^\\s()"'\\\\]*${escaped}:(\\d+):(\\d+)`, "g");
}

/**
 * Every position of the bundle in `text` replaced by its source position (relative to `sourceRoot`).
 * Positions the map does not cover stay as they are.
 */
export function decodeStackPositions(text: string, map: { payload: SourceMapPayload; file: string }, sourceRoot: string = repoRoot): string {
  const sourceMap = new SourceMap(map.payload);
  const mapDir = path.dirname(map.file);
  // esbuild names the map after its bundle: main.mjs.map.
  const bundleName = path.basename(map.file, ".map");
  return text.replace(positionPattern(bundleName), (whole, line: string, column: string) => {
    // Stack frames count lines and columns from 1; the map from 0.
    const generatedLine = Number(line) - 1;
    const entry = sourceMap.findEntry(generatedLine, Number(column) - 1) as Partial<{
      generatedLine: number;
      originalSource: string;
      originalLine: number;
      originalColumn: number;
    }>;
    // findEntry answers the nearest mapping before the position, even on an earlier line: not this one.
    if (entry.generatedLine !== generatedLine || entry.originalSource === undefined || entry.originalLine === undefined || entry.originalColumn === undefined)
      return whole;
    const source = entry.originalSource.startsWith("file:") ? fileURLToPath(entry.originalSource) : path.resolve(mapDir, entry.originalSource);
    return `${path.relative(sourceRoot, source).split(path.sep).join("/")}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}

export function readSourceMap(file: string): { payload: SourceMapPayload; file: string } {
  return { payload: JSON.parse(readFileSync(file, "utf8")) as SourceMapPayload, file };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const mapFlag = args.indexOf("--map");
  const mapFile = mapFlag === -1 ? defaultMap : args.splice(mapFlag, 2)[1];
  if (mapFile === undefined) {
    console.error("usage: npm run decode-stack -- [--map dist/server/main.mjs.map] [log file]   (or the text on standard input)");
    process.exit(2);
  }
  const text = readFileSync(args[0] ?? 0, "utf8");
  process.stdout.write(decodeStackPositions(text, readSourceMap(mapFile)));
}
