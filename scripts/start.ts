/**
 * `npm start` / `npm run dev`: the whole local stack in one process — the Cognito emulator,
 * dynalite (local DynamoDB, persisted under the data folder), the BFF serving the built SPA —
 * and, with `--dev`, Vite's dev server with hot reload in front of the same BFF.
 * Stops everything on Ctrl-C.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadLocalConfig } from "../common/local-config";
import { loadBffConfig } from "../bff/config";
import { startBff } from "../bff/server";
import { startDynalite } from "../bff/store/local-dynalite";
import { loadEmulatorConfig } from "../emulator/config";
import { startEmulator } from "../emulator/server";
import { startRelyingParty } from "../examples/relying-party/relying-party";

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const devMode = process.argv.includes("--dev");

async function buildSpaIfNeeded(): Promise<void> {
  if (devMode || existsSync(path.join(rootDir, "dist/web/index.html"))) return;
  console.log("Building the web app (first start)…");
  const { build } = await import("vite");
  await build({ configFile: path.join(rootDir, "vite.config.ts"), logLevel: "warn" });
}

async function main(): Promise<void> {
  const emulatorConfig = loadEmulatorConfig();
  const localConfig = loadLocalConfig(emulatorConfig.configPath);
  await buildSpaIfNeeded();

  const dataDir = path.resolve(rootDir, emulatorConfig.dataDir);
  await mkdir(dataDir, { recursive: true });

  const emulator = await startEmulator({
    config: localConfig,
    dataDir: path.join(dataDir, "emulator"),
    port: emulatorConfig.port,
    issuer: emulatorConfig.issuer,
    logCodes: true,
  });
  const dynalite = await startDynalite({ path: path.join(dataDir, "dynalite"), port: localConfig.ports.dynalite });

  const devServerUrl = "http://localhost:5173";
  // The BFF reaches the emulator and dynalite this process just started; in dev mode the browser
  // talks to Vite's origin, whose proxy forwards that Origin to the BFF.
  const bffConfig = loadBffConfig({
    ...process.env,
    TOBIRA_DATA_DIR: dataDir,
    COGNITO_ENDPOINT: emulator.url,
    COGNITO_ISSUER: emulator.issuer,
    DYNAMODB_ENDPOINT: dynalite.endpoint,
    ...(devMode ? { TRUSTED_ORIGINS: devServerUrl } : {}),
  });
  const bff = await startBff({ config: bffConfig, port: localConfig.ports.bff });

  // The demo relying party (examples/relying-party), registered in config/local.json as "demo-rp".
  const demoClient = bffConfig.oidc.clients.find((client) => client.clientId === "demo-rp");
  const relyingParty =
    demoClient?.clientSecret === undefined
      ? undefined
      : await startRelyingParty({ issuerUrl: bffConfig.publicUrl, clientId: demoClient.clientId, clientSecret: demoClient.clientSecret, port: localConfig.ports.relyingParty });

  let vite: { close(): Promise<void> } | undefined;
  if (devMode) {
    const { createServer } = await import("vite");
    const server = await createServer({ configFile: path.join(rootDir, "vite.config.ts") });
    await server.listen();
    vite = server;
  }

  const appUrl = devMode ? devServerUrl : bffConfig.publicUrl;
  console.log(
    [
      "",
      "Tobira is running (local mode, no AWS account needed):",
      `  App            ${appUrl}`,
      `  Mailbox        ${emulator.url}/_local/mailbox   (sign-up, sign-in and reset codes land here)`,
      ...(relyingParty === undefined ? [] : [`  Demo app (RP)  ${relyingParty.url}   (signs in with Tobira through OpenID Connect)`]),
      `  Cognito (emu)  ${emulator.url}`,
      `  DynamoDB       ${dynalite.endpoint}   (dynalite; all local data in ${dataDir})`,
      "Press Ctrl-C to stop.",
      "",
    ].join("\n"),
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    await vite?.close();
    await relyingParty?.close();
    await bff.close();
    await dynalite.close();
    await emulator.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
