import type { Request, Response } from "express";

/**
 * Answers given in the first router layer, right after the request id and the security headers,
 * before any routing (GET /healthz; GET /api/session without a session cookie): a test of the
 * request as Express matches a GET route, and the fixed JSON answer.
 */

/** Whether the request is a GET or HEAD of `path` as Express matches routes: any case, one trailing slash, any query. */
export function readOf(path: string): (req: Request) => boolean {
  const exact = path.toLowerCase();
  const slashed = `${exact}/`;
  return (req) => {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    const requested = req.path;
    // The length first: most requests are for other paths, and it spares them the lower-casing.
    if (requested.length !== exact.length && requested.length !== slashed.length) return false;
    const lowered = requested.toLowerCase();
    return lowered === exact || lowered === slashed;
  };
}

/** A fixed JSON body, never cached (OWASP Session Management Cheat Sheet: answers with session state are no-store). */
export function answerFixedJson(res: Response, body: string): void {
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.end(body);
}
