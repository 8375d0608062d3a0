import { createHash } from "node:crypto";
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet } from "jose";
import * as oidc from "openid-client";
import { expect } from "vitest";
import type { OidcClientConfig } from "../../../common/local-config";
import type { HttpClient } from "../../support/http-client";
import type { TestStack } from "../../support/stack";
import { authorizeInBrowser, discover, testClients, type TestUser } from "../support";

/**
 * The checks the OpenID Foundation's conformance suite makes in its OpenID Provider plans
 * (oidcc-basic-certification-test-plan, oidcc-config-certification-test-plan,
 * oidcc-rp-initiated-logout-certification-test-plan), written again for these tests: each check
 * records a failure or a warning under the suite's name for it, and a module passes as the suite
 * would pass it when both lists stay empty. Not the suite itself: its module ids name the tests,
 * its conditions are described here from what they check (OpenID Connect Core 1.0, RFC 6749).
 */

export class Findings {
  readonly failures: string[] = [];
  readonly warnings: string[] = [];

  /** A condition the suite runs as FAILURE. */
  require(condition: boolean, name: string, detail?: unknown): void {
    if (!condition) this.failures.push(detail === undefined ? name : `${name}: ${JSON.stringify(detail)}`);
  }

  /** A condition the suite runs as WARNING. */
  recommend(condition: boolean, name: string, detail?: unknown): void {
    if (!condition) this.warnings.push(detail === undefined ? name : `${name}: ${JSON.stringify(detail)}`);
  }

  /** The module's verdict: no failure and no warning. */
  expectClean(): void {
    expect({ failures: this.failures, warnings: this.warnings }).toEqual({ failures: [], warnings: [] });
  }
}

/** The scope → claims table the suite checks released claims against (OpenID Connect Core §5.4). */
export const scopeStandardClaims: Readonly<Record<string, readonly string[]>> = {
  openid: ["sub"],
  profile: [
    "name",
    "given_name",
    "family_name",
    "middle_name",
    "nickname",
    "profile",
    "picture",
    "website",
    "gender",
    "birthdate",
    "zoneinfo",
    "locale",
    "updated_at",
    "preferred_username",
  ],
  email: ["email", "email_verified"],
  address: ["address"],
  phone: ["phone_number", "phone_number_verified"],
  offline_access: [],
};

/** Claims an ID token may carry without being asked for (the suite's list, OpenID Connect Core §2, RFC 7519 §4.1). */
const idTokenProtocolClaims = ["iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "azp", "at_hash", "c_hash", "nbf", "jti", "sid", "s_hash"];

const stringClaims = new Set([
  "sub",
  "name",
  "given_name",
  "family_name",
  "middle_name",
  "nickname",
  "preferred_username",
  "profile",
  "picture",
  "website",
  "email",
  "gender",
  "zoneinfo",
  "locale",
  "phone_number",
]);
const booleanClaims = new Set(["email_verified", "phone_number_verified"]);

/** OpenID Connect Core §5.1: each standard claim has its JSON type (ValidateIdTokenStandardClaims / ValidateUserInfoStandardClaims). */
function standardClaimTypesValid(claims: Record<string, unknown>): string[] {
  const wrong: string[] = [];
  for (const [name, value] of Object.entries(claims)) {
    if (stringClaims.has(name) && typeof value !== "string") wrong.push(name);
    if (booleanClaims.has(name) && typeof value !== "boolean") wrong.push(name);
    if (name === "updated_at" && typeof value !== "number") wrong.push(name);
    if (name === "birthdate" && (typeof value !== "string" || !/^(\d{4}|0000)(-\d{2}-\d{2})?$/.test(value))) wrong.push(name);
    if (name === "address" && (typeof value !== "object" || value === null)) wrong.push(name);
  }
  return wrong;
}

/** EnsureIdTokenUpdatedAtValid / EnsureUserInfoUpdatedAtValid: updated_at, when present, after 1990 and not in the future (OIDCC-5.1). */
function checkUpdatedAt(findings: Findings, claims: Record<string, unknown>, where: string): void {
  if (claims.updated_at === undefined) return;
  const seconds = Number(claims.updated_at);
  findings.require(seconds >= Date.UTC(1990, 0, 1) / 1000 && seconds <= Date.now() / 1000 + 5 * 60, `Ensure${where}UpdatedAtValid (OIDCC-5.1)`, claims.updated_at);
}

/** OpenID Connect Core §3.3.2.11: the left half of the SHA-256 of the value, base64url (RS256/ES256). */
export function leftHalfHash(value: string): string {
  const digest = createHash("sha256").update(value, "ascii").digest();
  return digest.subarray(0, digest.length / 2).toString("base64url");
}

function payloadOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
}

