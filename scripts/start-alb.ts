/**
 * `npm run start:alb`: the second article's set-up on one machine — the app behind a load balancer
 * that signs users in with Cognito's managed login (README, "ALB mode"):
 *
 *   browser → local ALB (http://localhost:8080) → BFF in ALB mode (serving the SPA)
 *                  ↕ /oauth2/authorize, /login, /oauth2/token, /oauth2/userInfo, /logout
 *              Cognito emulator (managed login)          ALB key server (x-amzn-oidc-data keys)
 *
 * The ALB's address comes from the "tobira-alb" app client in config/local.json (its callback
 * URL), so the client's registration and the listener can never disagree. Stops on Ctrl-C.
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadLocalConfig } from "../common/local-config";
import { createLocalAlbSigner, startAlbKeyServer } from "../bff/alb/local-alb-signer";
import { startLocalAlbProxy } from "../bff/alb/local-alb-proxy";
import { LOCAL_ALB_CLIENT_NAME, loadBffConfig } from "../bff/config";
import { startBff } from "../bff/server";
import { loadEmulatorConfig } from "../emulator/config";
import { startEmulator } from "../emulator/server";

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

async function buildSpaIfNeeded(): Promise<void> {
  if (existsSync(path.join(rootDir, "dist/web/index.html"))) return;
  console.log("Building the web app (first start)…");
  const { build } = await import("vite");
  await build({ configFile: path.join(rootDir, "vite.config.ts"), logLevel: "warn" });
}

async function main(): Promise<void> {
  const emulatorConfig = loadEmulatorConfig();
  const localConfig = loadLocalConfig(emulatorConfig.configPath);
  const albClient = localConfig.userPool.clients.find((client) => client.name === LOCAL_ALB_CLIENT_NAME);
  const callbackUrl = albClient?.callbackUrls[0];
  if (albClient?.clientSecret === undefined || callbackUrl === undefined) {
    throw new Error(`config/local.json needs an app client named "${LOCAL_ALB_CLIENT_NAME}" with a clientSecret and a callback URL (the local ALB's).`);
  }
  const albUrl = new URL(callbackUrl);
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

  // The key server starts empty: the signer needs the ALB ARN from the BFF's configuration.
  const keyServer = await startAlbKeyServer();
  const bffConfig = loadBffConfig({
    ...process.env,
    ALB_MODE: "true",
    TOBIRA_DATA_DIR: dataDir,
    COGNITO_ENDPOINT: emulator.url,
    COGNITO_ISSUER: emulator.issuer,
    ALB_KEYS_ENDPOINT: keyServer.url,
    PUBLIC_URL: albUrl.origin,
  });
  const alb = bffConfig.alb!;
  const signer = createLocalAlbSigner({ albArn: alb.albArn, clientId: alb.clientId, issuer: bffConfig.cognito.issuer });
  keyServer.publish(signer);
  const bff = await startBff({ config: bffConfig });

  const proxy = await startLocalAlbProxy({
    upstream: bff.url,
    hostedUiUrl: emulator.url,
    clientId: albClient.clientId,
    clientSecret: albClient.clientSecret,
    signer,
    host: "127.0.0.1",
    port: Number(albUrl.port || 80),
    publicUrl: albUrl.origin,
  });

  console.log(
    [
      "",
      "Tobira is running in ALB mode (the app behind a local load balancer doing Cognito sign-in):",
      `  Open           ${proxy.url}/   (the local ALB: it sends you to sign in, then to the app)`,
      `  Sign in        ${emulator.url}/login   (the emulator's managed login, reached through the ALB)`,
      `  Mailbox        ${emulator.url}/_local/mailbox   (sign-up codes land here)`,
      `  BFF            ${bff.url}   (ALB mode: without the ALB's headers every /api call is 401)`,
      `  ALB keys       ${keyServer.url}/<kid>`,
      "No account yet? Sign up with `npm start` (same data folder), or the emulator's SignUp API.",
      "Press Ctrl-C to stop.",
      "",
    ].join("\n"),
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    await proxy.close();
    await bff.close();
    await keyServer.close();
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
