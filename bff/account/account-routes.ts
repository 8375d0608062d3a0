import { Router, type RequestHandler } from "express";
import {
  changeEmailRequestSchema,
  changePasswordRequestSchema,
  deleteAccountRequestSchema,
  emptyRequestSchema,
  verifyEmailRequestSchema,
} from "../../common/api-contract";
import type { AccountSecurity } from "./account-security";
import type { AccountService } from "./account-service";

/**
 * The account page's calls (docs/architecture.md, "The JSON API" and "The account security
 * centre"): GET /api/account/claims, and with the security centre GET /api/account,
 * POST /api/account/password, GET /api/account/sessions, DELETE /api/account/sessions/:id,
 * POST /api/account/sign-out-everywhere, DELETE /api/account/trusted-devices/:id, GET /api/account/history, POST /api/account/email,
 * POST /api/account/email/resend, POST /api/account/email/verify, POST /api/account/delete.
 * The state-changing calls count against the per-IP budget.
 */
export function createAccountRouter(deps: { account: AccountService; security?: AccountSecurity; limits?: RequestHandler[] }): Router {
  const { account, security } = deps;
  const limits = deps.limits ?? [];
  const router = Router();

  router.get("/account/claims", async (req, res) => {
    res.json(await account.claims(req));
  });

  if (security === undefined) return router;

  router.get("/account", async (req, res) => {
    res.json(await security.overview(req));
  });

  router.post("/account/password", ...limits, async (req, res) => {
    res.json(await security.changePassword(req, changePasswordRequestSchema.parse(req.body)));
  });

  router.get("/account/sessions", async (req, res) => {
    res.json(await security.sessions(req));
  });

  router.delete("/account/sessions/:id", ...limits, async (req, res) => {
    await security.signOutSession(req, String(req.params.id));
    res.status(204).end();
  });

  router.post("/account/sign-out-everywhere", ...limits, async (req, res) => {
    emptyRequestSchema.parse(req.body ?? {});
    await security.signOutEverywhere(req, res);
    res.json({ redirectTo: "/signin" });
  });

  router.delete("/account/trusted-devices/:id", ...limits, async (req, res) => {
    await security.forgetTrustedDevice(req, String(req.params.id));
    res.status(204).end();
  });

  router.get("/account/history", async (req, res) => {
    res.json(await security.history(req));
  });

  router.post("/account/email", ...limits, async (req, res) => {
    const delivery = await security.changeEmail(req, changeEmailRequestSchema.parse(req.body));
    res.status(202).json({ next: "verify", delivery });
  });

  router.post("/account/email/resend", ...limits, async (req, res) => {
    emptyRequestSchema.parse(req.body ?? {});
    res.status(202).json({ next: "verify", delivery: await security.resendEmailCode(req) });
  });

  router.post("/account/email/verify", ...limits, async (req, res) => {
    const { code } = verifyEmailRequestSchema.parse(req.body);
    res.json(await security.verifyEmail(req, code));
  });

  router.post("/account/delete", ...limits, async (req, res) => {
    const { confirmation } = deleteAccountRequestSchema.parse(req.body);
    await security.deleteAccount(req, res, confirmation);
    res.json({ redirectTo: "/signin" });
  });

  return router;
}