/** The claims of an ID token (already verified by openid-client or by `checkIdToken`). */
export function idTokenClaims(jwt: string): Record<string, unknown> {
  return payloadOf(jwt);
}

export interface IdTokenExpectations {
  issuer: string;
  clientId: string;
  jwks: JSONWebKeySet;
  /** The nonce sent; undefined when none was (then the ID token must carry none). */
  nonce: string | undefined;
  /** The access token issued beside it (for at_hash), and the code (for c_hash). */
  accessToken?: string;
  code?: string;
  /** The request's scope (oidcc-server's non-requested-claims warning). */
  scope?: string;
  /** oidcc-server and oidcc-server-client-secret-post only: warn on claims nobody asked for. */
  warnOnUnrequestedClaims?: boolean;
}

/**
 * PerformStandardIdTokenChecks (+ oidcc-server's extra warnings): ValidateIdToken (iss, aud, exp,
 * iat within 5 minutes, auth_time, acr), ValidateIdTokenStandardClaims, ValidateIdTokenNonce,
 * ValidateIdTokenSignature, CheckForSubjectInIdToken, EnsureIdTokenContainsKid, the RS256 default
 * (OpenID Connect Core §3.1.3.7), at_hash / c_hash when present (§3.3.2.11).
 */
export async function checkIdToken(findings: Findings, jwt: string, expected: IdTokenExpectations): Promise<Record<string, unknown>> {
  const header = decodeProtectedHeader(jwt);
  findings.require(typeof header.kid === "string" && header.kid !== "", "EnsureIdTokenContainsKid (OIDCC-10.1)");
  findings.require(header.alg === "RS256", "EnsureIdTokenSignatureIsRS256 (OIDCC-3.1.3.7)", header.alg);
  try {
    await compactVerify(jwt, createLocalJWKSet(expected.jwks));
  } catch (error) {
    findings.require(false, "ValidateIdTokenSignature", String(error));
  }
  const claims = payloadOf(jwt);
  const now = Math.floor(Date.now() / 1000);
  const skew = 5 * 60;
  findings.require(claims.iss === expected.issuer, "ValidateIdToken: iss", claims.iss);
  const aud = claims.aud;
  findings.require(Array.isArray(aud) ? aud.includes(expected.clientId) : aud === expected.clientId, "ValidateIdToken: aud", aud);
  // OpenID Connect Core §2: azp, when present, is the client the token was issued to.
  if (claims.azp !== undefined) findings.require(claims.azp === expected.clientId, "ValidateIdToken: azp", claims.azp);
  findings.require(typeof claims.exp === "number" && claims.exp > now - skew && claims.exp < now + 50 * 365 * 86400, "ValidateIdToken: exp", claims.exp);
  findings.require(typeof claims.iat === "number" && claims.iat <= now + skew && claims.iat >= now - skew, "ValidateIdToken: iat", claims.iat);
  if (claims.auth_time !== undefined) {
    findings.require(
      typeof claims.auth_time === "number" && claims.auth_time <= now + skew && claims.auth_time > now - 365 * 86400,
      "ValidateIdToken: auth_time",
      claims.auth_time,
    );
  }
  if (claims.acr !== undefined) findings.require(typeof claims.acr === "string" && claims.acr !== "", "ValidateIdToken: acr", claims.acr);
  findings.require(typeof claims.sub === "string" && claims.sub !== "", "CheckForSubjectInIdToken (OIDCC-2)");
  if (expected.nonce === undefined) findings.require(claims.nonce === undefined, "ValidateIdTokenNonce: no nonce was sent", claims.nonce);
  else findings.require(claims.nonce === expected.nonce, "ValidateIdTokenNonce (OIDCC-2)", claims.nonce);
  const identity = Object.fromEntries(Object.entries(claims).filter(([name]) => !idTokenProtocolClaims.includes(name) || name === "sub"));
  findings.require(standardClaimTypesValid(identity).length === 0, "ValidateIdTokenStandardClaims (OIDCC-5.1)", standardClaimTypesValid(identity));
  checkUpdatedAt(findings, claims, "IdToken");
  if (claims.at_hash !== undefined && expected.accessToken !== undefined) {
    findings.require(claims.at_hash === leftHalfHash(expected.accessToken), "ValidateAtHash (OIDCC-3.3.2.11)");
  }
  if (claims.c_hash !== undefined && expected.code !== undefined) findings.require(claims.c_hash === leftHalfHash(expected.code), "ValidateCHash (OIDCC-3.3.2.11)");
  if (expected.warnOnUnrequestedClaims === true) {
    findings.recommend(claims.name === undefined, "EnsureIdTokenDoesNotContainName (OIDCC-5.5)");
    const scopes = (expected.scope ?? "openid").split(" ");
    const allowed = new Set([...idTokenProtocolClaims, ...scopes.flatMap((scope) => scopeStandardClaims[scope] ?? [])]);
    const extra = Object.keys(claims).filter((name) => !allowed.has(name));
    findings.recommend(extra.length === 0, "EnsureIdTokenDoesNotContainNonRequestedClaims", extra);
  }
  return claims;
}

