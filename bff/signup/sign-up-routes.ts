import { Router, type RequestHandler } from "express";
import { confirmSignUpRequestSchema, resendSignUpCodeRequestSchema, signUpRequestSchema, type ConfirmSignUpResponse } from "../../common/api-contract";
import type { CognitoGateway } from "../cognito/cognito-gateway";
import type { SignInAfterConfirm } from "./sign-in-after-confirm";

/** POST /api/signup, /api/signup/confirm, /api/signup/resend (docs/architecture.md, "The JSON API"). */
export function createSignUpRouter(deps: { cognito: CognitoGateway; limits: RequestHandler[]; signInAfterConfirm?: SignInAfterConfirm }): Router {
  const { cognito, limits, signInAfterConfirm } = deps;
  const router = Router();

  router.post("/signup", ...limits, async (req, res) => {
    const { email, password, locale } = signUpRequestSchema.parse(req.body);
    const { delivery } = await cognito.signUp({ email, password, locale });
    res.status(201).json({ next: "confirm", delivery });
  });

  router.post("/signup/confirm", ...limits, async (req, res) => {
    const { email, code, password } = confirmSignUpRequestSchema.parse(req.body);
    await cognito.confirmSignUp({ email, code });
    const answer: ConfirmSignUpResponse =
      password === undefined || signInAfterConfirm === undefined ? { next: "signin" } : await signInAfterConfirm(req, { email, password });
    res.json(answer);
  });

  router.post("/signup/resend", ...limits, async (req, res) => {
    const { email } = resendSignUpCodeRequestSchema.parse(req.body);
    res.json({ delivery: await cognito.resendConfirmationCode({ email }) });
  });

  return router;
}
