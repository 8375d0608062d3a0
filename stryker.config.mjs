// @ts-check
/**
 * Mutation testing of the security-critical modules (`npm run mutate`, README "Testing"):
 * Stryker changes the code one small way at a time (a condition negated, a check removed, a
 * string emptied) and runs the tests that cover the change; a change that no test notices is a
 * protection that could be removed without the suite going red. The score per file and folder
 * is printed at the end; below `thresholds.break` the run fails.
 *
 * Mutants that cannot change behaviour are disabled where they are, with the reason:
 * `// Stryker disable next-line <mutator>: <reason>`. Log and metric calls are not mutated
 * (stryker.log-ignorer.mjs).
 *
 * @type {import("@stryker-mutator/api/core").PartialStrykerOptions}
 */
export default {
  testRunner: "vitest",
  plugins: ["@stryker-mutator/vitest-runner", "./stryker.log-ignorer.mjs"],
  ignorers: ["log-calls"],
  vitest: { configFile: "vitest.mutate.config.ts" },
  coverageAnalysis: "perTest",
  mutate: [
    // The custom-auth challenge triggers and the ALB-logout Lambda (not the SES/SNS transport).
    "triggers/**/*.ts",
    "!triggers/delivery/**",
    // Token verification, SECRET_HASH, the gateway's enumeration hiding and the error table.
    "bff/cognito/**/*.ts",
    // Session ids, fixation, replacement, sign-out (not the HTTP routes).
    "bff/session/**/*.ts",
    "!bff/session/session-routes.ts",
    // WebAuthn ceremonies, challenges, the credential store (not the routes, wiring or display names).
    "bff/passkeys/**/*.ts",
    "!bff/passkeys/passkey-routes.ts",
    "!bff/passkeys/index.ts",
    "!bff/passkeys/passkey-providers.ts",
    // The ALB headers' verification and the hosted userInfo call.
    "bff/alb/**/*.ts",
    "bff/middleware/rate-limit.ts",
    // The store's conditional writes: put with a condition, single-use consume, the counters.
    "bff/store/dynamo-store.ts",
    // The throttle's clock-aligned windows behind Store.addToWindows (which attribute a hit lands in).
    "bff/store/windowed-counters.ts",
  ],
  // Module-level constants would need every test file reloaded per mutant; they are plain values.
  ignoreStatic: true,
  // Later runs re-test only mutants whose code or covering tests changed (reports/ is not committed).
  incremental: true,
  incrementalFile: "reports/stryker-incremental.json",
  // Two cores: one worker each.
  concurrency: 2,
  timeoutMS: 10_000,
  thresholds: { high: 90, low: 85, break: 85 },
  reporters: ["clear-text", "progress-append-only", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  tempDirName: ".stryker-tmp",
  // Only what the tests need is copied to the sandbox.
  ignorePatterns: ["/dist", "/cdk.out", "/.data", "/coverage", "/reports", "/infra", "/docs", "/examples", "/bench", "/web", "/test/e2e", "/test/web", "/test/infra"],
};