/** What the recording fetch saw of one HTTP exchange. */
export interface Exchange {
  url: string;
  method: string;
  status: number;
  headers: Headers;
  body: string;
}

/**
 * An openid-client Configuration whose HTTP traffic is recorded (openid-client's customFetch),
 * so the suite's checks on status codes, content types and cache headers can read the raw answers.
 */
export interface RecordingRp {
  config: oidc.Configuration;
  client: OidcClientConfig;
  exchanges: Exchange[];
  /** The newest exchange with a URL under this path. */
  last(pathname: string): Exchange;
  jwks: JSONWebKeySet;
  metadata: oidc.ServerMetadata;
}

export async function recordingRp(stack: TestStack, client: OidcClientConfig = testClients.confidential, auth?: oidc.ClientAuth): Promise<RecordingRp> {
  const config = await discover(stack, client, auth);
  const exchanges: Exchange[] = [];
  config[oidc.customFetch] = async (url, options) => {
    const response = await fetch(url, options as RequestInit);
    const body = await response.clone().text();
    exchanges.push({ url, method: options.method, status: response.status, headers: response.headers, body });
    return response;
  };
  const metadata = config.serverMetadata();
  const jwks = (await (await fetch(metadata.jwks_uri!)).json()) as JSONWebKeySet;
  return {
    config,
    client,
    exchanges,
    jwks,
    metadata,
    last(pathname) {
      const found = [...exchanges].reverse().find((exchange) => new URL(exchange.url).pathname === pathname);
      if (found === undefined) throw new Error(`no exchange with ${pathname}`);
      return found;
    },
  };
}

/** The suite's base authorization request: response_type=code, scope=openid, state, nonce (no PKCE). */
export interface SuiteRequest {
  url: URL;
  state: string;
  nonce: string | undefined;
  scope: string;
  verifier?: string;
}

