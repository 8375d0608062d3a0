/**
 * The bundle budget (`npm run build` runs it after Vite): the JavaScript a first visit to
 * /signin downloads — the entry chunk, the app it starts, the sign-in page's chunk and every chunk those import
 * statically, plus the heavier language's strings, counted as the build's gzip copies (what the BFF sends) — must stay within the
 * limit. Reads dist/web/.vite/manifest.json (which chunks load which) and chunk-packages.json
 * (which npm packages each chunk holds, written by vite.config.ts); prints the figure and each
 * chunk; exits 1 on a miss, when a page that /signin must not load (account, passkey management,
 * consent) is among them, or when they hold a library the sign-in pages do without.
 *
 *   npm run check:bundle            after `npm run build`
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

/** The target for /signin's JS (gzip): the size of the libraries alone in a minimal build. */
export const targetBytes = 110_000;
/**
 * What the build fails above: /signin loads 105.3 kB, most of it the libraries (React DOM about
 * 60 kB, zod/mini, Lingui, React; README, "Performance of the first visit"). The target is met;
 * this ceiling — the figure plus about 3 kB of headroom, under the target — stops the figure
 * from creeping back up to it unnoticed. Lower it when the figure falls.
 */
export const ceilingBytes = 108_500;

/** The sign-in page's module, as the manifest names its chunk. */
export const signInRoute = "features/signin/routes/sign-in.tsx";
/** The app itself, which the small entry (web/main.tsx) imports dynamically as soon as it runs. */
export const appStart = "app/start.tsx";
/**
 * The sign-in pages' strings, one chunk per language (web/i18n/i18n.tsx loads the active one with
 * a dynamic import): /signin downloads one of them, so the heaviest counts.
 */
export const signInCatalogs = ["i18n/messages/en.ts", "i18n/messages/ja.ts"];
/** Pages whose code /signin must never download. */
export const notOnSignIn = [
  "features/account/routes/account.tsx",
  "features/passkeys/components/passkeys-section.tsx",
  "features/connected-apps/components/connected-apps-section.tsx",
  "features/consent/routes/consent.tsx",
];

/**
 * Libraries /signin must never download: the sign-in pages read and write without TanStack
 * Query (web/lib/use-request.ts, use-submit.ts), which only the account, passkey and consent
 * pages load (web/app/query-pages.tsx).
 */
export const packagesNotOnSignIn = ["@tanstack/react-query", "@tanstack/query-core"];

/** One entry of Vite's build manifest (the fields used here). */
export interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

export interface SignInBundle {
  chunks: { file: string; bytes: number }[];
  totalBytes: number;
  /** Pages of `notOnSignIn` that /signin loads. */
  misplaced: string[];
  /** Packages of `packagesNotOnSignIn` in what /signin loads, with the chunk holding each. */
  misplacedPackages: { name: string; file: string }[];
  /** Why the build fails, empty when it passes. */
  failures: string[];
}

