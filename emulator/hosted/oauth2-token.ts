import { createHash, timingSafeEqual } from "node:crypto";
import express, { type NextFunction, type Request, type Response, type Router } from "express";
import type { AppClientConfig } from "../../common/local-config";
import type { PoolContext } from "../pool";
import type { AuthorizationCodes } from "./oauth2-codes";

/**
 * `POST /oauth2/token` (AWS DG, "The token endpoint"): the authorization_code grant of the
 * managed login (RFC 6749 §4.1.3) and the refresh_token grant (§6). Confidential clients
 * authenticate with their secret, by HTTP Basic or in the body (§2.3.1); errors are §5.2's
 * `{"error": …}` with status 400, as Cognito answers them. The ID token comes only with the
 * `openid` scope, carries `at_hash` and, after an authorization request with one, its `nonce`.
 *
 * `POST /oauth2/revoke` (AWS DG, "The token revocation endpoint"; RFC 7009): the same client
 * authentication, then the refresh token and every token issued from it are revoked.
 */

type TokenError = "invalid_request" | "invalid_client" | "invalid_grant" | "unauthorized_client" | "unsupported_grant_type" | "unsupported_token_type";

class TokenEndpointError extends Error {
  constructor(
    readonly error: TokenError,
    readonly status = 400,
  ) {
    super(error);
  }
}

const fail = (error: TokenError, status?: number): never => {
  throw new TokenEndpointError(error, status);
};

function noStore(res: Response): Response {
  // RFC 6749 §5.1: token responses must not be cached.
  return res.set({ "Cache-Control": "no-store", Pragma: "no-cache" });
}

const sameSecret = (given: string, expected: string) => {
  // Compare digests, so neither the length nor the content leaks through timing.
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
};

/** RFC 6749 §2.3.1: the Basic credentials are form-urlencoded before base64. */
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return fail("invalid_client");
  }
}

function basicCredentials(req: Request): { id: string; secret: string } | undefined {
  const header = req.get("authorization");
  if (header === undefined) return undefined;
  const match = /^Basic ([A-Za-z0-9+/]+={0,2})$/i.exec(header.trim());
  if (match === null) return fail("invalid_client");
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return fail("invalid_client");
  return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
}

/** Authenticates the client: its secret when it has one, and one method only (RFC 6749 §2.3). */
function authenticateClient(ctx: PoolContext, req: Request, body: Record<string, string | undefined>, invalidClientStatus = 400): AppClientConfig {
  const refuse = () => fail("invalid_client", invalidClientStatus);
  const basic = basicCredentials(req);
  if (basic !== undefined && body.client_secret !== undefined) fail("invalid_request");
  if (basic !== undefined && body.client_id !== undefined && body.client_id !== basic.id) refuse();
  const clientId = basic?.id ?? body.client_id;
  const secret = basic?.secret ?? body.client_secret;
  if (clientId === undefined) return refuse();
  const client = ctx.pool.clients.find((candidate) => candidate.clientId === clientId);
  if (client === undefined) return refuse();
  if (client.clientSecret === undefined ? secret !== undefined && secret !== "" : secret === undefined || !sameSecret(secret, client.clientSecret)) {
    refuse();
  }
  return client;
}

function formBody(req: Request): Record<string, string | undefined> {
  const raw = (req.body ?? {}) as Record<string, unknown>;
  const body: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(raw)) {
    // RFC 6749 §3.2: request parameters must not be included more than once.
    if (typeof value !== "string") fail("invalid_request");
    body[name] = value as string;
  }
  return body;
}

/** RFC 7636 §4.6: BASE64URL(SHA256(ASCII(code_verifier))) == code_challenge. */
function verifierMatches(verifier: string | undefined, challenge: string): boolean {
  if (verifier === undefined || !/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) return false;
  const computed = Buffer.from(createHash("sha256").update(verifier).digest("base64url"));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}

