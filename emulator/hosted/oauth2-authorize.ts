import express, { type Response, type Router } from "express";
import { Messages } from "../errors";
import { isLockedOut, recordFailure } from "../lockout";
import { verifyDecoyPassword, verifyPassword } from "../passwords";
import type { PoolContext } from "../pool";
import type { StoredUser } from "../state/user-store";
import { type Csrf, createCsrf } from "./csrf";
import type { ManagedLoginSessions } from "./managed-login-session";
import { MANAGED_LOGIN_TEXT, managedLoginLanguage } from "./managed-login-text";
import type { AuthorizationCodes } from "./oauth2-codes";
import { sendManagedLoginPage, signInFormHtml } from "./oauth2-page";
import { type AuthorizeRequest, MAX_PASSWORD, MAX_USERNAME, field, formBody, formErrorHandler, requestQuery, validatedRequest } from "./oauth2-request";

export { type AuthorizeRequest, validateAuthorizeRequest } from "./oauth2-request";

/**
 * The managed-login pieces an ALB's authenticate-cognito action (or any OAuth client) uses:
 * `GET /oauth2/authorize` (AWS DG, "The authorize endpoint") validates the request and, as
 * Cognito does, continues to `GET /login`, the sign-in page; `POST /login` checks the password
 * with the user-pool API's rules (lockout, unconfirmed users, one generic message for a wrong
 * email or password) and redirects to the client's callback with `code` and `state`. The page
 * links to the sign-up pages (emulator/hosted/oauth2-signup.ts), which come back here with
 * `notice=confirmed`.
 *
 * A sign-in starts the managed-login session (emulator/hosted/managed-login-session.ts): while it
 * lasts, `/oauth2/authorize` sends the browser straight back with a new code, for any app client
 * of the pool, unless the request says `prompt=login`; `prompt=none` without a session is
 * `login_required` (OIDC Core §3.1.2.6). Only `/logout` ends it.
 */

/** Notices other managed-login pages may ask the sign-in page to show (fixed texts: nothing from the URL is echoed). */
const NOTICES = ["confirmed", "reset"] as const;
const isNotice = (value: unknown): value is (typeof NOTICES)[number] => (NOTICES as readonly unknown[]).includes(value);

// ---- sign-in --------------------------------------------------------------------------------

/**
 * The password check of USER_PASSWORD_AUTH (emulator/operations/initiate-auth.ts), for the
 * sign-in page: the same lockout counter, a decoy check for unknown users, an unconfirmed account
 * named whatever the password (as the API does), and a reset revealed only to someone who knows
 * the password. Returns the user or a message to show.
 */
async function checkPassword(ctx: PoolContext, username: string, password: string): Promise<StoredUser | { error: string }> {
  const user = ctx.users.find(username);
  if (user === undefined) {
    await verifyDecoyPassword(password);
    return { error: Messages.incorrectCredentials };
  }
  if (user.enabled && user.status === "UNCONFIRMED") {
    await verifyDecoyPassword(password);
    return { error: Messages.userNotConfirmed };
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
  if (user.status === "RESET_REQUIRED") return { error: "Password reset required for the user" };
  return user;
}

/** The user a managed-login session signs in silently: still there, enabled and confirmed. */
function sessionUser(ctx: PoolContext, username: string): StoredUser | undefined {
  const user = ctx.users.find(username);
  return user !== undefined && user.enabled && user.status === "CONFIRMED" ? user : undefined;
}

export function createAuthorizeRouter(ctx: () => PoolContext, codes: AuthorizationCodes, sessions: ManagedLoginSessions, csrf: Csrf = createCsrf()): Router {
  const router = express.Router();

  /** Sends the browser to the client's callback with a new code and the request's state. */
  const redirectWithCode = (res: Response, request: AuthorizeRequest, user: StoredUser, authTime: number) => {
    const code = codes.issue({
      clientId: request.client.clientId,
      redirectUri: request.redirectUri,
      username: user.username,
      scopes: request.scopes,
      authTime,
      ...(request.codeChallenge === undefined ? {} : { codeChallenge: request.codeChallenge }),
      ...(request.nonce === undefined ? {} : { nonce: request.nonce }),
    });
    const target = new URL(request.redirectUri);
    target.searchParams.set("code", code);
    if (request.state !== undefined) target.searchParams.set("state", request.state);
    res.set("Cache-Control", "no-store").redirect(302, target.toString());
  };

  const showForm = (
    req: express.Request,
    res: Response,
    request: AuthorizeRequest,
    status: number,
    extra: { username?: string; error?: string; notice?: string } = {},
  ) => {
    const query = requestQuery(request);
    const language = managedLoginLanguage(req);
    const text = MANAGED_LOGIN_TEXT[language];
    sendManagedLoginPage(
      res,
      status,
      `${text.signInTitle} — ${request.client.name}`,
      signInFormHtml({
        clientName: request.client.name,
        action: `/login?${query}`,
        signUpHref: `/signup?${query}`,
        forgotPasswordHref: `/forgotPassword?${query}`,
        csrfToken: csrf.issue(req, res),
        text,
        ...extra,
        ...(extra.error === undefined ? {} : { error: text.cognitoMessage(extra.error) }),
      }),
      [new URL(request.redirectUri).origin],
      language,
    );
  };

  router.get("/oauth2/authorize", (req, res) => {
    const request = validatedRequest(ctx(), req, res);
    if (request === undefined) return;
    const session = request.prompt === "login" ? undefined : sessions.current(req);
    const user = session === undefined ? undefined : sessionUser(ctx(), session.username);
    if (session !== undefined && user !== undefined) {
      redirectWithCode(res, request, user, session.authTime);
      return;
    }
    if (request.prompt === "none") {
      const target = new URL(request.redirectUri);
      target.searchParams.set("error", "login_required");
      if (request.state !== undefined) target.searchParams.set("state", request.state);
      res.set("Cache-Control", "no-store").redirect(302, target.toString());
      return;
    }
    res.set("Cache-Control", "no-store").redirect(302, `/login?${requestQuery(request)}`);
  });

  router.get("/login", (req, res) => {
    const request = validatedRequest(ctx(), req, res);
    if (request === undefined) return;
    const notice = isNotice(req.query.notice) ? MANAGED_LOGIN_TEXT[managedLoginLanguage(req)].notices[req.query.notice] : undefined;
    showForm(req, res, request, 200, notice === undefined ? {} : { notice });
  });

  router.post("/login", formBody, async (req, res) => {
    const request = validatedRequest(ctx(), req, res);
    if (request === undefined) return;
    const username = field(req.body, "username").trim().slice(0, MAX_USERNAME);
    if (!csrf.check(req, field(req.body, "_csrf"))) {
      showForm(req, res, request, 403, { username, error: MANAGED_LOGIN_TEXT[managedLoginLanguage(req)].signInFormExpired });
      return;
    }
    const password = field(req.body, "password");
    if (username === "" || password === "" || password.length > MAX_PASSWORD) {
      showForm(req, res, request, 400, { username, error: MANAGED_LOGIN_TEXT[managedLoginLanguage(req)].enterEmailAndPassword });
      return;
    }
    const outcome = await checkPassword(ctx(), username, password);
    if ("error" in outcome) {
      showForm(req, res, request, 400, { username, error: outcome.error });
      return;
    }
    csrf.clear(res);
    sessions.start(req, res, outcome.username);
    redirectWithCode(res, request, outcome, Math.floor(ctx().now() / 1000));
  });

  router.use("/login", formErrorHandler);

  return router;
}
