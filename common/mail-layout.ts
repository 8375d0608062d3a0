/**
 * The one look of every mail Tobira words — the sign-in code and Cognito's own messages
 * (triggers/user-messages.ts), the security notices (bff/security/security-mail.ts): a lean,
 * table-based layout with inline styles (mail clients drop style sheets), the brand on top, one
 * h1, a quiet footer, and `lang` for screen readers (WCAG 3.1.1).
 */

/** Escapes text for HTML element content and attribute values (OWASP XSS Prevention Cheat Sheet, rule 1). */
export function escapeMailHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

export interface BrandedMail {
  language: "en" | "ja";
  brand: string;
  /** The mail's subject, as the document title (plain text). */
  title: string;
  /** The body between the brand and the footer: already safe HTML. */
  contentHtml: string;
  /** Plain text. */
  footer: string;
}

export const MAIL_FONT = "system-ui,-apple-system,'Segoe UI','Hiragino Sans','Noto Sans JP',sans-serif";

export function brandedMailHtml(mail: BrandedMail): string {
  return `<!doctype html>
<html lang="${mail.language}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeMailHtml(mail.title)}</title></head>
<body style="margin:0;padding:0;background:#f4f5f7">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f5f7;padding:24px 0">
<tr><td align="center">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:520px;background:#ffffff;border-radius:8px;font-family:${MAIL_FONT};color:#1a1a1a;line-height:1.6">
<tr><td style="padding:20px 28px;border-bottom:4px solid #1f4fbf;font-weight:700;font-size:18px;color:#1f4fbf">${escapeMailHtml(mail.brand)}</td></tr>
<tr><td style="padding:24px 28px 8px">
${mail.contentHtml}
</td></tr>
<tr><td style="padding:16px 28px 24px;border-top:1px solid #e5e7eb;color:#666;font-size:12px">${escapeMailHtml(mail.footer)}</td></tr>
</table>
</td></tr>
</table>
</body>
</html>`;
}
