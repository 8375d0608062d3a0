import { parseEnv, type EnvRecord } from "../../common/env";
import { buildAlbModeConfig } from "./alb-mode-config";
import { bffEnvSchema } from "./env-schema";
import { BffConfigError } from "./errors";
import { modeDefaults } from "./mode-defaults";
import { buildSignInConfig } from "./sign-in-config";
import type { AlbModeConfig, BffConfig, BffRuntimeConfig } from "./types";

/**
 * The BFF's configuration: the only place that reads the environment. `TOBIRA_MODE=local` (the
 * default) takes its defaults from config/local.json and points the SDKs at the emulator and
 * dynalite; `TOBIRA_MODE=aws` takes everything from the environment. `ALB_MODE=true` selects the
 * ALB-mode kind. Start-up fails with the list of every missing or invalid variable.
 */

export { requiredAlbVariables } from "./alb-mode-config";
export { BffConfigError } from "./errors";
export { LOCAL_ALB_CLIENT_NAME } from "./mode-defaults";
export { requiredAwsVariables } from "./sign-in-config";
export type * from "./types";

/** Either kind, as the environment asks (ALB_MODE); throws a BffConfigError listing every problem. */
export function loadBffRuntimeConfig(env: EnvRecord = process.env): BffRuntimeConfig {
  const vars = parseEnv(bffEnvSchema, env, (problems) => new BffConfigError(problems));
  const defaults = modeDefaults(vars);
  return vars.ALB_MODE ? buildAlbModeConfig(vars, defaults) : buildSignInConfig(vars, defaults);
}

/** The sign-in kind (the BFF signs people in itself); refuses an environment with ALB_MODE=true. */
export function loadBffConfig(env: EnvRecord = process.env): BffConfig {
  const config = loadBffRuntimeConfig(env);
  if (config.kind !== "sign-in") throw new BffConfigError(["ALB_MODE: true selects ALB mode, which this caller does not run"]);
  return config;
}

/** ALB mode; refuses an environment without ALB_MODE=true. */
export function loadAlbModeConfig(env: EnvRecord = process.env): AlbModeConfig {
  const config = loadBffRuntimeConfig(env);
  if (config.kind !== "alb") throw new BffConfigError(["ALB_MODE: must be true for ALB mode"]);
  return config;
}

/** This process's environment with `overrides` on top: how the local start scripts point the BFF at the services they started. */
export function processEnvWith(overrides: Record<string, string | undefined>): EnvRecord {
  return { ...process.env, ...overrides };
}
