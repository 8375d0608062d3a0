import { Router, type Request, type RequestHandler } from "express";
import { z } from "zod";
import {
  emptyRequestSchema,
  passkeySignInOptionsRequestSchema,
  passkeySignInRequestSchema,
  registerPasskeyRequestSchema,
  renamePasskeyRequestSchema,
  stepUpRequestSchema,
} from "../../common/api-contract";
import { ApiError } from "../errors";
import { PasskeyRejectedError } from "./passkey-errors";
import type { PasskeyManagement } from "./passkey-management";
import type { PasskeySignIn } from "./passkey-sign-in";
import type { PasskeyStepUp } from "./passkey-step-up";

/** A credential id as it appears in a path: base64url, bounded (WebAuthn ids are at most 1023 bytes). */
const credentialIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,1400}$/);

function credentialIdOf(value: unknown): string {
  const parsed = credentialIdSchema.safeParse(value);
  if (!parsed.success) throw new ApiError(404, "not_found", "There is no such passkey on your account.");
  return parsed.data;
}

/** Keeps why a passkey was refused in the logs (the answer only says that it was). */
function logRejection(req: Request): (error: unknown) => never {
  return (error) => {
    if (error instanceof PasskeyRejectedError) req.log?.info({ reason: error.reason }, "passkey rejected");
    throw error;
  };
}

/**
 * GET/POST /api/passkeys, GET /api/passkeys/signals, POST /api/passkeys/options,
 * POST /api/passkeys/step-up/options, POST /api/passkeys/step-up, PATCH/DELETE /api/passkeys/:id
 * (docs/architecture.md, "The JSON API"). The step-up calls count against `limits` (per IP); a
 * wrong password also against the account's sign-in budget (passkey-step-up.ts).
 */
export function createPasskeyRouter(deps: { management: PasskeyManagement; stepUp: PasskeyStepUp; limits: RequestHandler[] }): Router {
  const { management, stepUp, limits } = deps;
  const router = Router();

  router.post("/passkeys/step-up/options", ...limits, async (req, res) => {
    emptyRequestSchema.parse(req.body ?? {});
    res.json(await stepUp.options(req));
  });

  router.post("/passkeys/step-up", ...limits, async (req, res) => {
    const input = stepUpRequestSchema.parse(req.body);
    res.json(await stepUp.prove(req, input).catch(logRejection(req)));
  });

  router.get("/passkeys", async (req, res) => {
    res.json(await management.list(req));
  });

  router.get("/passkeys/signals", async (req, res) => {
    res.json(await management.signals(req));
  });

  router.post("/passkeys/options", async (req, res) => {
    emptyRequestSchema.parse(req.body ?? {});
    res.json(await management.registrationOptions(req));
  });

  router.post("/passkeys", async (req, res) => {
    const input = registerPasskeyRequestSchema.parse(req.body);
    res.status(201).json(await management.register(req, input).catch(logRejection(req)));
  });

  router.patch("/passkeys/:id", async (req, res) => {
    const { name } = renamePasskeyRequestSchema.parse(req.body);
    res.json(await management.rename(req, credentialIdOf(req.params.id), name));
  });

  router.post("/passkeys/:id/confirm", async (req, res) => {
    emptyRequestSchema.parse(req.body ?? {});
    res.json(await management.confirm(req, credentialIdOf(req.params.id)));
  });

  router.delete("/passkeys/:id", async (req, res) => {
    await management.remove(req, credentialIdOf(req.params.id));
    res.status(204).end();
  });

  return router;
}

/** POST /api/signin/passkey/options and POST /api/signin/passkey (docs/architecture.md, "The JSON API"). */
export function createPasskeySignInRouter(deps: { passkeySignIn: PasskeySignIn; limits: RequestHandler[]; optionsLimits: RequestHandler[] }): Router {
  const { passkeySignIn, limits, optionsLimits } = deps;
  const router = Router();

  router.post("/signin/passkey/options", ...optionsLimits, async (req, res) => {
    const { purpose } = passkeySignInOptionsRequestSchema.parse(req.body ?? {});
    res.json(await passkeySignIn.options(req, purpose));
  });

  router.post("/signin/passkey", ...limits, async (req, res) => {
    const { credential } = passkeySignInRequestSchema.parse(req.body);
    res.json(await passkeySignIn.finish(req, credential).catch(logRejection(req)));
  });

  return router;
}
