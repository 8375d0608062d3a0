// ESLint (flat config): the JavaScript and typescript-eslint recommended rules, one import order,
// no import cycles, and the boundaries between the repository's top-level folders.
// Formatting is Prettier's job (`npm run lint` runs both; `npm run format` rewrites).
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import { createNodeResolver, importX } from "eslint-plugin-import-x";
import globals from "globals";
import tseslint from "typescript-eslint";

const root = import.meta.dirname;

// ── Boundaries ──────────────────────────────────────────────────────────────────────────────
// Each top-level folder is a runtime or a tool; the arrows between them go one way (README, "Layout").
//   web/       the SPA in the browser: only the wire contract from common/
//   bff/       the BFF and OpenID Provider: common/ and its own folder
//   triggers/  the Cognito Lambda triggers: common/ and their own folder
//   emulator/  the local Cognito (and, under emulator/local/, the other local AWS stand-ins): triggers/ and common/
//   common/    shared by all of them: imports none of them
// scripts/, test/, bench/, examples/ and infra/ may import the runtimes; nothing imports them.
const tools = ["./scripts", "./test", "./bench", "./examples", "./infra"];

/** The files of common/ that the SPA may import: the JSON API's schemas and types. */
const webMayImportFromCommon = ["./api-contract.ts"];
/** web/config.ts, the SPA's config module, also uses the env parser every runtime shares. */
const webConfigMayImportFromCommon = [...webMayImportFromCommon, "./env.ts"];

function boundaryZones({ webCommonExceptions }) {
  return [
    {
      target: "./web",
      from: ["./bff", "./triggers", "./emulator", ...tools],
      message: "web/ is the browser SPA: it imports nothing from bff/, triggers/, emulator/ or the tools, only the wire contract (common/api-contract.ts).",
    },
    {
      target: "./web",
      from: "./common",
      except: webCommonExceptions,
      message: `web/ may import from common/ only ${webCommonExceptions.map((file) => `common/${file.slice(2)}`).join(", ")}; the rest of common/ is for the servers.`,
    },
    {
      target: "./bff",
      from: ["./emulator", "./triggers", "./web", ...tools],
      message:
        "bff/ is product code: it never imports the emulator or the local AWS stand-ins (emulator/), the triggers, the SPA, scripts or tests. Share code through common/.",
    },
    {
      target: "./triggers",
      from: ["./bff", "./emulator", "./web", ...tools],
      message: "triggers/ are standalone Lambdas: they import only common/ and their own folder.",
    },
    {
      target: "./emulator",
      from: ["./bff", "./web", ...tools],
      message: "emulator/ stands in for AWS: it may import triggers/ (to run them) and common/, never the BFF, the SPA, scripts or tests.",
    },
    {
      target: "./common",
      from: ["./bff", "./triggers", "./emulator", "./web", ...tools],
      message: "common/ is shared by every runtime: it imports none of them.",
    },
  ];
}

const restrictedPaths = (webCommonExceptions) => ["error", { basePath: root, zones: boundaryZones({ webCommonExceptions }) }];

// ── Configuration is read in one place per runtime ─────────────────────────────────────────
// The house rule: `process.env` (and the SPA's `import.meta.env`) is read only in config modules.
// Spreading `...process.env` into a child process's environment passes it on without reading a
// setting, so the launch scripts may do that.
const envOutsideConfig = [
  "error",
  {
    selector: ":not(SpreadElement) > MemberExpression[object.name='process'][property.name='env']",
    message: "Read process.env only in a config module (a *config*.ts file, a config/ folder or common/env.ts) and pass the parsed values on.",
  },
  {
    selector: "VariableDeclarator[init.name='process'] > ObjectPattern > Property[key.name='env']",
    message: "Read process.env only in a config module (a *config*.ts file, a config/ folder or common/env.ts) and pass the parsed values on.",
  },
  {
    selector: "MemberExpression[object.type='MetaProperty'][property.name='env']",
    message: "Read import.meta.env only in web/config.ts and import the parsed config.",
  },
];
const configModules = [
  "**/*config*.ts",
  "**/config/**/*.ts",
  "common/env.ts",
  // The CDK app's deploy settings (context or TOBIRA_* variables, checked in one place).
  "infra/settings.ts",
  // The test harness's own settings (where Chromium is, whether this is CI).
  "test/support/chromium.ts",
];

export default defineConfig([
  globalIgnores(["dist/", "cdk.out/", ".data/", "coverage/", ".vite/", ".stryker-tmp/", "reports/", "infra/lambda/**/*.js"]),

  {
    files: ["**/*.{ts,tsx,js,mjs}"],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    plugins: { "import-x": importX },
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: "module",
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    settings: {
      "import-x/extensions": [".ts", ".tsx", ".js", ".mjs"],
      "import-x/parsers": { "@typescript-eslint/parser": [".ts", ".tsx"] },
      "import-x/resolver-next": [createNodeResolver({ extensions: [".ts", ".tsx", ".js", ".mjs", ".json", ".d.ts"] })],
    },
    rules: {
      // tsc checks unused locals and parameters (noUnusedLocals/noUnusedParameters); `_`-prefixed
      // names are the deliberate exceptions it also accepts.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", ignoreRestSiblings: true },
      ],

      // One import order, fixed by `eslint --fix`: node:, packages, then the repository's own
      // files alphabetically, no blank lines between them (the style the code was written in).
      "import-x/order": [
        "error",
        {
          groups: ["builtin", "external", ["internal", "parent", "sibling", "index"]],
          "newlines-between": "never",
          alphabetize: { order: "asc", caseInsensitive: true },
        },
      ],
      "import-x/first": "error",
      "import-x/no-duplicates": "error",
      "import-x/no-self-import": "error",
      "import-x/no-cycle": "error",
      // A path that does not resolve would slip past the boundary check below; tsc reports it too.
      "import-x/no-unresolved": "error",
      "import-x/no-restricted-paths": restrictedPaths(webMayImportFromCommon),

      "no-restricted-syntax": envOutsideConfig,
    },
  },
  {
    files: ["web/config.ts"],
    rules: { "import-x/no-restricted-paths": restrictedPaths(webConfigMayImportFromCommon) },
  },
  {
    files: ["web/**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ["bff/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { paths: [{ name: "dynalite", message: "bff/ does not start local stand-ins: the dynalite runner lives under emulator/local/." }] },
      ],
    },
  },
  {
    files: configModules,
    rules: { "no-restricted-syntax": "off" },
  },
]);
