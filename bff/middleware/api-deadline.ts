import type { Request, RequestHandler, Response } from "express";
import { sendApiError, serviceUnavailable } from "../errors";
import type { Logger } from "../logger";

/**
 * Every /api call answers within `deadlineMs` (API_TIMEOUT_MS; docs/architecture.md, "Deadlines").
 * Each Cognito and store call has its own deadline already; this one bounds a call that makes
 * several slow ones in a row. At the deadline the caller gets 503 `service_unavailable` with
 * Retry-After; the work still running is not answered twice (a late failure is only logged, see
 * bff/errors.ts).
 */
export function apiDeadline(deadlineMs: number, logger: Logger): RequestHandler {
  function answerLate(req: Request, res: Response): void {
    if (res.headersSent) return;
    const log = (req as { log?: Logger }).log ?? logger;
    sendApiError(req, res, serviceUnavailable(new Error(`no answer within ${deadlineMs} ms`)), log);
  }
  return (req, res, next) => {
    (res as TimedResponse)[deadlineTimer] = setTimeout(answerLate, deadlineMs, req, res);
    // "close" follows "finish", and comes alone when the client went away first.
    res.on("close", clearDeadline);
    next();
  };
}

const deadlineTimer = Symbol("api-deadline.timer");

interface TimedResponse extends Response {
  [deadlineTimer]?: NodeJS.Timeout;
}

/** One listener for every answer, no closure per request. */
function clearDeadline(this: TimedResponse): void {
  clearTimeout(this[deadlineTimer]);
}
