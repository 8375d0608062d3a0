import { createServer, connect, type AddressInfo, type Server, type Socket } from "node:net";

/**
 * A TCP proxy on 127.0.0.1 in front of a local service (the Cognito emulator, dynalite), that
 * fails the way a dependency fails in production:
 *  - `pass`: forwards both ways;
 *  - `stop`: the port refuses connections (the service is down) and open connections are cut;
 *  - `hang`: connections are accepted but nothing is forwarded or answered (a stalled service or
 *    a black-holed network path). What the client sent meanwhile is dropped, never delivered
 *    later: a request the client gave up on must not reach the service when it comes back;
 *  - `slow`: every chunk is forwarded after `delayMs` (a degraded service).
 * Switching modes applies to open connections too (pooled keep-alive sockets included).
 */

export type FaultMode = "pass" | "stop" | "hang" | "slow";

export interface FaultProxy {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  readonly mode: FaultMode;
  /** Bytes the service received through the proxy, per connection, since start (a stray request shows here). */
  readonly forwardedRequests: number;
  pass(): Promise<void>;
  stop(): Promise<void>;
  hang(): Promise<void>;
  slow(delayMs: number): Promise<void>;
  close(): Promise<void>;
}

interface Link {
  client: Socket;
  upstream: Socket | undefined;
  /** A connection that saw `hang` is never reused: whatever it carried was dropped. */
  poisoned: boolean;
}

export async function startFaultProxy(target: { host?: string; port: number }): Promise<FaultProxy> {
  const host = target.host ?? "127.0.0.1";
  let mode: FaultMode = "pass";
  let delayMs = 0;
  let forwardedRequests = 0;
  const links = new Set<Link>();

  function cut(link: Link): void {
    link.client.destroy();
    link.upstream?.destroy();
    links.delete(link);
  }

  function forward(from: Socket, to: () => Socket | undefined, link: Link, countsRequests: boolean): void {
    from.on("data", (chunk: Buffer) => {
      if (mode === "hang") {
        // Swallowed: the service never sees it, not even after the fault ends.
        link.poisoned = true;
        return;
      }
      if (link.poisoned) return;
      const send = () => {
        const destination = to();
        if (destination === undefined || destination.destroyed || link.poisoned) return;
        if (countsRequests) forwardedRequests += 1;
        destination.write(chunk);
      };
      if (mode === "slow" && delayMs > 0) setTimeout(send, delayMs);
      else send();
    });
  }

  function accept(client: Socket): void {
    const link: Link = { client, upstream: undefined, poisoned: false };
    links.add(link);
    client.on("error", () => cut(link));
    client.on("close", () => cut(link));
    if (mode === "hang") link.poisoned = true;
    const upstream = connect({ host, port: target.port });
    link.upstream = upstream;
    upstream.on("error", () => cut(link));
    upstream.on("close", () => cut(link));
    forward(client, () => link.upstream, link, true);
    forward(upstream, () => link.client, link, false);
  }

  let server: Server = createServer(accept);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let listening = true;

  async function listen(): Promise<void> {
    if (listening) return;
    server = createServer(accept);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    listening = true;
  }

  async function unlisten(): Promise<void> {
    if (!listening) return;
    listening = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const link of [...links]) cut(link);
    await closed;
  }

  /** Leaving `hang`: the connections it poisoned are cut, as a client's timeout would. */
  function dropPoisoned(): void {
    for (const link of [...links]) if (link.poisoned) cut(link);
  }

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get mode() {
      return mode;
    },
    get forwardedRequests() {
      return forwardedRequests;
    },
    async pass() {
      mode = "pass";
      dropPoisoned();
      await listen();
    },
    async stop() {
      mode = "stop";
      await unlisten();
    },
    async hang() {
      await listen();
      mode = "hang";
    },
    async slow(ms) {
      dropPoisoned();
      await listen();
      delayMs = ms;
      mode = "slow";
    },
    async close() {
      mode = "stop";
      await unlisten();
    },
  };
}
