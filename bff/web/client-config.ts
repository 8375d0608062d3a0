import { Router } from "express";
import type { ClientConfigResponse, PasswordPolicyRules } from "../../common/api-contract";

/**
 * GET /api/config: how this BFF runs, for the SPA (docs/architecture.md, "The JSON API"). In ALB
 * mode the load balancer owns sign-in, so the SPA hides its sign-in, sign-up and password pages
 * and titles the account page's claims for the load balancer's signed header. In sign-in mode it
 * carries the pool's password policy, so the SPA's checklist lists what Cognito will enforce.
 */
export function createClientConfigRouter(mode: ClientConfigResponse["mode"], passwordPolicy?: PasswordPolicyRules): Router {
  const router = Router();
  const body: ClientConfigResponse = passwordPolicy === undefined ? { mode } : { mode, passwordPolicy };
  router.get("/config", (_req, res) => {
    res.json(body);
  });
  return router;
}
