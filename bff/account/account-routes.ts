import { Router } from "express";
import type { AccountService } from "./account-service";

/** GET /api/account/claims (docs/architecture.md, "The JSON API"). */
export function createAccountRouter(deps: { account: AccountService }): Router {
  const { account } = deps;
  const router = Router();

  router.get("/account/claims", async (req, res) => {
    res.json(await account.claims(req));
  });

  return router;
}
