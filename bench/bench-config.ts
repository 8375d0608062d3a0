import type { ServerKind } from "./bench-protocol";

/** The bench's environment, read in one place: BENCH_QUICK=1 for a short smoke run; what bench/run.ts tells the servers it forks. */
export const benchEnv = {
  quick: process.env.BENCH_QUICK === "1",
  /** A folder: the BFF's server process writes a V8 CPU profile there when the bench ends (node --cpu-prof). */
  cpuProfileDir: process.env.BENCH_CPU_PROF,
  server: process.env.BENCH_SERVER as ServerKind,
  emulatorUrl: process.env.BENCH_EMULATOR_URL ?? "",
  emulatorIssuer: process.env.BENCH_EMULATOR_ISSUER ?? "",
  dynamoEndpoint: process.env.BENCH_DYNAMO_ENDPOINT ?? "",
  /** The environment a forked server inherits. */
  inherited: (): NodeJS.ProcessEnv => ({ ...process.env }),
};
