import { createHash } from "node:crypto";
import type { Response } from "express";

/** Escapes text for HTML element content and attribute values (OWASP XSS Prevention, rule #1/#2). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`=/]/g, (char) => `&#${char.charCodeAt(0)};`);
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:56rem;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.4rem}table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.5rem;text-align:left;vertical-align:top}
.code{font:600 1.3rem ui-monospace,monospace;letter-spacing:.15em}.muted{color:#666;font-size:.9rem}form{margin:1rem 0}`;
const STYLE_HASH = createHash("sha256").update(STYLE).digest("base64");

/**
 * Sends a small self-contained page. The CSP allows nothing but the page's own inline style
 * (by hash) and same-origin form posts; the page cannot be framed (OWASP Clickjacking Defense).
 */
export function sendPage(res: Response, status: number, title: string, bodyHtml: string, extraHead = ""): void {
  res
    .status(status)
    .set({
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "no-referrer",
      "Cache-Control": "no-store",
    })
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>${extraHead}<style>${STYLE}</style></head><body>${bodyHtml}</body></html>`,
    );
}
