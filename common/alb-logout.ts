import { parse as parseCookieHeader } from "cookie";
/**
 * Logout of an app behind an AWS Application Load Balancer that signs users in with Cognito
 * (docs/architecture.md, "ALB mode"). Pure functions shared by the BFF's ALB mode and the Lambda
 * of triggers/alb-logout.ts.
 *
 * AWS ELB guide, "Authenticate users using an Application Load Balancer" → "Authentication
 * logout and session timeout": to log a user out, expire the authentication session cookie and
 * redirect to the IdP's logout endpoint. The ALB shards a session cookie larger than 4 KB into
 * `AWSELBAuthSessionCookie-0`, `-1`, … (and refuses sessions over 11 KB), so every shard must go.
 */

/** The ALB's default `SessionCookieName`; each shard is `<name>-<index>`. */
export const ALB_SESSION_COOKIE_NAME = "AWSELBAuthSessionCookie";

/**
 * Highest shard index we expire. The ALB never issues more than 11 KB in 4 KB shards (three),
 * so this is generous; the cap only keeps a crafted Cookie header from making us answer with
 * hundreds of Set-Cookie headers.
 */
export const MAX_ALB_SESSION_SHARD_INDEX = 15;

/** Shards expired even when the request does not show them (-0 and -1). */
const BASELINE_SHARDS = [0, 1];

// RFC 6265 §4.1.1: cookie-name is an RFC 9110 token. Checked before a name goes into Set-Cookie,
// so nothing that reaches these functions can inject attributes or header lines.
const COOKIE_NAME_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const SHARD_INDEX = /^(?:0|[1-9][0-9]?)$/;

function assertCookieName(name: string, what: string): void {
  if (!COOKIE_NAME_TOKEN.test(name)) throw new TypeError(`${what} is not a valid cookie name (RFC 6265 §4.1.1)`);
}

/** The names of the cookies in a Cookie request header (RFC 6265 §5.4), parsed by `cookie`. */
function cookieNamesIn(cookieHeader: string | undefined): string[] {
  return cookieHeader === undefined ? [] : Object.keys(parseCookieHeader(cookieHeader));
}

/** The shard indices of `<baseName>-N` cookies present in a Cookie header, ascending and unique. */
export function albSessionShardIndices(cookieHeader: string | undefined, baseName: string = ALB_SESSION_COOKIE_NAME): number[] {
  assertCookieName(baseName, "the ALB session cookie name");
  const prefix = `${baseName}-`;
  const indices = new Set<number>();
  for (const name of cookieNamesIn(cookieHeader)) {
    if (!name.startsWith(prefix)) continue;
    const suffix = name.slice(prefix.length);
    if (!SHARD_INDEX.test(suffix)) continue;
    const index = Number(suffix);
    if (index <= MAX_ALB_SESSION_SHARD_INDEX) indices.add(index);
  }
  return [...indices].sort((a, b) => a - b);
}

/**
 * Every ALB session cookie shard to expire for this request: each `AWSELBAuthSessionCookie-N`
 * the Cookie header carries, and always -0 and -1 (a proxy or an HTTP/2 cookie split may hide
 * some; expiring a cookie the browser does not hold is harmless). Sorted by shard index.
 */
export function albSessionCookieNames(cookieHeader: string | undefined, baseName: string = ALB_SESSION_COOKIE_NAME): string[] {
  const indices = new Set([...BASELINE_SHARDS, ...albSessionShardIndices(cookieHeader, baseName)]);
  return [...indices].sort((a, b) => a - b).map((index) => `${baseName}-${index}`);
}

/** RFC 6265 §5.1.1 date in the past; Max-Age=0 (§5.2.2) wins where supported, Expires covers the rest. */
const EPOCH = "Thu, 01 Jan 1970 00:00:00 GMT";

/**
 * Set-Cookie values that delete the given cookies: empty value, in the past, and the same
 * Path=/ the ALB sets (a cookie is replaced only by one with the same name, domain and path,
 * RFC 6265 §5.3 step 11). HttpOnly and Secure as the ALB's own cookies carry them.
 */
export function expiredAlbCookies(names: readonly string[]): string[] {
  return names.map((name) => {
    assertCookieName(name, "a cookie to expire");
    return `${name}=; Expires=${EPOCH}; Max-Age=0; Path=/; HttpOnly; Secure`;
  });
}

interface LogoutTarget {
  /** The app client the ALB signs in with. */
  clientId: string;
  /** Where Cognito sends the browser afterwards; must be one of the client's sign-out URLs. */
  logoutUri: string;
  /** Replaces the Cognito domain entirely (e.g. the local emulator, `http://localhost:9229`). */
  baseUrl?: string;
}

/** Which Cognito domain serves `/logout`: a custom or full domain, the prefix domain, or an override. */
type CognitoDomain = { domain: string } | { domainPrefix: string; region: string } | { baseUrl: string };

export type CognitoLogoutUrlOptions = LogoutTarget & CognitoDomain;

// Cognito API patterns: ClientIdType `[\w+]+` (≤ 128), DomainType for the prefix.
const CLIENT_ID = /^[\w+]{1,128}$/;
const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const REGION = /^[a-z]{2,4}(?:-[a-z]+)+-\d{1,2}$/;
const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

function httpUrl(value: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${what} is not an absolute URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new TypeError(`${what} must be an http(s) URL`);
  return url;
}

function cognitoBase(options: CognitoLogoutUrlOptions): string {
  if (options.baseUrl !== undefined) {
    const base = httpUrl(options.baseUrl, "baseUrl");
    if (base.search !== "" || base.hash !== "") throw new TypeError("baseUrl must not carry a query or fragment");
    return `${base.origin}${base.pathname.replace(/\/+$/, "")}`;
  }
  if ("domain" in options) {
    if (!HOSTNAME.test(options.domain)) throw new TypeError("domain must be a host name such as auth.example.com");
    return `https://${options.domain.toLowerCase()}`;
  }
  if ("domainPrefix" in options) {
    if (!DOMAIN_PREFIX.test(options.domainPrefix)) throw new TypeError("domainPrefix is not a Cognito domain prefix");
    if (!REGION.test(options.region)) throw new TypeError("region is not an AWS region");
    return `https://${options.domainPrefix}.auth.${options.region}.amazoncognito.com`;
  }
  throw new TypeError("one of domain, domainPrefix + region, or baseUrl is required");
}

/**
 * Cognito's managed-login logout endpoint: `https://<prefix>.auth.<region>.amazoncognito.com
 * /logout?client_id=…&logout_uri=…` (Cognito DG, "Logout endpoint"). Both parameters are
 * form-encoded with URLSearchParams, so a logout URI with its own query survives intact; Cognito
 * redirects only to a sign-out URL registered on the client, compared exactly.
 */
export function cognitoLogoutUrl(options: CognitoLogoutUrlOptions): string {
  if (!CLIENT_ID.test(options.clientId)) throw new TypeError("clientId is not a Cognito app client id");
  httpUrl(options.logoutUri, "logoutUri");
  const query = new URLSearchParams({ client_id: options.clientId, logout_uri: options.logoutUri });
  return `${cognitoBase(options)}/logout?${query.toString()}`;
}
