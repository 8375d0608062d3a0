import { join, resolve } from "node:path";
import { z } from "zod";
import { parseEnv, type EnvRecord } from "../common/env";
import { defaultLocalConfigPath } from "../common/local-config";

/** Where the emulator keeps its files inside the data folder. */
export function emulatorDataDir(dataDir: string): string {
  return join(dataDir, "emulator");
}

/** The emulator CLI's environment (the only place the emulator reads process.env). */
const emulatorEnvSchema = z.object({
  EMULATOR_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  EMULATOR_HOST: z.string().min(1).default("127.0.0.1"),
  EMULATOR_ISSUER: z.url().optional(),
  TOBIRA_DATA_DIR: z.string().min(1).default(".data"),
  TOBIRA_CONFIG: z.string().min(1).optional(),
});

export interface EmulatorRuntimeConfig {
  /** Undefined: the local configuration's ports.emulator. */
  port?: number;
  host: string;
  issuer?: string;
  /** TOBIRA_DATA_DIR, absolute: the local stack's data folder; the emulator keeps its files in `<dataDir>/emulator`. */
  dataDir: string;
  /** Path of the local configuration file (config/local.json by default). */
  configPath: string;
}

export function loadEmulatorConfig(env: EnvRecord = process.env): EmulatorRuntimeConfig {
  const values = parseEnv(emulatorEnvSchema, env, "emulator environment");
  return {
    ...(values.EMULATOR_PORT === undefined ? {} : { port: values.EMULATOR_PORT }),
    host: values.EMULATOR_HOST,
    ...(values.EMULATOR_ISSUER === undefined ? {} : { issuer: values.EMULATOR_ISSUER }),
    dataDir: resolve(values.TOBIRA_DATA_DIR),
    configPath: values.TOBIRA_CONFIG === undefined ? defaultLocalConfigPath : resolve(values.TOBIRA_CONFIG),
  };
}
