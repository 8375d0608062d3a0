import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";

/**
 * Bundles the Lambda handlers the infrastructure app deploys. The CDK app and the tests call the
 * same function with the same options, so the files a test loads into the local emulator are
 * byte for byte the files that are uploaded (test/infra/trigger-bundles.test.ts proves both).
 *
 * Everything is bundled, the AWS SDK included: the Lambda runtime's own SDK copy changes under the
 * function without a deployment, and then what runs would no longer be what was tested.
 */

export const repoRoot = fileURLToPath(new URL("..", import.meta.url));

/** Handler file of each function, relative to the repository root. Each exports `handler`. */
export const lambdaEntries = {
  defineAuthChallenge: "triggers/define-auth-challenge.ts",
  createAuthChallenge: "triggers/create-auth-challenge.ts",
  verifyAuthChallengeResponse: "triggers/verify-auth-challenge-response.ts",
  customMessage: "triggers/custom-message.ts",
  albLogout: "triggers/alb-logout.ts",
  secretsInitializer: "infra/lambda/secrets-initializer.ts",
} as const;
export type LambdaName = keyof typeof lambdaEntries;

/** The bundle's file name inside its folder; the Lambda handler is `index.handler`. */
export const BUNDLE_FILE = "index.mjs";
export const LAMBDA_HANDLER = "index.handler";

/** Where the CDK app writes bundles before CDK stages them into cdk.out (ignored by git). */
export const defaultBundleDir = join(repoRoot, "node_modules", ".cache", "tobira-lambda");

/**
 * Bundles one handler into `<outDir>/<name>/index.mjs` (ES module for Node 22) and returns the
 * folder, ready for `Code.fromAsset`.
 */
export function bundleLambda(name: LambdaName, outDir: string = defaultBundleDir): string {
  const folder = join(outDir, name);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  buildSync({
    absWorkingDir: repoRoot,
    entryPoints: [join(repoRoot, lambdaEntries[name])],
    outfile: join(folder, BUNDLE_FILE),
    bundle: true,
    platform: "node",
    target: "node22",
    format: "esm",
    // Some bundled CommonJS dependencies call require() for Node built-ins; an ES module has none.
    banner: { js: 'import { createRequire as __tobiraCreateRequire } from "node:module"; const require = __tobiraCreateRequire(import.meta.url);' },
    minify: true,
    keepNames: true,
    // Stack traces point into the TypeScript sources (the functions run with --enable-source-maps).
    sourcemap: true,
    sourcesContent: false,
    legalComments: "linked",
    logLevel: "warning",
  });
  return folder;
}

/** Bundles every handler; returns each one's folder. */
export function bundleLambdas(outDir: string = defaultBundleDir): Record<LambdaName, string> {
  const names = Object.keys(lambdaEntries) as LambdaName[];
  return Object.fromEntries(names.map((name) => [name, bundleLambda(name, outDir)])) as Record<LambdaName, string>;
}
