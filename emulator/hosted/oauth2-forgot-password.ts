import express, { type Request, type Response, type Router } from "express";
import { CognitoError, Messages } from "../errors";
import { resetPassword } from "../operations/confirm-forgot-password";
import { requestPasswordReset } from "../operations/forgot-password";
import type { PoolContext } from "../pool";
import { Fields } from "../validation";
import type { Csrf } from "./csrf";
import { type FormPageState, cognitoMessage, formPages, usernameOf } from "./managed-login-form-page";
import { type AuthorizeRequest, MAX_PASSWORD, field, formBody, formErrorHandler, validatedRequest } from "./oauth2-request";
import { confirmForgotPasswordFormHtml, forgotPasswordFormHtml, passwordRulesText } from "./oauth2-signup-page";

/**
 * Managed login's "Forgot your password?" (AWS DG, "Managed login": the forgot-password pages),
 * reached from the sign-in page:
 *
 *   GET|POST /forgotPassword → GET|POST /confirmForgotPassword → /login?…&notice=reset
 *
 * The rules are ForgotPassword's and ConfirmForgotPassword's own (emulator/operations/*): the
 * same reset code, quotas and outbox message — worded by the CustomMessage trigger
 * (CustomMessage_ForgotPassword) in the user's language. The first page's answer is the same
 * whether or not the account exists, and whatever Cognito answered (OWASP Forgot Password Cheat
 * Sheet: "return a consistent message for both existent and non-existent accounts"); the second
 * inherits ConfirmForgotPassword's CodeMismatchException for unknown users. Forms carry the
 * managed login's CSRF token (emulator/hosted/csrf.ts); successful posts answer 303.
 */

export function createForgotPasswordRouter(ctx: () => PoolContext, csrf: Csrf): Router {
  const router = express.Router();
  const { text, query, fields, send } = formPages(csrf);

  const showForgot = (req: Request, res: Response, request: AuthorizeRequest, status: number, page: FormPageState = {}) => {
    send(req, res, request, status, text(req).forgotTitle, forgotPasswordFormHtml(fields(req, res, request, page)));
  };
  const showReset = (req: Request, res: Response, request: AuthorizeRequest, status: number, page: FormPageState = {}) => {
    const html = confirmForgotPasswordFormHtml({ ...fields(req, res, request, page), passwordRules: passwordRulesText(ctx().pool.passwordPolicy, text(req)) });
    send(req, res, request, status, text(req).resetTitle, html);
  };

  router.get("/forgotPassword", (req, res) => {
    const request = validatedRequest(ctx(), req, res);
    if (request !== undefined) showForgot(req, res, request, 200, { username: usernameOf(req.query.username) });
  });

  router.post("/forgotPassword", formBody, async (req, res) => {
    const request = validatedRequest(ctx(), req, res);
    if (request === undefined) return;
    const username = usernameOf(field(req.body, "username"));
    if (!csrf.check(req, field(req.body, "_csrf"))) return showForgot(req, res, request, 403, { username, error: text(req).formExpired });
    if (username === "") return showForgot(req, res, request, 400, { error: text(req).enterEmail });
    if (!Fields.username.safeParse(username).success) return showForgot(req, res, request, 400, { username, error: text(req).enterValidEmail });
    try {
      await requestPasswordReset(ctx(), request.client, username);
    } catch (error) {
      // An unknown or disabled account, one without a verified address, or the attempt limit:
      // answered like a sent code, so the page never tells whether an account exists.
      if (!(error instanceof CognitoError && error.expose)) throw error;
    }
    res.set("Cache-Control", "no-store").redirect(303, `/confirmForgotPassword${query(request)}&${new URLSearchParams({ username, sent: "1" })}`);
  });

  router.get("/confirmForgotPassword", (req, res) => {
    const request = validatedRequest(ctx(), req, res);
    if (request === undefined) return;
    showReset(req, res, request, 200, { username: usernameOf(req.query.username), ...(req.query.sent === "1" ? { notice: text(req).resetCodeMaybeSent } : {}) });
  });

  router.post("/confirmForgotPassword", formBody, async (req, res) => {
    const request = validatedRequest(ctx(), req, res);
    if (request === undefined) return;
    const username = usernameOf(field(req.body, "username"));
    const code = field(req.body, "code").trim();
    const password = field(req.body, "password");
    if (!csrf.check(req, field(req.body, "_csrf"))) return showReset(req, res, request, 403, { username, error: text(req).formExpired });
    if (username === "" || code === "" || password === "") return showReset(req, res, request, 400, { username, error: text(req).enterCodeAndPassword });
    if (password.length > MAX_PASSWORD || password !== password.trim()) {
      return showReset(req, res, request, 400, { username, error: text(req).passwordLimits(MAX_PASSWORD) });
    }
    try {
      // A code the API model would refuse (spaces, too long) cannot match either.
      if (!Fields.confirmationCode.safeParse(code).success)
        return showReset(req, res, request, 400, { username, error: text(req).cognitoMessage(Messages.codeMismatch) });
      await resetPassword(ctx(), request.client, username, code, password);
    } catch (error) {
      return showReset(req, res, request, 400, { username, error: cognitoMessage(req, error) });
    }
    res.set("Cache-Control", "no-store").redirect(303, `/login${query(request)}&notice=reset`);
  });

  for (const path of ["/forgotPassword", "/confirmForgotPassword"]) router.use(path, formErrorHandler);

  return router;
}
