import { defineConfig } from "vitest/config";

/**
 * The tests `npm run mutate` (Stryker, stryker.config.mjs) runs against each mutant: the unit and
 * integration tests of the security-critical modules it mutates, in one node project. Stryker
 * runs only the tests that cover a mutant, but a covering integration test starts its whole
 * stack again for every mutant, so only the ones that kill what the unit tests cannot are here.
 */
export default defineConfig({
  test: {
    globals: true,
    environment: "node",
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    testTimeout: 20_000,
    include: [
      "test/unit/triggers/**/*.test.ts",
      "test/unit/alb/**/*.test.ts",
      "test/unit/passkeys/**/*.test.ts",
      "test/unit/bff/cognito-*.test.ts",
      "test/unit/bff/srp-client.test.ts",
      "test/unit/bff/custom-auth-rounds.test.ts",
      "test/unit/bff/session-*.test.ts",
      "test/unit/bff/sign-out.test.ts",
      "test/unit/bff/sign-in-service.test.ts",
      "test/unit/bff/pending-sign-in.test.ts",
      "test/unit/bff/rate-limit.test.ts",
      "test/unit/bff/store-contract.test.ts",
      "test/unit/bff/dynamo-store.test.ts",
      "test/unit/bff/dynamo-store-guards.test.ts",
      "test/unit/bff/dynamo-store-writes.test.ts",
      "test/unit/bff/dynamo-store-requests.test.ts",
      "test/unit/bff/dynamo-store-client.test.ts",
      "test/unit/bff/windowed-counters.test.ts",
      "test/unit/bff/windowed-counter-windows.test.ts",
    ],
  },
});
