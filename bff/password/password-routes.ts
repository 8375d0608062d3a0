import { Router, type RequestHandler } from "express";
import { forgotPasswordRequestSchema, resetPasswordRequestSchema } from "../../common/api-contract";
import type { CognitoGateway } from "../cognito/cognito-gateway";
import { createForgotPassword } from "./forgot-password";

/** POST /api/password/forgot, /api/password/reset (docs/architecture.md, "The JSON API"). */
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
  const forgotPassword = createForgotPassword({ cognito });
  const router = Router();

  router.post("/password/forgot", ...limits, async (req, res) => {
    const { email } = forgotPasswordRequestSchema.parse(req.body);
    // The same answer, at the same moment, for every email (forgot-password.ts).
    res.json({ delivery: await forgotPassword.request(req, email) });
  });

  router.post("/password/reset", ...limits, async (req, res) => {
    const { email, code, password } = resetPasswordRequestSchema.parse(req.body);
    await cognito.confirmForgotPassword({ email, code, password });
    await deps.afterReset?.(email);
    res.json({ next: "signin" });
  });

  return router;
}
