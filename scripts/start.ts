/**
 * `npm start` / `npm run dev`: the whole local stack in one process — the Cognito emulator,
 * dynalite (local DynamoDB, persisted under the data folder), the BFF serving the built SPA —
 * and, with `--dev`, Vite's dev server with hot reload in front of the same BFF.
 * Stops everything on Ctrl-C. With `--alb`, runs the ALB-mode stack of scripts/start-alb.ts instead.
 */
import path from "node:path";
import { loadBffConfig, processEnvWith } from "../bff/config";
import { startBff } from "../bff/server";
import { startDynalite } from "../emulator/local/local-dynalite";
import { startRelyingParty } from "../examples/relying-party/relying-party";
import { buildSpaIfNeeded, runMain, startLocalEmulator, stopOnSignal, viteConfigFile } from "./local-stack";

const devMode = process.argv.includes("--dev");

async function main(): Promise<void> {
  // Vite serves the SPA itself in dev mode.
  if (!devMode) await buildSpaIfNeeded();
  const { localConfig, dataDir, emulator } = await startLocalEmulator();
  const dynalite = await startDynalite({ path: path.join(dataDir, "dynalite"), port: localConfig.ports.dynalite });

  const devServerUrl = "http://localhost:5173";
  // The BFF reaches the emulator and dynalite this process just started; in dev mode the browser
  // talks to Vite's origin, whose proxy forwards that Origin to the BFF.
  const bffConfig = loadBffConfig(
    processEnvWith({
      TOBIRA_DATA_DIR: dataDir,
      COGNITO_ENDPOINT: emulator.url,
      COGNITO_ISSUER: emulator.issuer,
      DYNAMODB_ENDPOINT: dynalite.endpoint,
      ...(devMode ? { TRUSTED_ORIGINS: devServerUrl } : {}),
    }),
  );
  const bff = await startBff({ config: bffConfig, port: localConfig.ports.bff });

  // The demo relying party (examples/relying-party), registered in config/local.json as "demo-rp".
  const demoClient = bffConfig.oidc.clients.find((client) => client.clientId === "demo-rp");
  // Its own API, registered as "demo-api" (README, "Register an API").
  const demoApi = bffConfig.oidc.resourceServers.find((server) => server.clientId === "demo-api");
  const relyingParty =
    demoClient?.clientSecret === undefined
      ? undefined
      : await startRelyingParty({
          issuerUrl: bffConfig.publicUrl,
          clientId: demoClient.clientId,
          clientSecret: demoClient.clientSecret,
          port: localConfig.ports.relyingParty,
          ...(demoApi?.scopes[0] === undefined ? {} : { api: { audience: demoApi.audience, scope: demoApi.scopes[0] } }),
        });

  let vite: { close(): Promise<void> } | undefined;
  if (devMode) {
    const { createServer } = await import("vite");
    const server = await createServer({ configFile: viteConfigFile });
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

  stopOnSignal([vite, relyingParty, bff, dynalite, emulator]);
}

// `npm start -- --alb` is the same as `npm run start:alb` (README, "ALB mode").
if (process.argv.includes("--alb")) await import("./start-alb");
else runMain(main);
