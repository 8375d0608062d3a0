import type { ALBEvent, ALBHandler, ALBResult } from "aws-lambda";
import { albSessionCookieNames, albSessionShardIndices, cognitoLogoutUrl, expiredAlbCookies, MAX_ALB_SESSION_SHARD_INDEX } from "../common/alb-logout";
import { loadAlbLogoutConfig, type AlbLogoutConfig } from "./alb-logout-config";

/**
 * ALB mode's logout (docs/architecture.md, "ALB mode"), as a Lambda target of the ALB (e.g. a listener rule forwarding
 * `/cognito/logout` to this function): expire the HttpOnly `AWSELBAuthSessionCookie-N` shards the
 * app cannot touch, then send the browser to Cognito's `/logout`, which ends the managed-login
 * session and returns to APP_LOGOUT_URL.
 *
 * Headers, per AWS ELB guide "Lambda functions as targets" → "Multi-value headers":
 * - The target group decides the format (`lambda.multi_value_headers.enabled`): the function "must
 *   use multiValueHeaders if you have enabled multi-value headers and headers otherwise". The event
 *   shows which: with the attribute on it carries `multiValueHeaders`, otherwise `headers`.
 * - Multi-value mode: one 302 carries a Set-Cookie per shard plus the Location. This is the
 *   recommended setup.
 * - Single-value mode can carry only ONE Set-Cookie per response ("you can specify a single
 *   cookie"; for repeated headers the ALB "uses the last value"). Spelling the header `Set-Cookie` /
 *   `Set-CookiE` to get several would rely on undocumented behaviour; and one
 *   header cannot hold several cookies (RFC 6265 §3: Set-Cookie is not folded). So in this mode
 *   the function expires one shard per response and redirects back to itself with `?shard=N+1`
 *   until every shard the browser showed (and at least -0 and -1) is gone, then to Cognito. The
 *   chain is bounded by the shard count (at most MAX_ALB_SESSION_SHARD_INDEX + 1 hops), and it
 *   needs the logout rule to forward without an authenticate action — which a logout path should
 *   never have anyway, or a half-expired session would be sent to sign in again.
 *
 * No CORS headers (Access-Control-Allow-*): a top-level navigation does not use CORS.
 * Nothing is logged: the request's cookies are the user's session.
 */

/** Query parameter of the single-value chain: which shard this hop expires. */
export const SHARD_STEP_PARAMETER = "shard";

const STEP = /^(?:0|[1-9][0-9]?)$/;
// A same-origin absolute path (RFC 3986 path-absolute). `//host` or `/\host` would make the relative
// Location point at another site (an open redirect), so they are refused.
const SAFE_PATH = /^\/(?![/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;

/** Case-insensitive header lookup (the ALB sends lowercase names; a test or proxy may not). */
function headerValues(event: ALBEvent, name: string): string[] {
  const wanted = name.toLowerCase();
  // Stryker disable next-line ArrayDeclaration: equivalent, a value that names no shard cookie leaves the shards found unchanged.
  const values: string[] = [];
  if (event.multiValueHeaders) {
    for (const [key, list] of Object.entries(event.multiValueHeaders)) if (key.toLowerCase() === wanted && list) values.push(...list);
  } else if (event.headers) {
    for (const [key, value] of Object.entries(event.headers)) if (key.toLowerCase() === wanted && value !== undefined) values.push(value);
  }
  return values;
}

/** Several Cookie fields (HTTP/2 may split them, RFC 9113 §8.2.3) are one cookie-string joined with "; ". */
function cookieHeader(event: ALBEvent): string | undefined {
  const values = headerValues(event, "cookie");
  return values.length === 0 ? undefined : values.join("; ");
}

function chainStep(event: ALBEvent): number {
  const raw = event.queryStringParameters?.[SHARD_STEP_PARAMETER];
  const step = raw !== undefined && STEP.test(raw) ? Number(raw) : 0;
  return step <= MAX_ALB_SESSION_SHARD_INDEX ? step : 0;
}

const common = { statusCode: 302, statusDescription: "302 Found", isBase64Encoded: false, body: "" } as const;

/** Builds the handler from validated configuration; the Cognito logout URL is fixed at creation. */
export function createAlbLogoutHandler(config: AlbLogoutConfig): (event: ALBEvent) => Promise<ALBResult> {
  const logoutUrl = cognitoLogoutUrl({
    domainPrefix: config.domainPrefix,
    region: config.region,
    clientId: config.clientId,
    logoutUri: config.appLogoutUrl,
    ...(config.cognitoBaseUrl === undefined ? {} : { baseUrl: config.cognitoBaseUrl }),
  });
  const cookieName = config.sessionCookieName;

  function multiValueResponse(event: ALBEvent): ALBResult {
    return {
      ...common,
      multiValueHeaders: {
        Location: [logoutUrl],
        "Set-Cookie": expiredAlbCookies(albSessionCookieNames(cookieHeader(event), cookieName)),
        // A logout answer must never be replayed from a cache (RFC 9111 §5.2.2.5).
        "Cache-Control": ["no-store"],
      },
    };
  }

  function singleValueResponse(event: ALBEvent): ALBResult {
    const step = chainStep(event);
    const lastShard = Math.max(1, ...albSessionShardIndices(cookieHeader(event), cookieName));
    const next = step + 1;
    const location = next <= lastShard && SAFE_PATH.test(event.path) ? `${event.path}?${SHARD_STEP_PARAMETER}=${next}` : logoutUrl;
    return {
      ...common,
      headers: {
        Location: location,
        "Set-Cookie": expiredAlbCookies([`${cookieName}-${step}`])[0]!,
        "Cache-Control": "no-store",
      },
    };
  }

  return async (event) => (event.multiValueHeaders !== undefined ? multiValueResponse(event) : singleValueResponse(event));
}

let coldStartHandler: ReturnType<typeof createAlbLogoutHandler> | undefined;

/** Lambda entry point; the configuration is read and validated on the first invocation, so importing never throws. */
export const handler: ALBHandler = async (event) => {
  coldStartHandler ??= createAlbLogoutHandler(loadAlbLogoutConfig());
  return coldStartHandler(event);
};