async function authorizationCodeGrant(ctx: PoolContext, codes: AuthorizationCodes, client: AppClientConfig, body: Record<string, string | undefined>) {
  if (!client.allowedOAuthFlows.includes("code")) fail("unauthorized_client");
  const { code, redirect_uri: redirectUri } = body;
  if (code === undefined || redirectUri === undefined) return fail("invalid_request");
  // Consumed before any other check: a code that reached the wrong party is spent either way.
  const grant = codes.consume(code);
  if (grant === undefined || grant.clientId !== client.clientId || grant.redirectUri !== redirectUri) return fail("invalid_grant");
  if (grant.codeChallenge !== undefined && !verifierMatches(body.code_verifier, grant.codeChallenge)) return fail("invalid_grant");
  const user = ctx.users.find(grant.username);
  if (user === undefined || !user.enabled) return fail("invalid_grant");
  const tokens = await ctx.tokens.signInHosted(user, client, {
    scopes: grant.scopes,
    authTime: grant.authTime,
    ...(grant.nonce === undefined ? {} : { nonce: grant.nonce }),
  });
  return {
    ...(tokens.IdToken === undefined ? {} : { id_token: tokens.IdToken }),
    access_token: tokens.AccessToken,
    refresh_token: tokens.RefreshToken,
    expires_in: tokens.ExpiresIn,
    token_type: "Bearer",
  };
}

async function refreshTokenGrant(ctx: PoolContext, client: AppClientConfig, body: Record<string, string | undefined>) {
  const refreshToken = body.refresh_token;
  if (refreshToken === undefined) return fail("invalid_request");
  const lineage = ctx.signIns.findByRefreshToken(refreshToken);
  if (lineage === undefined || lineage.clientId !== client.clientId || lineage.revokedAt !== undefined || lineage.refreshExpiresAt <= ctx.now()) {
    return fail("invalid_grant");
  }
  const user = ctx.users.find(lineage.username);
  if (user === undefined || !user.enabled) return fail("invalid_grant");
  const tokens = await ctx.tokens.refreshHosted(lineage, user, client);
  // Cognito returns no new refresh token on this grant.
  return {
    ...(tokens.IdToken === undefined ? {} : { id_token: tokens.IdToken }),
    access_token: tokens.AccessToken,
    expires_in: tokens.ExpiresIn,
    token_type: "Bearer",
  };
}

/** RFC 7009 §2.1: revokes a refresh token issued to this client; an unknown or spent token is not an error (§2.2). */
async function revoke(ctx: PoolContext, client: AppClientConfig, body: Record<string, string | undefined>): Promise<void> {
  const token = body.token;
  if (token === undefined || token === "" || !client.enableTokenRevocation) fail("invalid_request");
  // ID and access tokens are JWTs; only refresh tokens can be revoked.
  if (token!.split(".").length === 3) fail("unsupported_token_type");
  const lineage = ctx.signIns.findByRefreshToken(token!);
  if (lineage === undefined) return;
  if (lineage.clientId !== client.clientId) fail("unauthorized_client");
  await ctx.signIns.revoke(lineage);
}

export function createTokenRouter(ctx: () => PoolContext, codes: AuthorizationCodes): Router {
  const router = express.Router();
  router.post("/oauth2/token", express.urlencoded({ extended: false, limit: "16kb", parameterLimit: 20 }), async (req, res) => {
    try {
      if (!req.is("application/x-www-form-urlencoded")) fail("invalid_request");
      const body = formBody(req);
      const client = authenticateClient(ctx(), req, body);
      let answer: object;
      switch (body.grant_type) {
        case "authorization_code":
          answer = await authorizationCodeGrant(ctx(), codes, client, body);
          break;
        case "refresh_token":
          answer = await refreshTokenGrant(ctx(), client, body);
          break;
        case undefined:
          return fail("invalid_request");
        default:
          return fail("unsupported_grant_type");
      }
      noStore(res).json(answer);
    } catch (error) {
      if (!(error instanceof TokenEndpointError)) throw error;
      noStore(res).status(error.status).json({ error: error.error });
    }
  });
  router.post("/oauth2/revoke", express.urlencoded({ extended: false, limit: "16kb", parameterLimit: 20 }), async (req, res) => {
    try {
      if (!req.is("application/x-www-form-urlencoded")) fail("invalid_request");
      const body = formBody(req);
      // Wrong client credentials: 401 here, as the revocation endpoint answers them.
      const client = authenticateClient(ctx(), req, body, 401);
      await revoke(ctx(), client, body);
      noStore(res).status(200).end();
    } catch (error) {
      if (!(error instanceof TokenEndpointError)) throw error;
      noStore(res).status(error.status).json({ error: error.error });
    }
  });
  // A body the parser refuses (too large, too many parameters, a bad charset) is the caller's error.
  router.use(["/oauth2/token", "/oauth2/revoke"], (error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!(error instanceof Error && typeof (error as { type?: unknown }).type === "string")) {
      next(error);
      return;
    }
    noStore(res).status(400).json({ error: "invalid_request" });
  });
  return router;
}
