import { createPublicKey } from "node:crypto";
import { AlbJwtVerifier, JwtVerifier } from "aws-jwt-verify";
import { AlbJwksCache } from "aws-jwt-verify/alb-cache";
import {
  AlbJwtInvalidClientIdError,
  AlbJwtInvalidSignerError,
  FetchError,
  JwkInvalidKtyError,
  JwkInvalidUseError,
  JwksValidationError,
  JwkValidationError,
  JwtExpiredError,
  JwtInvalidIssuerError,
  JwtInvalidSignatureAlgorithmError,
  JwtInvalidSignatureError,
  JwtNotBeforeError,
  JwtParseError,
  JwtWithoutValidKidError,
  KidNotFoundInJwksError,
  NonRetryableFetchError,
  WaitPeriodNotYetEndedJwkError,
} from "aws-jwt-verify/error";
import type { Fetcher } from "aws-jwt-verify/https";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";
import type { AlbJwtPayload, JwtPayload } from "aws-jwt-verify/jwt-model";
import type { ApiErrorCode } from "../../common/api-contract";

/**
 * Verification of the headers an AWS Application Load Balancer adds after its authenticate-cognito
 * action (AWS ELB guide, "Authenticate users using an Application Load Balancer" → "User claims
 * encoding and signature verification"):
 *
 * - `x-amzn-oidc-data`: user claims, an ES256 JWT signed by the ALB. The public key is fetched by
 *   `kid` from the region's endpoint `https://public-keys.auth.elb.<region>.amazonaws.com/<kid>`
 *   (PEM). Every ALB of the region signs with those keys, so the header's `signer` must be OUR
 *   load balancer's ARN and `client` our app client, or another account's ALB could sign users in.
 *   ALB tokens are base64url WITH padding, which RFC 7515 forbids and most JWT libraries reject;
 *   aws-jwt-verify's AlbJwtVerifier accepts it (its JWT pattern allows up to two "=" per part).
 * - `x-amzn-oidc-accesstoken`: the Cognito access token, verified against the pool's JWKS with the
 *   checks Cognito prescribes (Cognito DG, "Verifying a JSON Web Token": signature, `exp`, `iss`,
 *   `token_use` = access, `client_id`).
 * - `x-amzn-oidc-identity`: the user's `sub`, which must agree with both tokens.
 *
 * Nothing unverified is returned, and no token or claim is logged here.
 */

export const albAuthFailureReasons = [
  "missing_headers",
  "malformed_token",
  "invalid_signature",
  "wrong_signer",
  "wrong_client",
  "wrong_issuer",
  "not_an_access_token",
  "expired",
  "identity_mismatch",
  "key_endpoint_unavailable",
] as const;
export type AlbAuthFailureReason = (typeof albAuthFailureReasons)[number];

/** Which header's token failed, when the failure belongs to one. */
export type AlbToken = "oidc_data" | "access_token";

const messages: Record<AlbAuthFailureReason, string> = {
  missing_headers: "The load balancer's sign-in headers are missing.",
  malformed_token: "The load balancer's sign-in headers are malformed.",
  invalid_signature: "The sign-in token's signature is not valid.",
  wrong_signer: "The sign-in token was not signed by the expected load balancer.",
  wrong_client: "The sign-in token was issued to another app client.",
  wrong_issuer: "The sign-in token comes from another issuer.",
  not_an_access_token: "The access token header does not carry an access token.",
  expired: "The sign-in has expired.",
  identity_mismatch: "The sign-in headers describe different users.",
  key_endpoint_unavailable: "The keys needed to check the sign-in cannot be fetched right now.",
};

/**
 * Why a request's ALB headers were refused. `status` is 503 only when a key endpoint could not be
 * reached (the request may be fine; retrying later may work), 401 otherwise; `code` is the BFF
 * contract's error code and `message` is safe to show (it never quotes a token or a claim).
 */
export class AlbAuthError extends Error {
  readonly status: 401 | 503;
  readonly code: Extract<ApiErrorCode, "unauthenticated" | "service_unavailable">;
  readonly expose = true;

  constructor(
    readonly reason: AlbAuthFailureReason,
    readonly token?: AlbToken,
    options?: { cause?: unknown },
  ) {
    super(messages[reason], options);
    this.name = "AlbAuthError";
    this.status = reason === "key_endpoint_unavailable" ? 503 : 401;
    this.code = this.status === 503 ? "service_unavailable" : "unauthenticated";
  }
}

