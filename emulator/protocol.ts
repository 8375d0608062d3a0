import { randomUUID } from "node:crypto";
import express, { type NextFunction, type Request, type Response, type Router } from "express";
import { CognitoError, InternalErrorException, SerializationException, UnknownOperationException } from "./errors";
import type { Operation, PoolContext } from "./pool";

/** The API model's target prefix: `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>`. */
export const TARGET_PREFIX = "AWSCognitoIdentityProviderService.";
const CONTENT_TYPE = "application/x-amz-json-1.1";

/** Header values must be visible ASCII; the body keeps the message as it is. */
function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, "?");
}

/**
 * The one place errors are written, as AWS JSON 1.1 sends them: status 400 (500 for
 * InternalErrorException), body `{"__type","message"}`, and the `x-amzn-ErrorType: <Name>:` /
 * `x-amzn-ErrorMessage` headers the SDK reads first (docs/cognito-behaviour.md, "Wire protocol (AWS JSON 1.1)").
 */
export function sendCognitoError(res: Response, error: CognitoError, requestId: string): void {
  res
    .status(error.status)
    .set({
      "Content-Type": CONTENT_TYPE,
      "x-amzn-RequestId": requestId,
      "x-amzn-ErrorType": `${error.type}:`,
      "x-amzn-ErrorMessage": headerSafe(error.message),
    })
    .send(Buffer.from(JSON.stringify({ __type: error.type, message: error.message })));
}

function toCognitoError(error: unknown, operation: string): CognitoError {
  if (error instanceof CognitoError) return error;
  // Unexpected: logged by name and message only (never the request), answered without internals.
  console.error(`[emulator] ${operation} failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  return new InternalErrorException();
}

function parseBody(body: unknown): unknown {
  const text = Buffer.isBuffer(body) ? body.toString("utf8") : "";
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new SerializationException("The request body is not valid JSON.");
  }
}

/** `POST /`: routes on X-Amz-Target to the operations, JSON in and out. */
export function createProtocolRouter(ctx: () => PoolContext, operations: Readonly<Record<string, Operation>>): Router {
  const router = express.Router();
  router.post("/", express.raw({ type: () => true, limit: "1mb" }), async (req: Request, res: Response) => {
    const requestId = randomUUID();
    const target = req.get("x-amz-target") ?? "";
    const name = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : "";
    try {
      const operation = Object.hasOwn(operations, name) ? operations[name] : undefined;
      if (operation === undefined) {
        throw new UnknownOperationException(/^\w{1,64}$/.test(name) ? `Unknown operation ${name}` : "Unknown operation");
      }
      const result = await operation(ctx(), parseBody(req.body));
      // A Buffer body keeps Express from appending "; charset=utf-8" to the content type.
      res
        .status(200)
        .set({ "Content-Type": CONTENT_TYPE, "x-amzn-RequestId": requestId })
        .send(Buffer.from(JSON.stringify(result)));
    } catch (error) {
      sendCognitoError(res, toCognitoError(error, name || "request"), requestId);
    }
  });
  // Body-reading failures (too large, aborted) are the caller's: 400, never a stack trace.
  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (error as { status?: number }).status;
    const cognitoError = status !== undefined && status < 500 ? new SerializationException("The request body could not be read.") : toCognitoError(error, "request");
    sendCognitoError(res, cognitoError, randomUUID());
  });
  return router;
}
