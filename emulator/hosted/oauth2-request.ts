import express, { type NextFunction, type Request, type Response } from "express";
import type { AppClientConfig } from "../../common/local-config";
import type { PoolContext } from "../pool";
import { langParameter, managedLoginLanguage } from "./managed-login-text";
import { sendManagedLoginError } from "./oauth2-page";

/**
 * The authorization request every managed-login page carries in its URL (`/login`, `/signup`,
 * `/confirmUser`, …): the pages keep no server state, so each request is validated again.
 */

/** A validated authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3). */
export interface AuthorizeRequest {
  client: AppClientConfig;
  redirectUri: string;
  scopes: string[];
  state?: string;
  codeChallenge?: string;
  /** OIDC Core §3.1.2.1: echoed in the ID token. */
  nonce?: string;
  /** OIDC Core §3.1.2.1 `prompt`: "login" asks again despite a session, "none" never shows a page. */
  prompt?: "login" | "none";
  /** Cognito's managed-login `lang` parameter, when it names a language the pages speak. */
  lang?: "en" | "ja";
}

type Validation =
  | { ok: true; request: AuthorizeRequest }
  /** No trustworthy redirect URI: an error page, never a redirect (RFC 6749 §4.1.2.1). */
  | { ok: false; page: { error: string; description: string } }
  /** The redirect URI is registered: the error goes back to the client. */
  | { ok: false; redirect: string };

const single = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

// RFC 7636 §4.2: code_challenge = BASE64URL(SHA256(verifier)), 43 characters; §4.1 allows 43–128 unreserved.
const CODE_CHALLENGE = /^[A-Za-z0-9\-._~]{43,128}$/;
// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ).
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
/** The OpenID Connect scopes that mean nothing without `openid` (AWS DG, "The authorize endpoint": scope). */
const OPENID_ONLY_SCOPES = ["email", "phone", "profile"];
const MAX_NONCE = 2048;

function errorRedirect(redirectUri: string, error: string, state: string | undefined): string {
  const url = new URL(redirectUri);
  url.searchParams.set("error", error);
  if (state !== undefined) url.searchParams.set("state", state);
  return url.toString();
}

/** Cognito's checks, in its order: client, redirect URI (exact match), response type, scopes, PKCE. */
export function validateAuthorizeRequest(ctx: PoolContext, query: Record<string, unknown>): Validation {
  const clientId = single(query.client_id);
  const client = clientId === undefined ? undefined : ctx.pool.clients.find((candidate) => candidate.clientId === clientId);
  if (client === undefined) return { ok: false, page: { error: "invalid_request", description: "Invalid or missing client_id." } };

  const redirectUri = single(query.redirect_uri);
  // Exact string comparison with a registered callback URL (RFC 6749 §3.1.2.3; OAuth 2.0 Security BCP §4.1.3).
  if (redirectUri === undefined || !client.callbackUrls.includes(redirectUri)) {
    return { ok: false, page: { error: "redirect_mismatch", description: "The redirect_uri is not one of this app client's callback URLs." } };
  }

  const rawState = query.state;
  if (rawState !== undefined && typeof rawState !== "string") return { ok: false, page: { error: "invalid_request", description: "state must appear once." } };
  const state = rawState;
  const fail = (error: string): Validation => ({ ok: false, redirect: errorRedirect(redirectUri, error, state) });

  const responseType = single(query.response_type);
  if (responseType !== "code") {
    // The implicit flow (response_type=token) is Cognito's too, but not the emulator's.
    return fail(responseType === "token" && !client.allowedOAuthFlows.includes("implicit") ? "unauthorized_client" : "unsupported_response_type");
  }
  if (!client.allowedOAuthFlows.includes("code")) return fail("unauthorized_client");

  const rawScope = query.scope;
  if (rawScope !== undefined && typeof rawScope !== "string") return fail("invalid_request");
  // Without `scope`, Cognito grants every scope the client allows.
  const scopes = rawScope === undefined ? [...client.allowedOAuthScopes] : rawScope.split(" ").filter((scope) => scope !== "");
  if (scopes.length === 0 || scopes.some((scope) => !SCOPE_TOKEN.test(scope) || !client.allowedOAuthScopes.includes(scope))) return fail("invalid_scope");
  // Without `openid` the grant is plain OAuth (no ID token), which email, phone and profile cannot be.
  if (!scopes.includes("openid") && scopes.some((scope) => OPENID_ONLY_SCOPES.includes(scope))) return fail("invalid_scope");

  const nonce = query.nonce;
  if (nonce !== undefined && (typeof nonce !== "string" || nonce === "" || nonce.length > MAX_NONCE)) return fail("invalid_request");
  const prompt = single(query.prompt);
  const lang = langParameter(query.lang);

  const codeChallenge = query.code_challenge;
  const method = query.code_challenge_method;
  if (codeChallenge !== undefined || method !== undefined) {
    // Cognito supports S256 only (AWS DG, "The authorize endpoint": code_challenge_method).
    if (typeof codeChallenge !== "string" || !CODE_CHALLENGE.test(codeChallenge) || method !== "S256") return fail("invalid_request");
  }

  return {
    ok: true,
    request: {
      client,
      redirectUri,
      scopes: [...new Set(scopes)],
      ...(state === undefined ? {} : { state }),
      ...(typeof codeChallenge === "string" ? { codeChallenge } : {}),
      ...(typeof nonce === "string" ? { nonce } : {}),
      ...(prompt === "login" || prompt === "none" ? { prompt } : {}),
      ...(lang === undefined ? {} : { lang }),
    },
  };
}

/** The validated request as a query string, carried by every managed-login link and form. */
export function requestQuery(request: AuthorizeRequest): string {
  const params = new URLSearchParams({
    client_id: request.client.clientId,
    redirect_uri: request.redirectUri,
    response_type: "code",
    scope: request.scopes.join(" "),
  });
  if (request.state !== undefined) params.set("state", request.state);
  if (request.codeChallenge !== undefined) {
    params.set("code_challenge", request.codeChallenge);
    params.set("code_challenge_method", "S256");
  }
  if (request.nonce !== undefined) params.set("nonce", request.nonce);
  if (request.lang !== undefined) params.set("lang", request.lang);
  return params.toString();
}

/** Validates the query; answers with the error page or error redirect and returns undefined when invalid. */
export function validatedRequest(ctx: PoolContext, req: Request, res: Response): AuthorizeRequest | undefined {
  const result = validateAuthorizeRequest(ctx, req.query as Record<string, unknown>);
  if (result.ok) return result.request;
  if ("page" in result) sendManagedLoginError(res, result.page.error, result.page.description, managedLoginLanguage(req));
  else res.set("Cache-Control", "no-store").redirect(302, result.redirect);
  return undefined;
}

/** Cognito's limits on a username and a password (API model: UsernameType, PasswordType). */
export const MAX_USERNAME = 128;
export const MAX_PASSWORD = 256;

/** The managed-login forms' body parser: small bodies, few fields. */
export const formBody = express.urlencoded({ extended: false, limit: "8kb", parameterLimit: 10 });

/** A form field as a string ("" when absent or repeated). */
export function field(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === "string" ? value : "";
}

/** A form body the parser refuses (too large, too many fields) gets Cognito's error page, not a 500. */
export function formErrorHandler(error: unknown, req: Request, res: Response, next: NextFunction): void {
  if (!(error instanceof Error && typeof (error as { type?: unknown }).type === "string")) {
    next(error);
    return;
  }
  sendManagedLoginError(res, "invalid_request", "The form could not be read.", managedLoginLanguage(req));
}
