import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type Metafile, type Plugin } from "esbuild";

/**
 * `npm run build:server`: the BFF compiled into one JavaScript file, dist/server/main.mjs, that
 * runs with `node` alone (Node 20 and 22): every npm package is bundled, so a production image
 * needs no node_modules, no TypeScript runtime and none of the local stand-ins.
 */

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
export const serverEntry = path.join(repoRoot, "bff/main.ts");
export const serverOutDir = path.join(repoRoot, "dist/server");
export const serverBundle = path.join(serverOutDir, "main.mjs");

/**
 * The node flags the image starts the server with, read from the Dockerfile's exec-form
 * `CMD ["node", …flags, "dist/server/main.mjs"]`: `npm run bench` and the compiled-server test run
 * the bundle with them, so that what they measure and prove is what production runs.
 */
export function productionNodeFlags(dockerfile: string = path.join(repoRoot, "Dockerfile")): string[] {
  const command = /^CMD\s+(\[.*\])\s*$/m.exec(readFileSync(dockerfile, "utf8"))?.[1];
  if (command === undefined) throw new Error(`${dockerfile} has no CMD [...] line to take the server's node flags from`);
  return (JSON.parse(command) as string[]).filter((argument) => argument.startsWith("--"));
}

/** Packages only the local stack and the tests use; the bundle fails to build if one slips in. */
export const developmentOnlyPackages = ["dynalite", "tsx", "openid-client", "vite", "vitest", "esbuild", "playwright-core", "aws-cdk-lib"];

/**
 * Modules of this repository find files relative to themselves (config/local.json, dist/web).
 * In the bundle each `import.meta.url` of ours becomes the URL its source file would have next to
 * the bundle's folder, so those paths stay what they are in the source tree.
 */
const sourceLocations = (outDir: string): Plugin => ({
  name: "source-locations",
  setup(builder) {
    builder.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = await readFile(args.path, "utf8");
      if (!source.includes("import.meta.url")) return { contents: source, loader: "ts" };
      const relative = path.relative(outDir, args.path).split(path.sep).join("/");
      return { contents: source.replaceAll("import.meta.url", `new URL(${JSON.stringify(relative)}, import.meta.url).href`), loader: "ts" };
    });
  },
});

function bundledPackages(metafile: Metafile): Set<string> {
  const names = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match?.[1] !== undefined) names.add(match[1]);
  }
  return names;
}

export interface ServerBuild {
  bundle: string;
  packages: string[];
  bytes: number;
}

/** `target`: another entry and output file, built the same way (npm run bench bundles its BFF server so). */
export async function buildServer(target: { entry: string; outfile: string } = { entry: serverEntry, outfile: serverBundle }): Promise<ServerBuild> {
  const result = await build({
    entryPoints: [target.entry],
    outfile: target.outfile,
    bundle: true,
    platform: "node",
    // Node 20 features at most, so the same file runs on 20 and 22.
    target: "node20",
    format: "esm",
    // Packages without an `exports` map (the AWS SDK's) in their ES module build, not their
    // CommonJS one: esbuild tree-shakes ES modules only, so the SDK clients' unused commands drop out
    // (3.6 → 3.2 MB). Each megabyte of bundle is heap and parser memory that the process keeps
    // (README, "Performance of the BFF"). Packages with an `exports` map are resolved by it either way.
    mainFields: ["module", "main"],
    minify: true,
    // Error names stay readable in logs; several SDK checks compare `error.name`.
    keepNames: true,
    sourcemap: "linked",
    sourcesContent: false,
    metafile: true,
    legalComments: "linked",
    logLevel: "warning",
    plugins: [sourceLocations(path.dirname(target.outfile))],
    // CommonJS packages inside an ES module still call require() for Node's built-ins.
    banner: { js: 'import { createRequire as __tobiraCreateRequire } from "node:module"; const require = __tobiraCreateRequire(import.meta.url);' },
  });
  const packages = [...bundledPackages(result.metafile)].sort();
  const leaked = packages.filter((name) => developmentOnlyPackages.includes(name));
  if (leaked.length > 0) throw new Error(`The server bundle must not contain development-only packages: ${leaked.join(", ")}`);
  const output = result.metafile.outputs[path.relative(process.cwd(), target.outfile).split(path.sep).join("/")];
  return { bundle: target.outfile, packages, bytes: output?.bytes ?? 0 };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildServer().then(
    ({ bundle, packages, bytes }) => {
      console.log(`${path.relative(process.cwd(), bundle)}: ${(bytes / 1024 / 1024).toFixed(1)} MB, ${packages.length} packages bundled`);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
