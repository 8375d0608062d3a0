import { Router, type RequestHandler } from "express";
import { emptyRequestSchema, otpRequestSchema, signInRequestSchema } from "../../common/api-contract";
import type { SignInService } from "./sign-in-service";

/** POST /api/signin, /api/signin/otp/send, /api/signin/otp (docs/architecture.md, "The JSON API"). */
export function createSignInRouter(deps: { signIn: SignInService; limits: RequestHandler[] }): Router {
  const { signIn, limits } = deps;
  const router = Router();

  router.post("/signin", ...limits, async (req, res) => {
    const input = signInRequestSchema.parse(req.body);
    res.json(await signIn.start(req, input));
  });

  router.post("/signin/otp/send", ...limits, async (req, res) => {
    emptyRequestSchema.parse(req.body ?? {});
    res.json(await signIn.sendCode(req));
  });

  router.post("/signin/otp", ...limits, async (req, res) => {
    const { code } = otpRequestSchema.parse(req.body);
    res.json(await signIn.submitCode(req, code));
  });

  return router;
}
