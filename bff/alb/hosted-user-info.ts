import { ApiError } from "../errors";

/**
 * Cognito's managed-login `/oauth2/userInfo` (AWS DG, "The userInfo endpoint"), called with the
 * access token the ALB forwards: that token comes from the authorization-code grant and carries
 * the `openid` scope, which the endpoint requires (tokens from InitiateAuth are refused).
 */
export type FetchUserInfo = (accessToken: string) => Promise<Record<string, unknown>>;

const MAX_BODY_BYTES = 64 * 1024;

export function createHostedUserInfoFetcher(options: { url: string; timeoutMs?: number }): FetchUserInfo {
  const timeoutMs = options.timeoutMs ?? 3000;
  const unavailable = (cause?: unknown) =>
    new ApiError(503, "service_unavailable", "Your user information cannot be fetched right now. Try again shortly.", { cause, expose: true });

  return async (accessToken) => {
    let response: Response;
    try {
      response = await fetch(options.url, {
        headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" },
        signal: AbortSignal.timeout(timeoutMs),
        redirect: "error",
      });
    } catch (error) {
      throw unavailable(error instanceof Error ? new Error(`userInfo request failed: ${error.message}`) : undefined);
    }
    if (response.status === 401 || response.status === 400) {
      // Stryker disable next-line OptionalChaining: fetch gives a 400 or 401 a body stream (only 101, 204, 205 and 304 have none)
      await response.body?.cancel().catch(() => undefined);
      // RFC 6750 §3.1 invalid_token: revoked, expired or signed out globally since the ALB's sign-in.
      throw new ApiError(401, "unauthenticated", "Your sign-in is no longer valid. Sign in again.");
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw unavailable(new Error(`userInfo answered ${response.status}`));
    }
    const text = await response.text().catch(() => undefined);
    if (text === undefined || text.length > MAX_BODY_BYTES) throw unavailable(new Error("userInfo body unusable"));
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw unavailable(new Error("userInfo answered something other than JSON"));
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw unavailable(new Error("userInfo answered something other than an object"));
    return body as Record<string, unknown>;
  };
}