function kB(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} kB`;
}

/**
 * What /signin loads according to `manifest`, each file weighed by `gzipBytes`, against the
 * ceiling; `packagesIn` names the npm packages a chunk holds.
 */
export function measureSignInBundle(
  manifest: Record<string, ManifestChunk>,
  gzipBytes: (file: string) => number,
  ceiling = ceilingBytes,
  packagesIn: (file: string) => readonly string[] = () => [],
): SignInBundle {
  const entryKey = Object.keys(manifest).find((key) => manifest[key]!.isEntry);
  if (entryKey === undefined || manifest[signInRoute] === undefined) {
    return {
      chunks: [],
      totalBytes: 0,
      misplaced: [],
      misplacedPackages: [],
      failures: [`the manifest has no entry or no chunk for ${signInRoute} (is the sign-in page still lazy-loaded from web/app/router.tsx?)`],
    };
  }
  // The entry, the app it starts, the sign-in page, and what they import statically (other
  // dynamic imports load later, on demand).
  const loaded = new Set<string>();
  const visit = (key: string): void => {
    if (loaded.has(key)) return;
    loaded.add(key);
    for (const imported of manifest[key]?.imports ?? []) visit(imported);
  };
  visit(entryKey);
  if (manifest[appStart] !== undefined) visit(appStart);
  visit(signInRoute);

  const chunks = [...loaded]
    .map((key) => manifest[key]!.file)
    .filter((file) => file.endsWith(".js"))
    .map((file) => ({ file, bytes: gzipBytes(file) }));
  // One language's catalog, fetched as the page starts: the heaviest one present.
  const catalog = signInCatalogs
    .filter((key) => manifest[key] !== undefined && !loaded.has(key))
    .map((key) => ({ file: manifest[key]!.file, bytes: gzipBytes(manifest[key]!.file) }))
    .sort((a, b) => b.bytes - a.bytes)[0];
  if (catalog !== undefined) chunks.push(catalog);
  chunks.sort((a, b) => b.bytes - a.bytes);
  const totalBytes = chunks.reduce((sum, { bytes }) => sum + bytes, 0);
  const misplaced = notOnSignIn.filter((key) => loaded.has(key));
  const misplacedPackages = chunks.flatMap(({ file }) =>
    packagesIn(file)
      .filter((name) => packagesNotOnSignIn.includes(name))
      .map((name) => ({ name, file })),
  );
  const failures = [
    ...(totalBytes > ceiling ? [`/signin loads ${kB(totalBytes)} of JS (gzip), above the ceiling of ${kB(ceiling)}`] : []),
    ...misplaced.map((key) => `/signin loads ${key}`),
    ...misplacedPackages.map(({ name, file }) => `/signin loads ${name} (in ${file})`),
  ];
  return { chunks, totalBytes, misplaced, misplacedPackages, failures };
}

/** The figure against the target, as the build prints it: met at or under 110 kB, else by how much it is missed. */
export function describeTarget(totalBytes: number): string {
  return totalBytes <= targetBytes ? `target ${kB(targetBytes)}: met` : `target ${kB(targetBytes)}: missed by ${kB(totalBytes - targetBytes)}`;
}

function main(): number {
  const distDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../dist/web");
  const manifestFile = path.join(distDir, ".vite/manifest.json");
  if (!existsSync(manifestFile)) {
    console.error(`bundle budget: ${manifestFile} is missing; run npm run build first`);
    return 1;
  }
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as Record<string, ManifestChunk>;
  const packagesFile = path.join(distDir, ".vite/chunk-packages.json");
  if (!existsSync(packagesFile)) {
    console.error(`bundle budget: ${packagesFile} is missing (vite.config.ts writes it); run npm run build`);
    return 1;
  }
  const packages = JSON.parse(readFileSync(packagesFile, "utf8")) as Record<string, string[]>;
  // The build's own gzip copy (what the BFF sends), or the file gzipped here when it has none.
  const gzipBytes = (file: string): number => {
    const absolute = path.join(distDir, file);
    return existsSync(`${absolute}.gz`) ? statSync(`${absolute}.gz`).size : gzipSync(readFileSync(absolute), { level: 9 }).length;
  };
  const bundle = measureSignInBundle(manifest, gzipBytes, ceilingBytes, (file) => packages[file] ?? []);

  console.log(`bundle budget: JS loaded by /signin (gzip), ${bundle.chunks.length} chunks`);
  for (const { file, bytes } of bundle.chunks) console.log(`  ${kB(bytes).padStart(9)}  ${file}`);
  console.log(`  ${kB(bundle.totalBytes).padStart(9)}  total — ${describeTarget(bundle.totalBytes)}; build ceiling ${kB(ceilingBytes)}`);
  for (const failure of bundle.failures) console.error(`bundle budget: ${failure}`);
  return bundle.failures.length === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main();
