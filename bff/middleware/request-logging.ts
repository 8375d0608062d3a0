import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Request, RequestHandler } from "express";
import type { Logger } from "../logger";

declare module "http" {
  interface IncomingMessage {
    /** This request's id, also sent back as X-Request-Id (set by requestLogging). */
    id: string;
    /** A logger whose lines carry this request's id, method and path (made on first use). */
    log: Logger;
  }
}

const baseLogger = Symbol("request-logging.logger");
const childLogger = Symbol("request-logging.child");
const startedAt = Symbol("request-logging.started");

interface LoggedRequest extends IncomingMessage {
  [baseLogger]?: Logger;
  [childLogger]?: Logger;
  [startedAt]?: number;
}

/** What a line says of its request: never the query string (see requestLogging). */
function requestFields(req: IncomingMessage): { id: string; method: string | undefined; url: string } {
  const url = (req as Partial<Request>).originalUrl ?? req.url ?? "";
  return { id: req.id, method: req.method, url: url.split("?", 1)[0]! };
}

const lazyLogPrototypes = new WeakSet<object>();

/**
 * `req.log` as an accessor on the app's request prototype, defined once: most requests never log
 * a line of their own, so the child logger (its bindings serialized up front) is made only when
 * one does.
 */
function defineLazyLog(prototype: object): void {
  if (lazyLogPrototypes.has(prototype)) return;
  lazyLogPrototypes.add(prototype);
  Object.defineProperty(prototype, "log", {
    configurable: true,
    get(this: LoggedRequest): Logger | undefined {
      return (this[childLogger] ??= this[baseLogger]?.child({ req: requestFields(this) }));
    },
    set(this: LoggedRequest, value: Logger) {
      this[childLogger] = value;
    },
  });
}

/**
 * One structured line per request, with a request id that is also sent back as X-Request-Id
 * (so a user's report can be matched to the log). Bodies and headers are never logged, nor query
 * strings: they carry id_token_hint, login_hint (an email) and state (OWASP Logging Cheat Sheet:
 * no tokens or personal data in logs). Answers below 400 are logged at debug, refusals at info,
 * failures at error; a line is built only when its level is on.
 */
export function requestLogging(logger: Logger): RequestHandler {
  // One listener for every answer (no closure per request): "close" follows "finish", and comes
  // alone when the client went away first.
  function logAnswer(this: ServerResponse<LoggedRequest>): void {
    const statusCode = this.statusCode;
    const level = statusCode >= 500 ? "error" : statusCode >= 400 ? "info" : "debug";
    if (!logger.isLevelEnabled(level)) return;
    const message = !this.writableFinished ? "request aborted" : level === "error" ? "request errored" : "request completed";
    logger[level]({ req: requestFields(this.req), res: { statusCode }, responseTime: Date.now() - (this.req[startedAt] ?? 0) }, message);
  }
  // At "silent" no answer is ever logged.
  const logsAnswers = logger.level !== "silent";
  return (req, res, next) => {
    const id = randomUUID();
    req.id = id;
    res.setHeader("X-Request-Id", id);
    const logged = req as LoggedRequest;
    logged[baseLogger] = logger;
    defineLazyLog(Object.getPrototypeOf(req) as object);
    if (logsAnswers) {
      logged[startedAt] = Date.now();
      res.on("close", logAnswer);
    }
    next();
  };
}
