import { z } from "zod";
import { ConfigError, parseEnv, presentVariables } from "../../../common/env";

/** common/env.ts: how every runtime turns its environment into configuration. */

const schema = z.object({
  SECRET: z.string({ error: "is required" }).min(32, "must be at least 32 characters"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  NAME: z.string().default("tobira"),
});

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    parseEnv(schema, env, "test configuration");
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("the environment was accepted");
}

describe("parseEnv", () => {
  it("returns the parsed values with their defaults", () => {
    expect(parseEnv(schema, { SECRET: "s".repeat(32), PORT: "8080" }, "test configuration")).toEqual({ SECRET: "s".repeat(32), PORT: 8080, NAME: "tobira" });
  });

  it("lists every problem at once, each with the variable's name", () => {
    expect(problemsOf({ PORT: "70000" })).toEqual(["SECRET: is required", expect.stringMatching(/^PORT: /)]);
  });

  it("treats an empty variable as unset", () => {
    expect(problemsOf({ SECRET: "" })).toEqual(["SECRET: is required"]);
    expect(parseEnv(schema, { SECRET: "s".repeat(32), NAME: "" }, "test configuration").NAME).toBe("tobira");
  });

  it("never puts a value in the error (a secret must not reach a log)", () => {
    const attempt = () => parseEnv(schema, { SECRET: "short-secret-value" }, "test configuration");
    expect(attempt).toThrow(/Invalid test configuration:\n {2}- SECRET: must be at least 32 characters/);
    expect(attempt).not.toThrow(/short-secret-value/);
  });

  it("throws the runtime's own error when given a builder", () => {
    class RuntimeError extends ConfigError {}
    expect(() => parseEnv(schema, {}, (problems) => new RuntimeError("runtime configuration", problems))).toThrow(RuntimeError);
  });
});

describe("presentVariables", () => {
  it("keeps set strings and drops empty, unset and non-string values (Vite's MODE/DEV flags are booleans)", () => {
    expect(presentVariables({ A: "1", B: "", C: undefined, DEV: true })).toEqual({ A: "1" });
  });
});
