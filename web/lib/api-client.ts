import * as z from "zod/mini";
import { apiErrorBodySchema, type ApiErrorCode } from "../../common/api-contract";
import { takeEarly } from "./early-requests";

/**
 * The one fetch wrapper of the SPA. Every answer is parsed with the contract's zod schema, and
 * every failure becomes an ApiError whose `code` the UI switches on (never on message text).
 */

/** Codes the client produces itself, next to the contract's (`apiErrorCodes`). */
export type ClientErrorCode = "network_error" | "timeout" | "unexpected_response";
// `(string & {})` keeps autocompletion for known codes while accepting codes the BFF may add later.
export type ErrorCode = ApiErrorCode | ClientErrorCode | (string & {});

export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly code: ErrorCode;
  /** HTTP status; 0 when the request never got an answer. */
  readonly status: number;
  readonly attemptsLeft: number | undefined;
  readonly fields: Readonly<Record<string, string>> | undefined;
  /** Seconds to wait before asking again (`resend_too_soon`). */
  readonly retryAfterSeconds: number | undefined;
  /** Which check refused it, where the contract names one (e.g. `unknown_credential`). */
  readonly reason: string | undefined;
  /** With `step_up_required`: whether the account has a passkey that can confirm it's the owner. */
  readonly passkeyAvailable: boolean | undefined;

  constructor(init: {
    code: ErrorCode;
    message: string;
    status: number;
    attemptsLeft?: number | undefined;
    fields?: Record<string, string> | undefined;
    retryAfterSeconds?: number | undefined;
    reason?: string | undefined;
    passkeyAvailable?: boolean | undefined;
  }) {
    super(init.message);
    this.code = init.code;
    this.status = init.status;
    this.attemptsLeft = init.attemptsLeft;
    this.fields = init.fields;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.reason = init.reason;
    this.passkeyAvailable = init.passkeyAvailable;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/**
 * No answer at all: the network is down, or the server did not answer in time. The request may
 * or may not have reached the server, so nothing sends it again by itself: the page offers
 * "Try again" (a click, never a replay behind the person's back).
 */
export function isConnectionFailure(error: unknown): boolean {
  return isApiError(error) && (error.code === "network_error" || error.code === "timeout");
}

/**
 * How long a request may take before the client gives up. Longer than the BFF's own deadlines
 * on Cognito and the store (which answer 503 in time), so this only fires when no answer can
 * come: a dropped connection, a stalled proxy.
 */
export const requestTimeoutMs = 20_000;

type Method = "GET" | "POST" | "PATCH" | "DELETE";

export interface RequestOptions {
  signal?: AbortSignal | undefined;
  /** Overrides `requestTimeoutMs`. */
  timeoutMs?: number | undefined;
}

/** The caller's signal (TanStack Query cancels by aborting) combined with the request's own deadline. */
function deadlineSignal(callerSignal: AbortSignal | undefined, timeoutMs: number): { signal: AbortSignal; timedOut: () => boolean; done: () => void } {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new DOMException("The request took too long.", "TimeoutError"));
  }, timeoutMs);
  const onCallerAbort = () => controller.abort(callerSignal?.reason);
  if (callerSignal?.aborted) onCallerAbort();
  else callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => expired,
    done: () => {
      clearTimeout(timer);
      callerSignal?.removeEventListener("abort", onCallerAbort);
    },
  };
}

/** `promise`, or a rejection with the signal's reason once it aborts (for a request sent before the signal existed). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    if (signal.aborted) onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

async function request<T>(method: Method, path: string, schema: z.core.$ZodType<T>, body: unknown, options: RequestOptions): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  // The BFF refuses state-changing calls without a JSON content type (a CSRF defence:
  // cross-site forms cannot send application/json without a CORS preflight — OWASP CSRF cheat sheet).
  if (method !== "GET") headers["Content-Type"] = "application/json";

  const deadline = deadlineSignal(options.signal, options.timeoutMs ?? requestTimeoutMs);
  let response: Response;
  let payload: unknown;
  // A GET the entry sent ahead (lib/early-requests.ts): its answer, under this request's deadline.
  const early = method === "GET" ? takeEarly(path) : undefined;
  try {
    if (early === undefined) {
      response = await fetch(path, {
        method,
        headers,
        // The BFF session cookie is same-origin; never send it anywhere else.
        credentials: "same-origin",
        body: method === "GET" ? undefined : JSON.stringify(body ?? {}),
        signal: deadline.signal,
      });
      // The body can stall too: the deadline covers it.
      payload = await readJson(response);
    } else {
      response = await untilAborted(early, deadline.signal);
      const answer = response;
      payload = await untilAborted(readJson(answer), deadline.signal);
    }
  } catch (error) {
    if (deadline.timedOut()) {
      throw new ApiError({
        code: "timeout",
        status: 0,
        message: "The server didn't answer in time. Check your connection, then try again.",
      });
    }
    // TanStack Query cancels by aborting; let that through untouched.
    if (options.signal?.aborted || (error instanceof DOMException && error.name === "AbortError")) throw error;
    throw new ApiError({
      code: "network_error",
      status: 0,
      message: "We couldn't reach the server. Check your connection and try again.",
    });
  } finally {
    deadline.done();
  }

  if (!response.ok) throw toApiError(response.status, payload);

  const parsed = z.safeParse(schema, response.status === 204 ? undefined : payload);
  if (!parsed.success) {
    throw new ApiError({
      code: "unexpected_response",
      status: response.status,
      message: "We got an answer we didn't understand. Please try again.",
    });
  }
  return parsed.data;
}

async function readJson(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function toApiError(status: number, payload: unknown): ApiError {
  const parsed = apiErrorBodySchema.safeParse(payload);
  if (parsed.success) {
    const { error, attemptsLeft } = parsed.data;
    return new ApiError({
      code: error.code,
      message: error.message,
      status,
      attemptsLeft: error.attemptsLeft ?? attemptsLeft,
      fields: error.fields,
      retryAfterSeconds: error.retryAfterSeconds,
      reason: error.reason,
      passkeyAvailable: error.passkeyAvailable,
    });
  }
  // No contract-shaped body: a proxy, a gateway or a rate limiter answered instead of the BFF.
  if (status === 429) {
    return new ApiError({ code: "rate_limited", status, message: "Too many attempts. Wait a minute, then try again." });
  }
  if (status >= 500) {
    return new ApiError({
      code: "service_unavailable",
      status,
      message: "The service isn't available right now. Please try again in a moment.",
    });
  }
  return new ApiError({
    code: "unexpected_response",
    status,
    message: "We got an answer we didn't understand. Please try again.",
  });
}

export const apiClient = {
  get<T>(path: string, schema: z.core.$ZodType<T>, options: RequestOptions = {}): Promise<T> {
    return request("GET", path, schema, undefined, options);
  },
  post<T>(path: string, body: unknown, schema: z.core.$ZodType<T>, options: RequestOptions = {}): Promise<T> {
    return request("POST", path, schema, body, options);
  },
  patch<T>(path: string, body: unknown, schema: z.core.$ZodType<T>, options: RequestOptions = {}): Promise<T> {
    return request("PATCH", path, schema, body, options);
  },
  delete<T>(path: string, schema: z.core.$ZodType<T>, options: RequestOptions = {}): Promise<T> {
    return request("DELETE", path, schema, {}, options);
  },
};