export interface AlbRequestVerifierOptions {
  /** The ALB(s) whose signature is accepted (`signer` in the token header). */
  albArn: string | readonly string[];
  /** The app client of the authenticate-cognito action (`client` header, access token `client_id`). */
  clientId: string;
  region: string;
  /** The pool's issuer; defaults to `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`. */
  issuer?: string;
  userPoolId?: string;
  /** ALB public-key endpoint (`<endpoint>/<kid>` serves a PEM); default: the region's, from the ARN. */
  albKeysEndpoint?: string;
  /** The pool's JWKS; default `<issuer>/.well-known/jwks.json`. */
  cognitoJwksUri?: string;
  /** Clock skew tolerated on `exp`, in seconds (default 0). */
  graceSeconds?: number;
  /** Time limit of one key fetch, in milliseconds (default 3000). */
  fetchTimeoutMs?: number;
  /** ALB key fetches allowed per minute, for kids not cached (default 10); beyond, 503 until the minute ends. */
  keyFetchesPerMinute?: number;
}

/** Verified claims of one request. */
export interface AlbVerifiedRequest {
  /** The user claims of `x-amzn-oidc-data` (Cognito's userInfo, relayed and signed by the ALB). */
  oidcData: AlbJwtPayload;
  /** The claims of the verified Cognito access token. */
  accessToken: JwtPayload;
  /** The user's `sub`, equal in all three headers. */
  identity: string;
  /** The verified access token itself, for the userInfo call only: never send it to a browser or a log. */
  rawAccessToken: string;
}

/** Headers as Node/Express give them (lowercase names); a plain record works too. */
export type AlbRequestHeaders = Record<string, string | readonly string[] | undefined>;

export interface AlbRequestVerifier {
  /** Resolves with the verified claims, or rejects with an AlbAuthError. */
  verify(headers: AlbRequestHeaders): Promise<AlbVerifiedRequest>;
}

// ---- key fetching ---------------------------------------------------------------------------

/** The key endpoint answered that it has no such key: the token names a key nobody published. */
class KeyNotPublishedError extends NonRetryableFetchError {}
/** The key endpoint could not be reached, timed out, failed, or answered something unusable. */
class KeyEndpointDownError extends FetchError {}

const MAX_KEY_RESPONSE_BYTES = 64 * 1024;

/**
 * aws-jwt-verify's default fetcher speaks https only and reports every status alike; this one also
 * reaches a local http endpoint (the local ALB stand-in, the emulator's JWKS) and tells "no such
 * key" (a 4xx for one kid at the ALB endpoint: the token is forged → 401) from "endpoint down"
 * (network error, timeout, 5xx, a broken body → 503).
 */
function keyFetcher(options: { timeoutMs: number; perKidEndpoint: boolean; validate?: (body: ArrayBuffer) => void }): Fetcher {
  return {
    async fetch(uri: string): Promise<ArrayBuffer> {
      let response: Response;
      try {
        response = await fetch(uri, { signal: AbortSignal.timeout(options.timeoutMs), redirect: "error" });
      } catch (cause) {
        // Stryker disable next-line StringLiteral: fetch rejects with Errors only (TypeError, DOMException)
        throw new KeyEndpointDownError(uri, cause instanceof Error ? cause.message : "request failed");
      }
      const { status } = response;
      if (status !== 200) {
        await response.body?.cancel().catch(() => undefined);
        // 408/429 are the endpoint's trouble, not the token's.
        if (options.perKidEndpoint && status >= 400 && status < 500 && status !== 408 && status !== 429) {
          throw new KeyNotPublishedError(uri, `status ${status}`);
        }
        throw new KeyEndpointDownError(uri, `status ${status}`);
      }
      let body: ArrayBuffer;
      try {
        body = await response.arrayBuffer();
      } catch (cause) {
        // Stryker disable next-line StringLiteral: a body read rejects with Errors only
        throw new KeyEndpointDownError(uri, cause instanceof Error ? cause.message : "body not received");
      }
      if (body.byteLength > MAX_KEY_RESPONSE_BYTES) throw new KeyEndpointDownError(uri, "response too large");
      try {
        options.validate?.(body);
      } catch {
        throw new KeyEndpointDownError(uri, "response is not a usable key");
      }
      return body;
    },
  };
}