export function suiteRequest(rp: RecordingRp, extra: Record<string, string | undefined> = {}, options: { withoutNonce?: boolean } = {}): SuiteRequest {
  // The suite's states and nonces are random strings of RFC 6749 Appendix A characters.
  const state = oidc.randomState();
  const nonce = options.withoutNonce === true ? undefined : oidc.randomNonce();
  const params: Record<string, string> = {
    redirect_uri: rp.client.redirectUris[0]!,
    scope: "openid",
    state,
    ...(nonce === undefined ? {} : { nonce }),
  };
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete params[name];
    else params[name] = value;
  }
  const url = oidc.buildAuthorizationUrl(rp.config, params);
  // openid-client always adds client_id and response_type: a module that leaves one out removes it here.
  for (const [name, value] of Object.entries(extra)) if (value === undefined) url.searchParams.delete(name);
  return { url, state: params.state ?? state, nonce: params.nonce ?? nonce, scope: params.scope ?? "openid" };
}

export interface SuiteTokens {
  request: SuiteRequest;
  callback: URL;
  code: string;
  tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;
  idToken: string;
  claims: Record<string, unknown>;
}

/**
 * The front channel (signing in when asked) and the code exchange, then the checks every module
 * runs on the way: the authorization response (state, iss, code length), the token response
 * (200 JSON, no-store, Bearer, expires_in) and the ID token.
 */
export async function suiteCodeFlow(
  stack: TestStack,
  findings: Findings,
  rp: RecordingRp,
  browser: HttpClient,
  user: TestUser | undefined,
  request: SuiteRequest,
  options: { warnOnUnrequestedClaims?: boolean; maxAge?: number } = {},
): Promise<SuiteTokens> {
  const callback = await authorizeInBrowser(stack, browser, request.url, user);
  return exchangeCode(findings, rp, request, callback, options);
}

export async function exchangeCode(
  findings: Findings,
  rp: RecordingRp,
  request: SuiteRequest,
  callback: URL,
  options: { warnOnUnrequestedClaims?: boolean; maxAge?: number } = {},
): Promise<SuiteTokens> {
  checkAuthorizationSuccess(findings, rp, callback, request.state);
  const code = callback.searchParams.get("code") ?? "";
  const tokens = await oidc.authorizationCodeGrant(rp.config, callback, {
    expectedState: request.state,
    ...(request.nonce === undefined ? {} : { expectedNonce: request.nonce }),
    ...(request.verifier === undefined ? {} : { pkceCodeVerifier: request.verifier }),
    ...(options.maxAge === undefined ? {} : { maxAge: options.maxAge }),
    idTokenExpected: true,
  });
  checkTokenResponse(findings, rp.last("/oidc/token"));
  const idToken = tokens.id_token ?? "";
  findings.require(idToken !== "", "ExtractIdTokenFromTokenResponse (OIDCC-3.1.3.3)");
  const claims = await checkIdToken(findings, idToken, {
    issuer: rp.metadata.issuer,
    clientId: rp.client.clientId,
    jwks: rp.jwks,
    nonce: request.nonce,
    accessToken: tokens.access_token,
    code,
    scope: request.scope,
    warnOnUnrequestedClaims: options.warnOnUnrequestedClaims,
  });
  return { request, callback, code, tokens, idToken, claims };
}

/** CheckMatchingCallbackParameters, ValidateIssIfPresentInAuthorizationResponse, CheckStateInAuthorizationResponse, EnsureMinimumAuthorizationCodeLength/Entropy. */
export function checkAuthorizationSuccess(findings: Findings, rp: RecordingRp, callback: URL, state: string): void {
  const params = callback.searchParams;
  findings.require(params.get("error") === null, "CheckIfAuthorizationEndpointError", params.get("error"));
  findings.require(params.get("state") === state, "CheckStateInAuthorizationResponse");
  findings.require(params.get("iss") === null || params.get("iss") === rp.metadata.issuer, "ValidateIssIfPresentInAuthorizationResponse (RFC 9207)");
  const code = params.get("code") ?? "";
  // RFC 6749 §10.10: at least 128 bits; the suite asks for 22 characters and their entropy.
  findings.require(code.length >= 22, "EnsureMinimumAuthorizationCodeLength (RFC6749-10.10)", code.length);
  findings.require(new Set(code).size >= 16, "EnsureMinimumAuthorizationCodeEntropy (RFC6749-10.10)");
}

