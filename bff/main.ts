import { BffConfigError, loadBffRuntimeConfig, type BffConfig } from "./config";
import { createLogger, type Logger } from "./logger";
import { createStoreFromConfig, startAlbModeBff, startBff } from "./server";

/**
 * `tsx bff/main.ts`: validates the configuration (failing with the list of what is wrong),
 * connects the store (creating the table in local mode), listens, and shuts down gracefully on
 * SIGINT/SIGTERM. In local mode the emulator and dynalite must be running (`npm start` starts them).
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadBffRuntimeConfig();
  } catch (error) {
    if (error instanceof BffConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  // ALB mode keeps no server-side state: the load balancer owns the sign-in session.
  const store = config.kind === "sign-in" ? await connectStore(config, logger) : undefined;
  let bff;
  try {
    bff = config.kind === "alb" ? await startAlbModeBff({ config, logger }) : await startBff({ config, logger, store: store?.store });
  } catch (error) {
    console.error(`The BFF could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  logger.info({ url: bff.url, mode: config.mode, publicUrl: config.publicUrl }, `Tobira BFF listening on ${bff.url}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    bff.close().then(
      () => {
        store?.destroy();
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

/** The sign-in kind's store, or exit with a hint when DynamoDB cannot be reached. */
async function connectStore(config: BffConfig, logger: Logger): Promise<Awaited<ReturnType<typeof createStoreFromConfig>>> {
  try {
    return await createStoreFromConfig(config, logger);
  } catch (error) {
    const hint = config.mode === "local" ? " In local mode dynalite must be running: `npm start` starts the emulator, dynalite and the BFF together." : "";
    console.error(`The BFF could not reach DynamoDB at ${config.dynamodb.endpoint ?? "AWS"}: ${error instanceof Error ? error.message : String(error)}.${hint}`);
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error("The BFF could not start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
