import { once } from "node:events";
import { mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import dynalite from "dynalite";

/**
 * dynalite (an open-source DynamoDB implementation on LevelDB) for the local stack and tests:
 * on disk under `path` so that a restart keeps every session and record, in memory without one.
 */
export interface StartDynaliteOptions {
  /** LevelDB folder, e.g. `<dataDir>/dynalite`; omit for an in-memory instance (tests). */
  path?: string;
  /** 0 picks a free port. */
  port: number;
  host?: string;
}

export interface RunningDynalite {
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

export async function startDynalite(options: StartDynaliteOptions): Promise<RunningDynalite> {
  if (options.path !== undefined) mkdirSync(options.path, { recursive: true });
  // Tables become ACTIVE at once (dynalite simulates AWS's CREATING delay by default).
  const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const host = options.host ?? "127.0.0.1";
  // events.once rejects if the server emits "error" first (a port in use).
  server.listen(options.port, host);
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://${host}:${port}`,
    port,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error?: Error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets from SDK clients would hold the close open.
        server.closeAllConnections?.();
      });
      return closing;
    },
  };
}
