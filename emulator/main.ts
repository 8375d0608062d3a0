import { loadLocalConfig } from "../common/local-config";
import { emulatorDataDir, loadEmulatorConfig } from "./config";
import { startEmulator } from "./server";

/** `npm run emulator`: the local Cognito user pool alone, printing the codes it "sends". */
async function main(): Promise<void> {
  const runtime = loadEmulatorConfig();
  const config = loadLocalConfig(runtime.configPath);
  const dataDir = emulatorDataDir(runtime.dataDir);
  const emulator = await startEmulator({
    config,
    dataDir,
    host: runtime.host,
    ...(runtime.port === undefined ? {} : { port: runtime.port }),
    ...(runtime.issuer === undefined ? {} : { issuer: runtime.issuer }),
    logCodes: true,
  });
  console.log(`Cognito emulator  ${emulator.url}  (user pool ${config.userPool.id}, data in ${dataDir})`);
  console.log(`Issuer            ${emulator.issuer}`);
  console.log(`Mailbox           ${emulator.url}/_local/mailbox`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`Received ${signal}, stopping the emulator`);
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`Failed to stop cleanly: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
