/**
 * `npm run start:alb`: ALB mode on one machine — the app behind a load balancer
 * that signs users in with Cognito's managed login (README, "ALB mode"):
 *
 *   browser → local ALB (http://localhost:8080) → BFF in ALB mode (serving the SPA)
 *                  ↕ /oauth2/authorize, /login, /oauth2/token, /oauth2/userInfo, /logout
 *              Cognito emulator (managed login)          ALB key server (x-amzn-oidc-data keys)
 *
 * The ALB's address comes from the "tobira-alb" app client in config/local.json (its callback
 * URL), so the client's registration and the listener can never disagree. Stops on Ctrl-C.
 */
import { LOCAL_ALB_CLIENT_NAME, loadAlbModeConfig, processEnvWith } from "../bff/config";
import { startAlbModeBff } from "../bff/server";
import { startLocalAlbProxy } from "../emulator/local/local-alb-proxy";
import { createLocalAlbSigner, startAlbKeyServer } from "../emulator/local/local-alb-signer";
import { buildSpaIfNeeded, runMain, startLocalEmulator, stopOnSignal } from "./local-stack";

async function main(): Promise<void> {
  await buildSpaIfNeeded();
  const { localConfig, dataDir, emulator } = await startLocalEmulator();
  const albClient = localConfig.userPool.clients.find((client) => client.name === LOCAL_ALB_CLIENT_NAME);
  const callbackUrl = albClient?.callbackUrls[0];
  if (albClient?.clientSecret === undefined || callbackUrl === undefined) {
    throw new Error(`config/local.json needs an app client named "${LOCAL_ALB_CLIENT_NAME}" with a clientSecret and a callback URL (the local ALB's).`);
  }
  const albUrl = new URL(callbackUrl);

  // The key server starts empty: the signer needs the ALB ARN from the BFF's configuration.
  const keyServer = await startAlbKeyServer();
  const bffConfig = loadAlbModeConfig(
    processEnvWith({
      ALB_MODE: "true",
      TOBIRA_DATA_DIR: dataDir,
      COGNITO_ENDPOINT: emulator.url,
      COGNITO_ISSUER: emulator.issuer,
      ALB_KEYS_ENDPOINT: keyServer.url,
      PUBLIC_URL: albUrl.origin,
    }),
  );
  const { alb } = bffConfig;
  const signer = createLocalAlbSigner({ albArn: alb.albArn, clientId: alb.clientId, issuer: bffConfig.cognito.issuer });
  keyServer.publish(signer);
  const bff = await startAlbModeBff({ config: bffConfig });

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
      'No account yet? Choose "Create an account" on the sign-in page; the code lands in the mailbox.',
      "Press Ctrl-C to stop.",
      "",
    ].join("\n"),
  );

  stopOnSignal([proxy, bff, keyServer, emulator]);
}

runMain(main);