/** How long a kid the endpoint said it does not publish is refused without asking again. */
const unpublishedKidMemoryMs = 10 * 60 * 1000;
/** Unpublished kids remembered at most (the oldest is forgotten first). */
const maxRememberedUnpublishedKids = 1000;

/**
 * The kid is read from the token's header before anything is verified, so anyone who can reach the
 * BFF chooses which key it fetches. Without a bound, every request naming a new kid would cost an
 * outbound fetch (and tokens naming other ALBs' real keys would push ours out of the library's
 * two-key cache). Bounded here: a kid the endpoint does not publish is refused from memory for a
 * while, and at most `perMinute` fetches of uncached kids run per minute — beyond that the
 * answer is 503 (the keys cannot be fetched right now), never a guess. Our own key, once cached,
 * needs no fetch and is not affected.
 */
function boundedKeyFetches(inner: Fetcher, perMinute: number): Fetcher {
  const unpublished = new Map<string, number>();
  let windowStartedAt = 0;
  let fetchesInWindow = 0;
  return {
    async fetch(uri, ...rest) {
      const now = Date.now();
      const refusedUntil = unpublished.get(uri);
      if (refusedUntil !== undefined && refusedUntil > now) throw new KeyNotPublishedError(uri, "kid not published (remembered)");
      unpublished.delete(uri);
      if (now - windowStartedAt >= 60_000) {
        windowStartedAt = now;
        fetchesInWindow = 0;
      }
      if (fetchesInWindow >= perMinute) throw new KeyEndpointDownError(uri, "too many key fetches this minute");
      fetchesInWindow += 1;
      try {
        return await inner.fetch(uri, ...rest);
      } catch (error) {
        if (error instanceof KeyNotPublishedError) {
          if (unpublished.size >= maxRememberedUnpublishedKids) unpublished.delete(unpublished.keys().next().value!);
          unpublished.set(uri, now + unpublishedKidMemoryMs);
        }
        throw error;
      }
    },
  };
}

/** The ALB endpoint serves one PEM per kid; ALB tokens are ECDSA P-256 (ES256), nothing else. */
function assertP256PublicKeyPem(body: ArrayBuffer): void {
  const key = createPublicKey({ key: Buffer.from(body), format: "pem" });
  // Stryker disable next-line OptionalChaining: Node gives every public key its asymmetricKeyDetails
  if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "prime256v1") {
    // Stryker disable next-line StringLiteral: the caller replaces this error with its own ("not a usable key")
    throw new Error("not an EC P-256 public key");
  }
}

// ---- error mapping --------------------------------------------------------------------------

function toAlbAuthError(error: unknown, token: AlbToken): unknown {
  // Stryker disable next-line ConditionalExpression: an AlbAuthError matches none of the checks below and is returned as is at the end too
  if (error instanceof AlbAuthError) return error;
  const fail = (reason: AlbAuthFailureReason) => new AlbAuthError(reason, token, { cause: error });
  // Order matters: the specific fetch errors extend the library's FetchError.
  if (error instanceof KeyNotPublishedError) return fail("invalid_signature");
  if (error instanceof FetchError || error instanceof JwksValidationError || error instanceof JwkValidationError) {
    return fail("key_endpoint_unavailable");
  }
  if (error instanceof AlbJwtInvalidSignerError) return fail("wrong_signer");
  if (error instanceof AlbJwtInvalidClientIdError) return fail("wrong_client");
  if (error instanceof JwtInvalidIssuerError) return fail("wrong_issuer");
  if (error instanceof JwtExpiredError || error instanceof JwtNotBeforeError) return fail("expired");
  if (
    error instanceof JwtInvalidSignatureError ||
    error instanceof JwtInvalidSignatureAlgorithmError ||
    error instanceof KidNotFoundInJwksError ||
    error instanceof WaitPeriodNotYetEndedJwkError ||
    error instanceof JwkInvalidUseError ||
    error instanceof JwkInvalidKtyError
  ) {
    return fail("invalid_signature");
  }
  if (error instanceof JwtParseError || error instanceof JwtWithoutValidKidError) return fail("malformed_token");
  // Anything else (a ParameterValidationError, a bug) is a server fault, not the caller's.
  return error;
}

