import { Router, type RequestHandler } from "express";
import { forgotPasswordRequestSchema, resetPasswordRequestSchema } from "../../common/api-contract";
import type { CognitoGateway } from "../cognito/cognito-gateway";

/** POST /api/password/forgot, /api/password/reset (DESIGN.md contract). */
export function createPasswordRouter(deps: { cognito: CognitoGateway; limits: RequestHandler[] }): Router {
  const { cognito, limits } = deps;
  const router = Router();

  router.post("/password/forgot", ...limits, async (req, res) => {
    const { email } = forgotPasswordRequestSchema.parse(req.body);
    res.json({ delivery: await cognito.forgotPassword({ email }) });
  });

  router.post("/password/reset", ...limits, async (req, res) => {
    const { email, code, password } = resetPasswordRequestSchema.parse(req.body);
    await cognito.confirmForgotPassword({ email, code, password });
    res.json({ next: "signin" });
  });

  return router;
}
