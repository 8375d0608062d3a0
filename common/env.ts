import { safeParse, type $ZodIssue, type $ZodType, type output } from "zod/v4/core";

/**
 * The one way every runtime (BFF, triggers, ALB-logout Lambda, emulator, web) turns its
 * environment into configuration: a zod schema per runtime, checked in full, failing once with
 * every problem listed (name and reason, never the value: a secret must not reach a log).
 * Pure: no `process`, no Node APIs, so the SPA's build can use it on `import.meta.env` too.
 */

/** An environment as handed in: `process.env`, Vite's `import.meta.env`, or a test's object. */
export type EnvRecord = Readonly<Record<string, string | boolean | undefined>>;

/** A configuration that cannot be used; `problems` lists every reason as `NAME: what is wrong`. */
export class ConfigError extends Error {
  constructor(
    /** What was being configured, e.g. "BFF configuration". */
    readonly subject: string,
    readonly problems: string[],
  ) {
    super(`Invalid ${subject}:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/**
 * The variables that are set. An empty variable counts as unset, as consoles and IaC tools
 * often leave them empty; values other than strings (Vite's booleans MODE/DEV/PROD/SSR) are dropped.
 */
export function presentVariables(env: EnvRecord): Record<string, string> {
  const present: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (typeof value === "string" && value !== "") present[name] = value;
  return present;
}

/** `NAME: message` for each issue (`NAME.path: message` inside a JSON variable). */
export function describeIssues(issues: readonly $ZodIssue[], prefix = ""): string[] {
  return issues.map((issue) => {
    const name = [prefix, ...issue.path.map(String)].filter((part) => part !== "").join(".");
    return `${name}: ${issue.message}`;
  });
}

/**
 * Parses `env` (empty variables as unset) with `schema`. On failure throws a ConfigError about
 * `failure` (e.g. "triggers configuration"), or the error `failure` builds from the problems
 * (a runtime's own subclass of ConfigError).
 */
export function parseEnv<Schema extends $ZodType>(schema: Schema, env: EnvRecord, failure: string | ((problems: string[]) => Error)): output<Schema> {
  // zod's shared core: takes classic schemas (the server runtimes) and zod/mini's (the SPA).
  const parsed = safeParse(schema, presentVariables(env));
  if (parsed.success) return parsed.data;
  const problems = describeIssues(parsed.error.issues);
  throw typeof failure === "string" ? new ConfigError(failure, problems) : failure(problems);
}