function singleHeader(headers: AlbRequestHeaders, name: string): string | undefined {
  let value = headers[name];
  if (value === undefined) {
    const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
    value = key === undefined ? undefined : headers[key];
  }
  if (Array.isArray(value)) value = value.length === 1 ? value[0] : undefined;
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

function requireExp(payload: { exp?: unknown }, token: AlbToken): void {
  // aws-jwt-verify checks `exp` only when present; a token without one would never expire.
  if (typeof payload.exp !== "number") throw new AlbAuthError("expired", token);
}

// ---- the verifier ---------------------------------------------------------------------------

/**
 * Builds a verifier for one ALB set-up. Throws at once when the options are unusable (no issuer
 * or pool id, an ARN that is not an ALB's); keys are fetched lazily and cached per kid / JWKS,
 * ALB key fetches bounded (boundedKeyFetches).
 */
export function createAlbRequestVerifier(options: AlbRequestVerifierOptions): AlbRequestVerifier {
  const issuer = options.issuer ?? (options.userPoolId === undefined ? undefined : `https://cognito-idp.${options.region}.amazonaws.com/${options.userPoolId}`);
  if (issuer === undefined) throw new TypeError("createAlbRequestVerifier: issuer or userPoolId is required");
  const timeoutMs = options.fetchTimeoutMs ?? 3000;
  const graceSeconds = options.graceSeconds ?? 0;
  const clientId = options.clientId;

  const oidcDataVerifier = AlbJwtVerifier.create(
    {
      // Stryker disable next-line ConditionalExpression: the library takes a string or an array alike; the copy only drops readonly
      albArn: typeof options.albArn === "string" ? options.albArn : [...options.albArn],
      issuer,
      clientId,
      graceSeconds,
      ...(options.albKeysEndpoint === undefined ? {} : { jwksUri: options.albKeysEndpoint.replace(/\/+$/, "") }),
      customJwtCheck: ({ payload }) => requireExp(payload, "oidc_data"),
    },
    {
      jwksCache: new AlbJwksCache({
        fetcher: boundedKeyFetches(keyFetcher({ timeoutMs, perKidEndpoint: true, validate: assertP256PublicKeyPem }), options.keyFetchesPerMinute ?? 10),
      }),
    },
  );

  const accessTokenVerifier = JwtVerifier.create(
    {
      issuer,
      // Cognito access tokens carry `client_id`, not `aud`; checked below instead.
      audience: null,
      jwksUri: options.cognitoJwksUri ?? `${issuer.replace(/\/+$/, "")}/.well-known/jwks.json`,
      graceSeconds,
      customJwtCheck: ({ payload }) => {
        requireExp(payload, "access_token");
        if (payload.token_use !== "access") throw new AlbAuthError("not_an_access_token", "access_token");
        if (payload.client_id !== clientId) throw new AlbAuthError("wrong_client", "access_token");
      },
    },
    { jwksCache: new SimpleJwksCache({ fetcher: keyFetcher({ timeoutMs, perKidEndpoint: false }) }) },
  );

  return {
    async verify(headers) {
      const oidcDataJwt = singleHeader(headers, "x-amzn-oidc-data");
      const accessTokenJwt = singleHeader(headers, "x-amzn-oidc-accesstoken");
      const identity = singleHeader(headers, "x-amzn-oidc-identity");
      if (oidcDataJwt === undefined || accessTokenJwt === undefined || identity === undefined) {
        throw new AlbAuthError("missing_headers");
      }

      let oidcData: AlbJwtPayload;
      try {
        oidcData = await oidcDataVerifier.verify(oidcDataJwt);
      } catch (error) {
        throw toAlbAuthError(error, "oidc_data");
      }
      let accessToken: JwtPayload;
      try {
        accessToken = await accessTokenVerifier.verify(accessTokenJwt);
      } catch (error) {
        throw toAlbAuthError(error, "access_token");
      }

      if (typeof oidcData.sub !== "string" || oidcData.sub !== identity || accessToken.sub !== identity) {
        throw new AlbAuthError("identity_mismatch");
      }
      return { oidcData, accessToken, identity, rawAccessToken: accessTokenJwt };
    },
  };
}
