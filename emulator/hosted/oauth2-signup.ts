import express, { type Request, type Response, type Router } from "express";
import { Messages } from "../errors";
import { confirmUser } from "../operations/confirm-sign-up";
import { resendConfirmation } from "../operations/resend-confirmation-code";
import { registerUser } from "../operations/sign-up";
import type { PoolContext } from "../pool";
import { Fields } from "../validation";
import type { Csrf } from "./csrf";
import { type FormPageState, cognitoMessage, formPages, usernameOf } from "./managed-login-form-page";
import { type AuthorizeRequest, MAX_PASSWORD, field, formBody, formErrorHandler, validatedRequest } from "./oauth2-request";
import { confirmFormHtml, passwordRulesText, signUpFormHtml } from "./oauth2-signup-page";

/**
 * Managed login's self-service sign-up (AWS DG, "Managed login": sign-up and confirmation pages),
 * reached from the sign-in page's "Create an account":
 *
 *   GET|POST /signup → GET|POST /confirmUser (+ POST /resendcode) → /login?…&notice=confirmed
 *
 * Every page carries the pending authorization request in its URL, validated again on each
 * request, so the person ends on the sign-in page of the same request. The rules are SignUp's,
 * ConfirmSignUp's and ResendConfirmationCode's own (emulator/operations/*): the same user record,
 * policy errors, outbox message and code checks; Cognito's errors are shown on the page.
 * Successful posts answer 303 See Other (RFC 9110 §15.4.4), so reloading never posts twice.
 */

export function createSignUpRouter(ctx: () => PoolContext, csrf: Csrf): Router {
  const router = express.Router();
  const { text, query, fields, send } = formPages(csrf);

  const showSignUp = (req: Request, res: Response, request: AuthorizeRequest, status: number, page: FormPageState = {}) => {
    const html = signUpFormHtml({ ...fields(req, res, request, page), passwordRules: passwordRulesText(ctx().pool.passwordPolicy, text(req)) });
    send(req, res, request, status, text(req).signUpTitle, html);
  };
  const showConfirm = (req: Request, res: Response, request: AuthorizeRequest, status: number, page: FormPageState = {}) => {
    send(req, res, request, status, text(req).confirmTitle, confirmFormHtml(fields(req, res, request, page)));
  };

  router.get("/signup", (req, res) => {
    const request = validatedRequest(ctx(), req, res);
    if (request !== undefined) showSignUp(req, res, request, 200);
  });

  router.post("/signup", formBody, async (req, res) => {
    const request = validatedRequest(ctx(), req, res);
    if (request === undefined) return;
    const username = usernameOf(field(req.body, "username"));
    const password = field(req.body, "password");
    if (!csrf.check(req, field(req.body, "_csrf"))) return showSignUp(req, res, request, 403, { username, error: text(req).formExpired });
    if (username === "" || password === "") return showSignUp(req, res, request, 400, { username, error: text(req).enterEmailAndAPassword });
    // The API model's input rules (emulator/validation.ts), in words for people.
    if (!Fields.username.safeParse(username).success) return showSignUp(req, res, request, 400, { username, error: text(req).enterValidEmail });
    if (password.length > MAX_PASSWORD || password !== password.trim()) {
      return showSignUp(req, res, request, 400, { username, error: text(req).passwordLimits(MAX_PASSWORD) });
    }
    try {
      await registerUser(ctx(), request.client.clientId, { Username: username, Password: password });
    } catch (error) {
      return showSignUp(req, res, request, 400, { username, error: cognitoMessage(req, error) });
    }
    res.set("Cache-Control", "no-store").redirect(303, `/confirmUser${query(request)}&${new URLSearchParams({ username })}`);
  });

  router.get("/confirmUser", (req, res) => {
    const request = validatedRequest(ctx(), req, res);
    if (request !== undefined) showConfirm(req, res, request, 200, { username: usernameOf(req.query.username) });
  });

  router.post("/confirmUser", formBody, async (req, res) => {
    const request = validatedRequest(ctx(), req, res);
    if (request === undefined) return;
    const username = usernameOf(field(req.body, "username"));
    const code = field(req.body, "code").trim();
    if (!csrf.check(req, field(req.body, "_csrf"))) return showConfirm(req, res, request, 403, { username, error: text(req).formExpired });
    if (username === "" || code === "") return showConfirm(req, res, request, 400, { username, error: text(req).enterEmailAndCode });
    try {
      // A code the API model would refuse (spaces, too long) cannot match either.
      if (!Fields.confirmationCode.safeParse(code).success)
        return showConfirm(req, res, request, 400, { username, error: text(req).cognitoMessage(Messages.codeMismatch) });
      await confirmUser(ctx(), request.client, username, code);
    } catch (error) {
      return showConfirm(req, res, request, 400, { username, error: cognitoMessage(req, error) });
    }
    res.set("Cache-Control", "no-store").redirect(303, `/login${query(request)}&notice=confirmed`);
  });

  router.post("/resendcode", formBody, async (req, res) => {
    const request = validatedRequest(ctx(), req, res);
    if (request === undefined) return;
    const username = usernameOf(field(req.body, "username"));
    if (!csrf.check(req, field(req.body, "_csrf"))) return showConfirm(req, res, request, 403, { username, error: text(req).formExpired });
    if (username === "") return showConfirm(req, res, request, 400, { error: text(req).enterEmail });
    try {
      const delivery = await resendConfirmation(ctx(), request.client, username);
      showConfirm(req, res, request, 200, { username, notice: text(req).codeSentTo(delivery.Destination) });
    } catch (error) {
      showConfirm(req, res, request, 400, { username, error: cognitoMessage(req, error) });
    }
  });

  for (const path of ["/signup", "/confirmUser", "/resendcode"]) router.use(path, formErrorHandler);

  return router;
}
