import type { Request, Response } from "express";
import { CognitoError } from "../errors";
import type { Csrf } from "./csrf";
import { MANAGED_LOGIN_TEXT, type ManagedLoginText, managedLoginLanguage } from "./managed-login-text";
import { sendManagedLoginPage } from "./oauth2-page";
import { type AuthorizeRequest, MAX_USERNAME, requestQuery } from "./oauth2-request";

/**
 * What the managed login's form pages (sign-up and confirmation, emulator/hosted/oauth2-signup.ts;
 * forgot and reset password, emulator/hosted/oauth2-forgot-password.ts) share: the page's language,
 * the pending authorization request carried in every link, a fresh CSRF token in every form.
 */

/** What a page shows besides its form: the email typed so far, an error or a notice. */
export interface FormPageState {
  username?: string;
  error?: string;
  notice?: string;
}

export interface FormPageFields extends FormPageState {
  clientName: string;
  /** `?<the validated authorization request>`, appended to every link and form action. */
  query: string;
  csrfToken: string;
  text: ManagedLoginText;
}

export interface FormPages {
  text(req: Request): ManagedLoginText;
  /** `?<the request>` for a redirect to the next page. */
  query(request: AuthorizeRequest): string;
  /** The fields every form page's HTML takes; issues the form's CSRF token. */
  fields(req: Request, res: Response, request: AuthorizeRequest, page: FormPageState): FormPageFields;
  /** Sends a page titled `<title> — <the app's name>` in the request's language. */
  send(req: Request, res: Response, request: AuthorizeRequest, status: number, title: string, html: string): void;
}

export function formPages(csrf: Csrf): FormPages {
  const text = (req: Request) => MANAGED_LOGIN_TEXT[managedLoginLanguage(req)];
  const query = (request: AuthorizeRequest) => `?${requestQuery(request)}`;
  return {
    text,
    query,
    fields: (req, res, request, page) => ({ clientName: request.client.name, query: query(request), csrfToken: csrf.issue(req, res), text: text(req), ...page }),
    send: (req, res, request, status, title, html) => sendManagedLoginPage(res, status, `${title} — ${request.client.name}`, html, [], managedLoginLanguage(req)),
  };
}

/** The email a form posted (or a link carried), trimmed and cut to Cognito's username length. */
export function usernameOf(value: unknown): string {
  return typeof value === "string" ? value.trim().slice(0, MAX_USERNAME) : "";
}

/** The user-facing message of a Cognito error, in the page's language; anything else is a fault and goes on to the server's handler. */
export function cognitoMessage(req: Request, error: unknown): string {
  if (error instanceof CognitoError && error.expose) return MANAGED_LOGIN_TEXT[managedLoginLanguage(req)].cognitoMessage(error.message);
  throw error;
}
