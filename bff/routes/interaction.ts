import { Router } from "express";
import { ApiError } from "../errors";

/**
 * GET /api/interaction: the pending relying-party request. The OpenID Provider (issue 4) will
 * answer `{client, prompt}` here; until then no interaction can be pending.
 */
export function createInteractionRouter(): Router {
  const router = Router();
  router.get("/interaction", () => {
    throw new ApiError(404, "not_found", "No sign-in request from an app is pending.");
  });
  return router;
}
