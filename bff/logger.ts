import { pino, type DestinationStream, type Logger } from "pino";
import type { LogLevel } from "./config";

export type { Logger };

/**
 * Paths pino blanks before a line is written. Codes, passwords, tokens, proofs, cookies and
 * secrets never reach a log (OWASP Logging Cheat Sheet, "Data to exclude").
 */
export const redactedPaths = [
  "req.headers.cookie",
  "req.headers.authorization",
  'res.headers["set-cookie"]',
  "password",
  "code",
  "token",
  "secret",
  "*.password",
  "*.code",
  "*.token",
  "*.secret",
  "*.clientSecret",
  "*.idToken",
  "*.accessToken",
  "*.refreshToken",
  "*.tokens",
  "*.session",
  "*.cognitoSession",
  "*.passkeyProof",
  "*.ChallengeResponses",
  "*.AuthParameters",
];

/** `destination` defaults to stdout (tests pass a stream to read the lines back). */
export function createLogger(level: LogLevel = "info", destination?: DestinationStream): Logger {
  const options = { level, base: { service: "tobira-bff" }, redact: { paths: redactedPaths, censor: "[redacted]" } };
  return destination === undefined ? pino(options) : pino(options, destination);
}
