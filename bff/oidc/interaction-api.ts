import { Router, type Request } from "express";
import type { InteractionResponse } from "../../common/api-contract";
import { ApiError } from "../errors";

/**
 * GET /api/interaction: the relying party's request waiting for this browser's sign-in
 * (`{client:{id, name}, prompt}`), or 404 when the person came straight to Tobira.
 */
export function createInteractionApiRouter(deps: { pendingInteraction?: (req: Request) => Promise<InteractionResponse | undefined> } = {}): Router {
  const router = Router();
  router.get("/interaction", async (req, res) => {
    const pending = await deps.pendingInteraction?.(req);
    if (pending === undefined) throw new ApiError(404, "not_found", "No sign-in request from an app is pending.");
    res.json(pending);
  });
  return router;
}
