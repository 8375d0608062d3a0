import type { Response } from "express";
import type { Logger } from "../logger";

/** What a handler answered: its status, the contract's error code if any, and the JSON body. */
export interface Outcome {
  status: number;
  errorCode: string | undefined;
  body: unknown;
}

/**
 * Runs `settle` with the handler's JSON answer before that answer leaves: the store writes that
 * depend on it (a refunded attempt, a kept answer) are done when the client hears back, so no
 * write outlives its request and a duplicate request sees them at once. A failure of `settle` is
 * logged and the answer goes out all the same; an answer already sent (the API deadline) is
 * settled no more.
 */
export function beforeAnswer(res: Response, settle: (outcome: Outcome) => Promise<void>, logger: Logger): void {
  const json = res.json.bind(res);
  let settled = false;
  res.json = ((body: unknown) => {
    if (settled || res.headersSent) return json(body);
    settled = true;
    const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
    settle({ status: res.statusCode, errorCode: typeof code === "string" ? code : undefined, body })
      .catch((error: unknown) => logger.warn({ err: error }, "could not record an answer's outcome"))
      .finally(() => {
        if (!res.headersSent) json(body);
      });
    return res;
  }) as Response["json"];
}
