import express, { type RequestHandler } from "express";
import { ApiError } from "../errors";
import { stateChangingMethods } from "./cross-site-guard";

/** JSON bodies are small: the largest (a WebAuthn credential) is a few kB. */
export const jsonBodyLimit = "16kb";

function mediaType(contentType: string | undefined): string | undefined {
  return contentType?.split(";")[0]?.trim().toLowerCase();
}

/**
 * State-changing calls must declare `Content-Type: application/json`. Besides keeping the API
 * honest, a browser cannot send that type cross-site without a CORS preflight, which this
 * API never grants (OWASP CSRF Prevention Cheat Sheet, "Employing Custom Request Headers").
 */
export const requireJsonContentType: RequestHandler = (req, _res, next) => {
  if (stateChangingMethods.has(req.method) && mediaType(req.get("content-type")) !== "application/json") {
    next(new ApiError(415, "unsupported_media_type", "Send the request as application/json."));
    return;
  }
  next();
};

const parseJson = express.json({ limit: jsonBodyLimit, type: "application/json", strict: true });

/**
 * Parses JSON objects and arrays only; malformed JSON → 400, too large → 413 (see errors.ts).
 * Only state-changing calls carry a body the API reads; a GET's is left unread.
 */
export const parseJsonBody: RequestHandler = (req, res, next) => {
  if (stateChangingMethods.has(req.method)) parseJson(req, res, next);
  else next();
};
