import type { ErrorRequestHandler, Request, RequestHandler, Response } from "express";
import type { Logger } from "pino";
import { z } from "zod";
import type { ApiErrorBody, ApiErrorCode } from "../common/api-contract";
import { StoreUnavailableError } from "./store/store-errors";

/**
 * The BFF's errors: one class carrying the HTTP status, the contract's error code and whether
 * its message may be shown, and ONE middleware that serializes every error into the contract's
 * `{"error": {"code", "message", ...}}` shape (docs/architecture.md, "The JSON API"). Nothing else writes
 * error bodies, so a stack trace or an SDK message cannot leak by accident.
 */

export interface ApiErrorOptions {
  /** Whether `message` may be sent to the caller; otherwise a generic text for the status is sent. */
  expose?: boolean;
  /** Extra members of `error` (e.g. attemptsLeft, fields; see apiErrorBodySchema). */
  extra?: { attemptsLeft?: number; fields?: Record<string, string>; retryAfterSeconds?: number; reason?: string; passkeyAvailable?: boolean };
  /** Response headers to set (e.g. Retry-After). */
  headers?: Record<string, string>;
  cause?: unknown;
}

export class ApiError extends Error {
  readonly expose: boolean;
  readonly extra: NonNullable<ApiErrorOptions["extra"]>;
  readonly headers: Record<string, string>;

  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    options: ApiErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ApiError";
    this.expose = options.expose ?? status < 500;
    this.extra = options.extra ?? {};
    this.headers = options.headers ?? {};
  }
}

const genericMessages: Record<number, string> = {
  400: "The request could not be processed.",
  401: "Sign in to continue.",
  403: "This request is not allowed.",
  404: "Not found.",
  413: "The request body is too large.",
  415: "Send the request as application/json.",
  429: "Too many requests. Wait a moment and try again.",
  500: "Something went wrong on our side. Try again.",
  502: "A service we depend on failed. Try again.",
  503: "The service is temporarily unavailable. Try again shortly.",
};

/**
 * Seconds a client should wait after a 503 (RFC 9110 §10.2.3): every outage answer carries it,
 * whichever dependency failed (docs/architecture.md, "The JSON API").
 */
export const serviceUnavailableRetryAfterSeconds = 5;

/** A dependency (Cognito, the store) failed or missed its deadline: the user may try again shortly. */
export function serviceUnavailable(cause?: unknown): ApiError {
  return new ApiError(503, "service_unavailable", "The service is temporarily unavailable. Try again shortly.", {
    expose: true,
    headers: { "Retry-After": String(serviceUnavailableRetryAfterSeconds) },
    cause,
  });
}

// The contract's zod/mini schemas install no messages; classic zod's English ones (what `fields`
// has always said) are set here, so they never depend on which module built a schema first.
if (z.config().localeError === undefined) z.config(z.locales.en());

function genericMessage(status: number): string {
  return genericMessages[status] ?? (status >= 500 ? genericMessages[500]! : genericMessages[400]!);
}

/** Per-field messages of a zod failure: `{"email": "Enter a valid email address."}`, `""` for the body itself. */
export function zodFieldMessages(error: z.core.$ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".");
    fields[key] ??= issue.message;
  }
  return fields;
}

/** The body-parser errors that describe the caller's request, never a server fault. */
interface HttpParserError extends Error {
  type?: string;
  status?: number;
  expose?: boolean;
}

function isParserError(error: unknown): error is HttpParserError {
  return error instanceof Error && typeof (error as HttpParserError).type === "string" && typeof (error as HttpParserError).status === "number";
}

function clientErrorStatus(error: unknown): number | undefined {
  const status = typeof error === "object" && error !== null ? (error as { status?: unknown }).status : undefined;
  return typeof status === "number" && status >= 400 && status < 500 ? status : undefined;
}

