import { Router, type Request } from "express";
import { consentDecisionRequestSchema, type ConnectedApp, type ConsentDecisionRequest, type InteractionResponse } from "../../common/api-contract";
import { ApiError } from "../errors";

/**
 * The SPA's JSON view of the provider:
 * - GET /api/interaction: the relying party's request waiting for this browser
 *   (`{client:{id, name}, prompt, scopes?}`), or 404 when the person came straight to Tobira;
 * - POST /api/consent `{decision}`: the user's answer on the consent page, `{redirectTo}` the
 *   provider's interaction, which answers the app; 404 when no consent is waiting;
 * - GET /api/connected-apps and DELETE /api/connected-apps/:id: the apps the user allowed, and
 *   revoking one (its grant and tokens end).
 */

export interface ConsentApi {
  decide(req: Request, decision: ConsentDecisionRequest["decision"]): Promise<{ redirectTo: string } | undefined>;
  connectedApps(req: Request): Promise<ConnectedApp[]>;
  /** Resolves false when the user has no such connected app. */
  disconnect(req: Request, clientId: string): Promise<boolean>;
}

export function createInteractionApiRouter(deps: { pendingInteraction?: (req: Request) => Promise<InteractionResponse | undefined>; consent?: ConsentApi } = {}): Router {
  const router = Router();
  router.get("/interaction", async (req, res) => {
    const pending = await deps.pendingInteraction?.(req);
    if (pending === undefined) throw new ApiError(404, "not_found", "No sign-in request from an app is pending.");
    res.json(pending);
  });

  const { consent } = deps;
  if (consent === undefined) return router;

  router.post("/consent", async (req, res) => {
    const { decision } = consentDecisionRequestSchema.parse(req.body);
    const next = await consent.decide(req, decision);
    if (next === undefined) throw new ApiError(404, "not_found", "No app is waiting for your consent.");
    res.json(next);
  });

  router.get("/connected-apps", async (req, res) => {
    res.json(await consent.connectedApps(req));
  });

  router.delete("/connected-apps/:id", async (req, res) => {
    if (!(await consent.disconnect(req, String(req.params.id)))) throw new ApiError(404, "not_found", "No such connected app.");
    res.status(204).end();
  });

  return router;
}
