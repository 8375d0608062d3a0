import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import express, { type NextFunction, type Request, type Response, type Router } from "express";
import type { AppClientConfig } from "../../common/local-config";
import { Messages } from "../errors";
import { isLockedOut, recordFailure } from "../lockout";
import { verifyDecoyPassword, verifyPassword } from "../passwords";
import type { PoolContext } from "../pool";
import type { StoredUser } from "../state/user-store";
import type { AuthorizationCodes } from "./oauth2-codes";
import { sendManagedLoginError, sendManagedLoginPage, signInFormHtml } from "./oauth2-page";

/**
 * The managed-login pieces an ALB's authenticate-cognito action (or any OAuth client) uses:
 * `GET /oauth2/authorize` (AWS DG, "The authorize endpoint") validates the request and, as
 * Cognito does, continues to `GET /login`, the sign-in page; `POST /login` checks the password
 * with the user-pool API's rules (lockout, unconfirmed users, one generic message for a wrong
 * email or password) and redirects to the client's callback with `code` and `state`.
 *
 * The emulator keeps no managed-login session cookie: every authorization shows the sign-in
 * page, so a signed-out browser is always asked to sign in again.
 */

/** A validated authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3). */
export interface AuthorizeRequest {
  client: AppClientConfig;
  redirectUri: string;
  scopes: string[];
  state?: string;
  codeChallenge?: string;
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
  // The emulator always issues an ID token, so it insists on `openid` (RFC 6749 §3.3 lets it refuse).
  if (!scopes.includes("openid")) return fail("invalid_scope");

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
    },
  };
}

/** The validated request as a query string, carried by the sign-in form (the page keeps no server state). */
function requestQuery(request: AuthorizeRequest): string {
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
  return params.toString();
}

// ---- CSRF -----------------------------------------------------------------------------------

/** Cognito's managed login keeps its form token in this cookie and the `_csrf` field. */
const CSRF_COOKIE = "XSRF-TOKEN";

function cookieValue(req: Request, name: string): string | undefined {
  for (const pair of (req.get("cookie") ?? "").split(";")) {
    const equals = pair.indexOf("=");
    if (equals > 0 && pair.slice(0, equals).trim() === name) return pair.slice(equals + 1).trim();
  }
  return undefined;
}

/**
 * Signed double-submit tokens (OWASP CSRF Prevention Cheat Sheet, "Signed Double-Submit Cookie"):
 * the cookie holds a random nonce, the form field its HMAC under a key that never leaves this
 * process; a cross-site page can neither read the cookie nor compute the field.
 */