/** CheckTokenEndpointHttpStatus200, CheckTokenEndpointReturnedJsonContentType, CheckTokenEndpointCacheHeaders, token_type, expires_in (RFC 6749 §5.1). */
export function checkTokenResponse(findings: Findings, exchange: Exchange): Record<string, unknown> {
  findings.require(exchange.status === 200, "CheckTokenEndpointHttpStatus200", exchange.status);
  findings.require(/^application\/json/.test(exchange.headers.get("content-type") ?? ""), "CheckTokenEndpointReturnedJsonContentType (RFC6749-5.1)");
  findings.require(
    (exchange.headers.get("cache-control") ?? "").includes("no-store"),
    "CheckTokenEndpointCacheHeaders (RFC6749-5.1)",
    exchange.headers.get("cache-control"),
  );
  const body = JSON.parse(exchange.body) as Record<string, unknown>;
  findings.require(typeof body.access_token === "string" && body.access_token !== "", "CheckForAccessTokenValue");
  findings.require(String(body.token_type).toLowerCase() === "bearer", "CheckTokenTypeIsBearer", body.token_type);
  findings.recommend(typeof body.expires_in === "number", "ExtractExpiresInFromTokenEndpointResponse (RFC6749-5.1)");
  if (body.expires_in !== undefined) findings.require(typeof body.expires_in === "number" && body.expires_in > 0, "ValidateExpiresIn (RFC6749-5.1)");
  if (typeof body.access_token === "string") {
    // RFC 6749 Appendix A.12: VSCHAR only.
    findings.require(/^[\x20-\x7e]+$/.test(body.access_token), "EnsureAccessTokenContainsAllowedCharactersOnly (RFC6749-A.12)");
  }
  if (typeof body.refresh_token === "string")
    findings.require(/^[\x20-\x7e]+$/.test(body.refresh_token), "EnsureRefreshTokenContainsAllowedCharactersOnly (RFC6749-A.17)");
  return body;
}

/** RFC 6749 §5.2 as the suite checks a refused token request (CheckTokenEndpointHttpStatus400, invalid_grant, error_description syntax). */
export function checkTokenError(findings: Findings, exchange: { status: number; headers: Headers; body: string }, error = "invalid_grant"): void {
  findings.require(exchange.status === 400, "CheckTokenEndpointHttpStatus400 (OIDCC-3.1.3.4)", exchange.status);
  findings.require(/^application\/json/.test(exchange.headers.get("content-type") ?? ""), "CheckTokenEndpointReturnedJsonContentType (OIDCC-3.1.3.4)");
  const body = JSON.parse(exchange.body) as Record<string, unknown>;
  findings.require(body.error === error, `CheckErrorFromTokenEndpointResponseError: ${error} (RFC6749-5.2)`, body.error);
  checkErrorDescription(findings, body.error_description, "token endpoint");
  if (body.error_uri !== undefined) findings.require(typeof body.error_uri === "string", "ValidateErrorUriFromTokenEndpointResponseError");
}

function checkErrorDescription(findings: Findings, description: unknown, where: string): void {
  if (description === undefined) return;
  const text = String(description);
  // RFC 6749 §4.1.2.1 / §5.2: NQCHAR-like set (%x20-21 / %x23-5B / %x5D-7E).
  findings.recommend(!/[\r\n\t]/.test(text), `error_description from the ${where} contains CR, LF or TAB`);
  const allowed = [...text].every((char) => {
    const code = char.charCodeAt(0);
    return code === 0x09 || code === 0x0a || code === 0x0d || (code >= 0x20 && code <= 0x7e && code !== 0x22 && code !== 0x5c);
  });
  findings.require(text !== "" && allowed, `ValidateErrorDescription (${where}, RFC6749-4.1.2.1)`, text);
}

