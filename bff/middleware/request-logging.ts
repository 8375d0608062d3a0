import { randomUUID } from "node:crypto";
import type { RequestHandler } from "express";
import { pinoHttp } from "pino-http";
import type { Logger } from "../logger";

/**
 * One structured line per request, with a request id that is also sent back as X-Request-Id
 * (so a user's report can be matched to the log). Headers are redacted by the logger's
 * paths; bodies are never logged, nor query strings: they carry id_token_hint, login_hint
 * (an email) and state (OWASP Logging Cheat Sheet: no tokens or personal data in logs).
 */
export function requestLogging(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    genReqId: (_req, res) => {
      const id = randomUUID();
      res.setHeader("X-Request-Id", id);
      return id;
    },
    customLogLevel: (_req, res, error) => (error !== undefined || res.statusCode >= 500 ? "error" : res.statusCode >= 400 ? "info" : "debug"),
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url.split("?", 1)[0] }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}