function createCsrf() {
  const key = randomBytes(32);
  const sign = (nonce: string) => createHmac("sha256", key).update(nonce).digest("base64url");
  return {
    issue(res: Response): string {
      const nonce = randomBytes(18).toString("base64url");
      res.append("Set-Cookie", `${CSRF_COOKIE}=${nonce}; Path=/login; HttpOnly; SameSite=Lax`);
      return sign(nonce);
    },
    check(req: Request, field: unknown): boolean {
      const nonce = cookieValue(req, CSRF_COOKIE);
      if (nonce === undefined || typeof field !== "string") return false;
      const expected = Buffer.from(sign(nonce));
      const given = Buffer.from(field);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}

// ---- sign-in --------------------------------------------------------------------------------

/**
 * The password check of USER_PASSWORD_AUTH (emulator/operations/initiate-auth.ts), for the
 * sign-in page: the same lockout counter, a decoy check for unknown users, and the account's
 * state revealed only to someone who knows the password. Returns the user or a message to show.
 */
async function checkPassword(ctx: PoolContext, username: string, password: string): Promise<StoredUser | { error: string }> {
  const user = ctx.users.find(username);
  if (user === undefined) {
    await verifyDecoyPassword(password);
    return { error: Messages.incorrectCredentials };
  }
  const now = ctx.now();
  if (isLockedOut(user.failedSignIns, now)) return { error: Messages.passwordAttemptsExceeded };
  if (!(await verifyPassword(password, user.passwordHash))) {
    user.failedSignIns = recordFailure(user.failedSignIns, now);
    await ctx.users.save();
    return { error: Messages.incorrectCredentials };
  }
  if (user.failedSignIns !== undefined) {
    delete user.failedSignIns;
    await ctx.users.save();
  }
  if (!user.enabled) return { error: Messages.userDisabled };
  if (user.status === "UNCONFIRMED") return { error: Messages.userNotConfirmed };
  if (user.status === "RESET_REQUIRED") return { error: "Password reset required for the user" };
  return user;
}

/** Cognito's limit on a username, and a password (API model: UsernameType, PasswordType). */
const MAX_USERNAME = 128;
const MAX_PASSWORD = 256;

export function createAuthorizeRouter(ctx: () => PoolContext, codes: AuthorizationCodes): Router {
  const router = express.Router();
  const csrf = createCsrf();

  /** Validates the query; answers with the error page or error redirect and returns undefined when invalid. */
  const validated = (req: Request, res: Response): AuthorizeRequest | undefined => {
    const result = validateAuthorizeRequest(ctx(), req.query as Record<string, unknown>);
    if (result.ok) return result.request;
    if ("page" in result) sendManagedLoginError(res, result.page.error, result.page.description);
    else res.set("Cache-Control", "no-store").redirect(302, result.redirect);
    return undefined;
  };

  const showForm = (res: Response, request: AuthorizeRequest, status: number, extra: { username?: string; error?: string } = {}) => {
    sendManagedLoginPage(
      res,
      status,
      `Sign in — ${request.client.name}`,
      signInFormHtml({ clientName: request.client.name, action: `/login?${requestQuery(request)}`, csrfToken: csrf.issue(res), ...extra }),
      [new URL(request.redirectUri).origin],
    );
  };

  router.get("/oauth2/authorize", (req, res) => {
    const request = validated(req, res);
    if (request === undefined) return;
    res.set("Cache-Control", "no-store").redirect(302, `/login?${requestQuery(request)}`);
  });

  router.get("/login", (req, res) => {
    const request = validated(req, res);
    if (request === undefined) return;
    showForm(res, request, 200);
  });

  router.post("/login", express.urlencoded({ extended: false, limit: "8kb", parameterLimit: 10 }), async (req, res) => {
    const request = validated(req, res);
    if (request === undefined) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const username = typeof body.username === "string" ? body.username.trim().slice(0, MAX_USERNAME) : "";
    if (!csrf.check(req, body._csrf)) {
      showForm(res, request, 403, { username, error: "This sign-in form has expired. Enter your details again." });
      return;
    }
    const password = typeof body.password === "string" ? body.password : "";
    if (username === "" || password === "" || password.length > MAX_PASSWORD) {
      showForm(res, request, 400, { username, error: "Enter your email and password." });
      return;
    }
    const outcome = await checkPassword(ctx(), username, password);
    if ("error" in outcome) {
      showForm(res, request, 400, { username, error: outcome.error });
      return;
    }
    const code = codes.issue({
      clientId: request.client.clientId,
      redirectUri: request.redirectUri,
      username: outcome.username,
      scopes: request.scopes,
      ...(request.codeChallenge === undefined ? {} : { codeChallenge: request.codeChallenge }),
    });
    const target = new URL(request.redirectUri);
    target.searchParams.set("code", code);
    if (request.state !== undefined) target.searchParams.set("state", request.state);
    res
      .append("Set-Cookie", `${CSRF_COOKIE}=; Path=/login; Max-Age=0; HttpOnly; SameSite=Lax`)
      .set("Cache-Control", "no-store")
      .redirect(302, target.toString());
  });

  // A form body the parser refuses (too large, too many fields) gets Cognito's error page, not a 500.
  router.use("/login", (error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!(error instanceof Error && typeof (error as { type?: unknown }).type === "string")) {
      next(error);
      return;
    }
    sendManagedLoginError(res, "invalid_request", "The sign-in form could not be read.");
  });

  return router;
}
