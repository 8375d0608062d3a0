import { Router, type RequestHandler } from "express";
import { emptyRequestSchema, otpRequestSchema, signInRequestSchema } from "../../common/api-contract";
import type { PendingSignIns } from "./pending-sign-in";
import type { SignInService } from "./sign-in-service";

/**
 * POST /api/signin, /api/signin/otp/send, /api/signin/otp; GET and DELETE /api/signin, the
 * pending sign-in itself (docs/architecture.md, "The JSON API").
 */
export function createSignInRouter(deps: { signIn: SignInService; pending: PendingSignIns; limits: RequestHandler[] }): Router {
  const { signIn, pending, limits } = deps;
  const router = Router();

  router.post("/signin", ...limits, async (req, res) => {
    const input = signInRequestSchema.parse(req.body);
    res.json(await signIn.start(req, input));
  });

  // One store read, nothing sent or guessed: not rate limited.
  router.get("/signin", async (req, res) => {
    res.json(await pending.status(req));
  });

  router.delete("/signin", async (req, res) => {
    emptyRequestSchema.parse(req.body ?? {});
    await pending.cancel(req);
    res.status(204).end();
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
