import type { RequestHandler } from "express";

/** API answers carry personal data and session state: never cached (OWASP Session Management Cheat Sheet). */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader("Cache-Control", "no-store");
  next();
};
