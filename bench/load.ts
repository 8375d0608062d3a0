import { Agent, request as httpRequest } from "node:http";

/**
 * A small closed-loop load generator for `npm run bench`: `concurrency` workers each send one
 * request, wait for its answer and send the next, over keep-alive connections, until the time is
 * up or `next` has nothing left. Plain node:http: the client's own cost should be small and the
 * same for every server measured.
 */

export interface BenchHttpRequest {
  method: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** The answer's status the request must get (a miss counts as an error). */
  status: number;
  /** Called with the answer's body and Set-Cookie lines (e.g. to chain refresh tokens). */
  onAnswer?: (body: string) => void;
}

export interface LoadResult {
  requests: number;
  errors: number;
  /** The first error's description, if any. */
  firstError?: string;
  elapsedMs: number;
  latenciesMs: number[];
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function send(agent: Agent, baseUrl: string, spec: Omit<BenchHttpRequest, "status">): Promise<HttpAnswer> {
  const url = new URL(spec.path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ agent, host: url.hostname, port: url.port, path: url.pathname + url.search, method: spec.method, headers: spec.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(spec.body);
  });
}

export async function runLoad(options: {
  baseUrl: string;
  durationMs: number;
  concurrency: number;
  /** The worker's next request; undefined stops the worker. */
  next: (worker: number) => BenchHttpRequest | undefined;
}): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const latenciesMs: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const deadline = start + options.durationMs;
  const worker = async (index: number) => {
    while (performance.now() < deadline) {
      const spec = options.next(index);
      if (spec === undefined) return;
      const sent = performance.now();
      try {
        const answer = await send(agent, options.baseUrl, spec);
        latenciesMs.push(performance.now() - sent);
        if (answer.status !== spec.status) {
          errors += 1;
          firstError ??= `${spec.method} ${spec.path}: ${answer.status} ${answer.body.slice(0, 200)}`;
        } else {
          spec.onAnswer?.(answer.body);
        }
      } catch (error) {
        errors += 1;
        firstError ??= `${spec.method} ${spec.path}: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, index) => worker(index)));
  const elapsedMs = performance.now() - start;
  agent.destroy();
  return { requests: latenciesMs.length, errors, elapsedMs, latenciesMs, ...(firstError === undefined ? {} : { firstError }) };
}
