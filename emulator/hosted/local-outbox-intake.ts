import express, { type Router } from "express";
import { z } from "zod";
import type { Outbox } from "../state/outbox";

/**
 * `POST /_local/outbox` (no part of Cognito's API): the local stand-in for SES that the BFF's
 * security mails are posted to over HTTP (bff/security/mail-delivery.ts), so they land in the same
 * outbox and mailbox page as Cognito's codes. JSON `{to, subject, text, html?}` → 201.
 */

const mailSchema = z.object({
  to: z.string().min(3).max(254),
  subject: z.string().min(1).max(998),
  text: z.string().max(100_000),
  html: z.string().max(200_000).optional(),
});

export function createLocalOutboxIntakeRouter(outbox: () => Outbox): Router {
  const router = express.Router();
  router.post("/_local/outbox", express.json({ limit: "512kb" }), async (req, res) => {
    const parsed = mailSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: "expected {to, subject, text, html?}" });
      return;
    }
    const { to, subject, text, html } = parsed.data;
    await outbox().add({ to, subject, text, ...(html === undefined ? {} : { html }), code: "" });
    res.status(201).json({ ok: true });
  });
  return router;
}
