/**
 * What the local start scripts (`npm start`, `npm run start:alb`) share: the project root, the
 * first-start SPA build, the emulator on the configured data folder, and one orderly shutdown.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadLocalConfig, type LocalConfig } from "../common/local-config";
import { loadEmulatorConfig } from "../emulator/config";
import { startEmulator, type RunningEmulator } from "../emulator/server";

export const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const viteConfigFile = path.join(rootDir, "vite.config.ts");

/** The BFF serves dist/web; a fresh clone has none until the first start builds it. */
export async function buildSpaIfNeeded(): Promise<void> {
  if (existsSync(path.join(rootDir, "dist/web/index.html"))) return;
  console.log("Building the web app (first start)…");
  const { build } = await import("vite");
  await build({ configFile: viteConfigFile, logLevel: "warn" });
}

export interface LocalEmulator {
  localConfig: LocalConfig;
  /** The data folder (absolute): the emulator's users and keys, dynalite's tables, the provider's keys. */
  dataDir: string;
  emulator: RunningEmulator;
}

/** Reads the emulator's environment and the local config file, and starts the emulator on its data folder. */
export async function startLocalEmulator(): Promise<LocalEmulator> {
  const emulatorConfig = loadEmulatorConfig();
  const localConfig = loadLocalConfig(emulatorConfig.configPath);
  const dataDir = path.resolve(rootDir, emulatorConfig.dataDir);
  await mkdir(dataDir, { recursive: true });
  const emulator = await startEmulator({
    config: localConfig,
    dataDir: path.join(dataDir, "emulator"),
    port: emulatorConfig.port,
    issuer: emulatorConfig.issuer,
    logCodes: true,
  });
  return { localConfig, dataDir, emulator };
}

type Closable = { close(): Promise<void> } | undefined;

/** On Ctrl-C or SIGTERM, closes the services in the order given (front to back), then exits. */
export function stopOnSignal(services: readonly Closable[]): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    for (const service of services) await service?.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

/** Start scripts fail with the message alone: configuration errors already list what is wrong. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