/** performGenericAuthorizationEndpointErrorResponseValidation: state, iss, an error and no code, only the expected parameters. */
export function checkAuthorizationError(
  findings: Findings,
  rp: RecordingRp,
  location: string | undefined,
  state: string | undefined,
  allowedErrors: readonly string[],
): Record<string, string> {
  findings.require(location !== undefined, "the authorization server redirected back with an error");
  if (location === undefined) return {};
  const url = new URL(location);
  const params = Object.fromEntries(url.searchParams);
  findings.require(url.origin + url.pathname === rp.client.redirectUris[0], "the error went to the registered redirect_uri", url.origin + url.pathname);
  findings.require(params.state === state, "CheckStateInAuthorizationResponse", params.state);
  findings.require(params.iss === undefined || params.iss === rp.metadata.issuer, "ValidateIssIfPresentInAuthorizationResponse (RFC 9207)");
  findings.require(params.error !== undefined, "EnsureErrorFromAuthorizationEndpointResponse (OIDCC-3.1.2.6)");
  findings.require(params.code === undefined, "RejectAuthCodeInAuthorizationEndpointResponse (OIDCC-3.1.2.6)");
  const unexpected = Object.keys(params).filter((name) => !["error", "error_description", "error_uri", "state", "session_state", "iss"].includes(name));
  findings.recommend(unexpected.length === 0, "CheckForUnexpectedParametersInErrorResponseFromAuthorizationEndpoint (OIDCC-3.1.2.6)", unexpected);
  checkErrorDescription(findings, params.error_description, "authorization endpoint");
  findings.require(allowedErrors.includes(params.error ?? ""), `the error is one of ${allowedErrors.join(", ")}`, params.error);
  return params;
}

/**
 * AbstractOIDCCUserInfoTest / AbstractOIDCCReturnedClaimsServerTest: 200 JSON, standard claim
 * types, `sub` present and equal to the ID token's (OpenID Connect Core §5.3.2), and (WARNING)
 * every standard claim of each requested scope (VerifyScopesReturnedInUserInfoClaims, §5.4).
 */
export function checkUserInfo(
  findings: Findings,
  exchange: { status: number; headers: Headers; body: string },
  idTokenSub: unknown,
  scope: string | undefined,
): Record<string, unknown> {
  findings.require(exchange.status === 200, "EnsureHttpStatusCodeIs200 (userinfo)", exchange.status);
  findings.require(/^application\/json/.test(exchange.headers.get("content-type") ?? ""), "EnsureContentTypeJson (OIDCC-5.3.2)");
  let claims: Record<string, unknown> = {};
  try {
    claims = JSON.parse(exchange.body) as Record<string, unknown>;
  } catch {
    findings.require(false, "ExtractUserInfoFromUserInfoEndpointResponse");
  }
  findings.require(standardClaimTypesValid(claims).length === 0, "ValidateUserInfoStandardClaims (OIDCC-5.1)", standardClaimTypesValid(claims));
  findings.require(typeof claims.sub === "string", "EnsureUserInfoContainsSub (OIDCC-5.3.2)");
  checkUpdatedAt(findings, claims, "UserInfo");
  findings.require(claims.sub === idTokenSub, "VerifyUserInfoAndIdTokenInTokenEndpointSameSub (OIDCC-5.3.2)");
  if (scope !== undefined) {
    const expected = scope.split(" ").flatMap((name) => scopeStandardClaims[name] ?? []);
    const missing = expected.filter((name) => !(name in claims));
    findings.recommend(missing.length === 0, "VerifyScopesReturnedInUserInfoClaims (OIDCC-5.4)", missing);
  }
  return claims;
}

/** A raw HTTP call recorded like openid-client's. */
export async function recordedFetch(url: string | URL, init: RequestInit = {}): Promise<Exchange> {
  const response = await fetch(url, { redirect: "manual", ...init });
  return { url: String(url), method: init.method ?? "GET", status: response.status, headers: response.headers, body: await response.text() };
}
