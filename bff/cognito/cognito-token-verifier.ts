import { CognitoJwtVerifier, JwtVerifier } from "aws-jwt-verify";
import { FetchError, JwksNotAvailableInCacheError } from "aws-jwt-verify/error";
import type { Fetcher } from "aws-jwt-verify/https";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";
import type { JwtPayload } from "aws-jwt-verify/jwt-model";
import type { CognitoSettings } from "../config";
import { ApiError } from "../errors";

/**
 * Verifies Cognito's ID and access tokens with aws-jwt-verify: signature against the pool's
 * JWKS, `iss`, `exp`, `token_use`, and the app client (`aud` on ID tokens, `client_id` on
 * access tokens — Cognito developer guide, "Verifying a JSON Web Token").
 */

export type VerifiedClaims = Record<string, unknown>;

/** The token itself is not acceptable (expired, bad signature, wrong issuer, client or use). */
export class InvalidTokenError extends Error {
  constructor(readonly reason: string) {
    super(`Invalid Cognito token: ${reason}`);
    this.name = "InvalidTokenError";
  }
}

export interface CognitoTokenVerifier {
  verifyIdToken(token: string): Promise<VerifiedClaims>;
  verifyAccessToken(token: string): Promise<VerifiedClaims>;
  /** Resolves when the pool's JWKS answers (readiness). */
  ping(): Promise<void>;
}

const fetchTimeoutMs = 5_000;

/**
 * aws-jwt-verify's own fetcher speaks https only; the emulator is plain http on localhost (aws mode
 * refuses a plain-http JWKS address elsewhere: bff/config/server-settings.ts). Redirects are not
 * followed, so an https address cannot hand the key fetch on to plain http or another host.
 */
const webFetcher: Fetcher = {
  async fetch(uri) {
    let response: Response;
    try {
      response = await fetch(uri, { signal: AbortSignal.timeout(fetchTimeoutMs), headers: { accept: "application/json" }, redirect: "error" });
    } catch (error) {
      // Stryker disable next-line StringLiteral: fetch rejects with Errors only (TypeError, DOMException)
      throw new FetchError(uri, error instanceof Error ? error.message : "request failed");
    }
    if (response.status !== 200) throw new FetchError(uri, `JWKS request answered ${response.status}`);
    return response.arrayBuffer();
  },
};

/** Keys we cannot fetch are our outage (503); anything else is the token's fault. */
async function verified(run: () => Promise<JwtPayload>): Promise<VerifiedClaims> {
  try {
    return { ...(await run()) } as VerifiedClaims;
  } catch (error) {
    if (error instanceof FetchError || error instanceof JwksNotAvailableInCacheError || (error instanceof Error && error.name === "TimeoutError")) {
      throw new ApiError(503, "service_unavailable", "Sign-in is temporarily unavailable. Try again shortly.", { expose: true, cause: error });
    }
    throw new InvalidTokenError(refusalReason(error));
  }
}

/** What the log says failed: aws-jwt-verify's errors keep Error's `name`, so their class names it (JwtExpiredError, …). */
function refusalReason(error: unknown): string {
  // Stryker disable next-line StringLiteral: aws-jwt-verify and the checks below reject with Errors only
  if (!(error instanceof Error)) return "unknown";
  return error.name === "Error" ? error.constructor.name : error.name;
}

export function createCognitoTokenVerifier(settings: CognitoSettings): CognitoTokenVerifier {
  const jwksCache = new SimpleJwksCache({ fetcher: webFetcher });
  let verifyId: (token: string) => Promise<JwtPayload>;
  let verifyAccess: (token: string) => Promise<JwtPayload>;

  if (settings.awsIssuer) {
    // CognitoJwtVerifier derives the JWKS address from the pool id and ignores a jwksUri property,
    // so the configured address (COGNITO_JWKS_URI) is honoured here, in the fetcher.
    const derivedJwksUri = `${settings.issuer}/.well-known/jwks.json`;
    const poolJwksCache = new SimpleJwksCache({ fetcher: { fetch: (uri) => webFetcher.fetch(uri === derivedJwksUri ? settings.jwksUri : uri) } });
    const idVerifier = CognitoJwtVerifier.create({ userPoolId: settings.userPoolId, tokenUse: "id", clientId: settings.clientId }, { jwksCache: poolJwksCache });
    const accessVerifier = CognitoJwtVerifier.create({ userPoolId: settings.userPoolId, tokenUse: "access", clientId: settings.clientId }, { jwksCache: poolJwksCache });
    verifyId = (token) => idVerifier.verify(token);
    verifyAccess = (token) => accessVerifier.verify(token);
  } else {
    // The emulator (or a custom issuer): the same checks, spelled out for a generic issuer.
    const idVerifier = JwtVerifier.create(
      {
        issuer: settings.issuer,
        jwksUri: settings.jwksUri,
        audience: settings.clientId,
        customJwtCheck: ({ payload }) => {
          if (payload.token_use !== "id") {
            // Stryker disable next-line StringLiteral: only the error's name reaches InvalidTokenError, never its message
            throw new Error("Not an ID token");
          }
        },
      },
      { jwksCache },
    );
    const accessVerifier = JwtVerifier.create(
      {
        issuer: settings.issuer,
        jwksUri: settings.jwksUri,
        audience: null, // Cognito access tokens carry client_id, not aud
        customJwtCheck: ({ payload }) => {
          if (payload.token_use !== "access") {
            // Stryker disable next-line StringLiteral: only the error's name reaches InvalidTokenError, never its message
            throw new Error("Not an access token");
          }
          if (payload.client_id !== settings.clientId) {
            // Stryker disable next-line StringLiteral: only the error's name reaches InvalidTokenError, never its message
            throw new Error("Access token for another app client");
          }
        },
      },
      { jwksCache },
    );
    verifyId = (token) => idVerifier.verify(token);
    verifyAccess = (token) => accessVerifier.verify(token);
  }

  return {
    verifyIdToken: (token) => verified(() => verifyId(token)),
    verifyAccessToken: (token) => verified(() => verifyAccess(token)),
    async ping() {
      await webFetcher.fetch(settings.jwksUri);
    },
  };
}
