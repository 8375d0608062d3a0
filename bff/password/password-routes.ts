import { Router, type RequestHandler } from "express";
import { forgotPasswordRequestSchema, resetPasswordRequestSchema } from "../../common/api-contract";
import type { CognitoGateway } from "../cognito/cognito-gateway";
import type { Logger } from "../logger";
import { createAccountStore } from "../oidc/accounts";
import { revokeAccountGrants } from "../oidc/store-adapter";
import type { SessionManager } from "../session/session-manager";
import type { Store } from "../store/store";
import { endAllBffSessionsFor } from "./session";

/**
 * After a password reset, whoever held the account loses it (OWASP Forgot Password and Session
 * Management Cheat Sheets): every Tobira session of the user ends (Cognito refresh tokens revoked)
 * and every app grant is revoked, so relying parties' refresh tokens get invalid_grant and their
 * access tokens 401. The reset names the user by email only; the sub comes from the last sign-in
 * (session pointer) and the provider's account snapshot. A user who never signed in has neither.
 */
export async function endAccessAfterReset(
  deps: { store: Store; sessions: SessionManager; cognito: CognitoGateway; logger: Logger },
  email: string,
): Promise<void> {
  const [sessionSub, snapshotSubs] = await Promise.all([deps.sessions.subForEmail(email), createAccountStore(deps.store).subsForEmail(email)]);
  const subs = new Set(sessionSub === undefined ? snapshotSubs : [sessionSub, ...snapshotSubs]);
  await Promise.all([...subs].map((sub) => Promise.all([endAllBffSessionsFor(deps, sub), revokeAccountGrants(deps.store, sub)])));
}

/** POST /api/password/forgot, /api/password/reset (DESIGN.md contract). */
export function createPasswordRouter(deps: {
  cognito: CognitoGateway;
  limits: RequestHandler[];
  /**
   * Runs once the new password is set: ends the user's sessions and app grants everywhere
   * (OWASP Forgot Password Cheat Sheet: a reset must lock out whoever held the account).
   */
  afterReset?: (email: string) => Promise<void>;
}): Router {
  const { cognito, limits } = deps;
  const router = Router();

  router.post("/password/forgot", ...limits, async (req, res) => {
    const { email } = forgotPasswordRequestSchema.parse(req.body);
    res.json({ delivery: await cognito.forgotPassword({ email }) });
  });

  router.post("/password/reset", ...limits, async (req, res) => {
    const { email, code, password } = resetPasswordRequestSchema.parse(req.body);
    await cognito.confirmForgotPassword({ email, code, password });
    await deps.afterReset?.(email);
    res.json({ next: "signin" });
  });

  return router;
}
