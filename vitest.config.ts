import { availableParallelism } from "node:os";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globals: true,
    // Vitest's default is one worker fewer than the CPUs: on a 2-core CI machine that is a single
    // worker, so every node and web file ran one after another while the second core idled
    // between server round trips. Two at least (measured on 2 shared cores: the conformance files
    // 184 s -> 142 s, the web project 65 s -> 48 s). The e2e project stays at one file at a time
    // (fileParallelism: false).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // The SDK warns that its 2027 releases need Node 22; the project supports Node 20.19+ today
    // (README, "Node versions"). Keep test logs readable.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    // `npm run coverage`: V8 coverage of the server-side folders, each held just under the figures
    // it had when the thresholds were set (rounded down by about a point), so a change that
    // leaves code untested fails the run. Raise them as coverage grows.
    coverage: {
      provider: "v8",
      include: ["triggers/**/*.ts", "common/**/*.ts", "bff/**/*.ts", "emulator/**/*.ts"],
      exclude: ["**/*.d.ts", "test/**"],
      reporter: ["text-summary", "text"],
      thresholds: {
        "triggers/**": { lines: 99, branches: 94, functions: 99, statements: 99 },
        "common/**": { lines: 98, branches: 97, functions: 99, statements: 98 },
        "bff/**": { lines: 92, branches: 82, functions: 92, statements: 90 },
        "emulator/**": { lines: 92, branches: 77, functions: 92, statements: 88 },
      },
    },
    projects: [
      {
        extends: true,
        test: {
          name: "node",
          environment: "node",
          include: [
            "test/unit/**/*.test.ts",
            "test/integration/**/*.test.ts",
            "test/conformance/**/*.test.ts",
            "test/infra/**/*.test.ts",
            "test/reliability/**/*.test.ts",
          ],
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        plugins: [react()],
        test: {
          name: "web",
          environment: "jsdom",
          include: ["test/web/**/*.test.tsx"],
          setupFiles: ["test/support/web-setup.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          environment: "node",
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