/** Turns anything thrown into an ApiError; unknown errors become a generic 500. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  // The store mapped once: unreachable, throttled or past its deadline is 503, never 500.
  if (error instanceof StoreUnavailableError) return serviceUnavailable(error);
  // Classic zod's ZodError and zod/mini's (the contract's schemas) share the core class.
  if (error instanceof z.core.$ZodError) {
    return new ApiError(400, "bad_request", "Some fields are missing or invalid.", { extra: { fields: zodFieldMessages(error) } });
  }
  if (isParserError(error)) {
    switch (error.type) {
      case "entity.parse.failed":
        return new ApiError(400, "bad_request", "The request body is not valid JSON.");
      case "entity.too.large":
        return new ApiError(413, "bad_request", "The request body is too large.");
      case "encoding.unsupported":
      case "charset.unsupported":
        return new ApiError(415, "unsupported_media_type", "Send the request as UTF-8 application/json.");
    }
  }
  // Any other client error a library raises — e.g. a path with a malformed percent-escape, which
  // Express reports as a 400 URIError — is the caller's, never a 500.
  const status = clientErrorStatus(error);
  if (status !== undefined) return new ApiError(status, "bad_request", genericMessage(status));
  if (error instanceof URIError) return new ApiError(400, "bad_request", genericMessage(400));
  return new ApiError(500, "internal_error", genericMessage(500), { expose: false, cause: error });
}

export function serializeApiError(error: ApiError): ApiErrorBody {
  const body: ApiErrorBody = {
    error: { code: error.code, message: error.expose ? error.message : genericMessage(error.status), ...error.extra },
  };
  // The contract accepts attemptsLeft inside `error` and at the top level; send both.
  if (error.extra.attemptsLeft !== undefined) body.attemptsLeft = error.extra.attemptsLeft;
  return body;
}

/** The one error middleware: logs server faults with the request id, answers in the contract's shape. */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const log = (req as { log?: Logger }).log ?? logger;
    if (res.headersSent) {
      // Answered already (e.g. 503 at the request deadline while the work went on): record the
      // late failure, cut an unfinished answer, and never hand it to Express's stack-printing default.
      const late = toApiError(error);
      log.warn({ err: late.cause ?? late, requestId: req.id, errorCode: late.code }, "request failed after its answer was sent");
      if (!res.writableEnded) res.destroy();
      return;
    }
    sendApiError(req, res, toApiError(error), log);
  };
}

/** What failed below a 503, in a word or two: an outage logs one line per request, not a stack each. */
function outageCause(cause: unknown): string {
  if (!(cause instanceof Error)) return "unknown";
  const inner = cause.cause instanceof Error ? `: ${cause.cause.name}` : "";
  return `${cause.name}${inner}`;
}

/** Logs and writes an error answer in the contract's shape (the error middleware and the API deadline). */
export function sendApiError(req: Request, res: Response, apiError: ApiError, log: Logger): void {
  if (apiError.status === 503) {
    // A dependency is down or late (docs/architecture.md, "Deadlines"): expected during an outage.
    log.warn({ requestId: req.id, errorCode: apiError.code, cause: outageCause(apiError.cause) }, "dependency unavailable");
  } else if (apiError.status >= 500) {
    log.error({ err: apiError.cause ?? apiError, requestId: req.id, errorCode: apiError.code }, "request failed");
  } else {
    log.debug({ requestId: req.id, errorCode: apiError.code, status: apiError.status }, "request refused");
  }
  for (const [name, value] of Object.entries(apiError.headers)) res.setHeader(name, value);
  if (apiError.status === 503 && !res.hasHeader("Retry-After")) res.setHeader("Retry-After", String(serviceUnavailableRetryAfterSeconds));
  res.status(apiError.status).json(serializeApiError(apiError));
}

/** Unknown routes: 404 in the contract's shape. */
export const notFoundMiddleware: RequestHandler = (_req, _res, next) => {
  next(new ApiError(404, "not_found", "There is nothing at this address."));
};
