import type { CognitoIdentityProviderClientConfig } from "@aws-sdk/client-cognito-identity-provider";

/**
 * The Cognito client's retry policy: one retry, and only for a request that never reached Cognito
 * (the connection was refused, the name did not resolve, no connection within the connect
 * timeout). Everything else is answered to the user, never sent again behind their back:
 *
 * - the SDK's default classes LimitExceededException and TooManyRequestsException as throttling
 *   and repeats the call, so a call over Cognito's per-user limit would be sent twice and count
 *   twice (docs/cognito-behaviour.md, "Quotas");
 * - SignUp, ResendConfirmationCode, ForgotPassword and the challenge answers send mail; repeating
 *   one after a reset connection or a timeout can send a second message (a second, different
 *   sign-in code) for a request that did arrive.
 */

type RetryStrategy = Extract<NonNullable<CognitoIdentityProviderClientConfig["retryStrategy"]>, { acquireInitialRetryToken: unknown }>;
type RetryToken = Awaited<ReturnType<RetryStrategy["acquireInitialRetryToken"]>>;

const MAX_RETRIES = 1;
const RETRY_DELAY_MS = 100;

/** Node's codes for a connection that was never made; the request cannot have been sent. */
const NEVER_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);

export function neverReachedCognito(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof code === "string" && NEVER_SENT_CODES.has(code)) return true;
  // The HTTP handler's connect timeout: "the request socket did not establish a connection".
  return name === "TimeoutError" && typeof message === "string" && /did not establish a connection/.test(message);
}

function token(retries: number, delay: number): RetryToken {
  return { getRetryCount: () => retries, getRetryDelay: () => delay } as RetryToken;
}

export const retryOnlyUnsentRequests: RetryStrategy = {
  async acquireInitialRetryToken() {
    return token(0, 0);
  },
  async refreshRetryTokenForRetry(previous, errorInfo) {
    // Stryker disable next-line StringLiteral: the SDK only needs the refusal to throw; it rethrows the call's own error, never this message
    if (previous.getRetryCount() >= MAX_RETRIES || !neverReachedCognito(errorInfo.error)) throw new Error("not retried");
    return token(previous.getRetryCount() + 1, RETRY_DELAY_MS);
  },
  recordSuccess() {},
};
