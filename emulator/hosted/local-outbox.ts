import express, { type Router } from "express";
import type { Outbox, OutboxMessage } from "../state/outbox";
import { escapeHtml, sendPage } from "./html";

function recipient(query: unknown): string | undefined {
  return typeof query === "string" && query !== "" ? query : undefined;
}

function messageRow(message: OutboxMessage): string {
  return `<tr><td class="muted">${escapeHtml(message.sentAt)}</td><td>${escapeHtml(message.to)}</td><td>${escapeHtml(message.subject)}<div class="muted">${escapeHtml(message.text)}</div></td><td class="code">${escapeHtml(message.code)}</td></tr>`;
}

/**
 * The local outbox (no part of Cognito's API): `GET /_local/outbox?to=` as JSON, newest first,
 * and `GET /_local/mailbox`, a small page for people. Everything shown is escaped.
 */
export function createLocalOutboxRouter(outbox: () => Outbox): Router {
  const router = express.Router();
  router.get("/_local/outbox", (req, res) => {
    res.set("Cache-Control", "no-store").json(outbox().list(recipient(req.query.to)));
  });
  router.get("/_local/mailbox", (req, res) => {
    const to = recipient(req.query.to);
    const messages = outbox().list(to);
    const rows = messages.map(messageRow).join("");
    const body = `<h1>Local mailbox</h1>
<p class="muted">Messages the local Cognito emulator would have sent by email or SMS. Newest first; the page refreshes every 5 seconds.</p>
<form method="get" action="/_local/mailbox"><label>Recipient <input name="to" value="${escapeHtml(to ?? "")}"></label> <button>Filter</button></form>
${messages.length === 0 ? "<p>No messages yet.</p>" : `<table><thead><tr><th>Sent</th><th>To</th><th>Message</th><th>Code</th></tr></thead><tbody>${rows}</tbody></table>`}`;
    sendPage(res, 200, "Local mailbox", body, '<meta http-equiv="refresh" content="5">');
  });
  router.get("/_local/health", (_req, res) => {
    res.json({ ok: true });
  });
  return router;
}
