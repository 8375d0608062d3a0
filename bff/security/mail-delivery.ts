import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import type { SecurityMailSettings } from "../config";
import type { MailContent } from "./security-mail";

/**
 * The delivery port for the BFF's security mails: the same two ends as the triggers' port for
 * sign-in codes — SES on AWS, the emulator's outbox locally (reached over HTTP, so the BFF needs
 * no emulator in its process; emulator/hosted/local-outbox-intake.ts). A send that misses its
 * deadline fails; the caller logs and counts it (docs/architecture.md, "Deadlines").
 */

export interface MailMessage extends MailContent {
  to: string;
}

export interface MailDelivery {
  send(message: MailMessage): Promise<void>;
}

/** How long one mail may take to hand over. */
const sendDeadlineMs = 5_000;

export function createLocalOutboxDelivery(url: string, fetchImpl: typeof fetch = fetch): MailDelivery {
  return {
    async send(message) {
      const response = await fetchImpl(url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(message),
        redirect: "error",
        signal: AbortSignal.timeout(sendDeadlineMs),
      });
      if (!response.ok) throw new Error(`the local outbox answered ${response.status}`);
    },
  };
}

export function createSesMailDelivery(options: { from: string; region: string; client?: Pick<SESv2Client, "send"> }): MailDelivery {
  const client = options.client ?? new SESv2Client({ region: options.region });
  return {
    async send(message) {
      await client.send(
        new SendEmailCommand({
          FromEmailAddress: options.from,
          Destination: { ToAddresses: [message.to] },
          Content: {
            Simple: {
              Subject: { Data: message.subject, Charset: "UTF-8" },
              Body: { Text: { Data: message.text, Charset: "UTF-8" }, Html: { Data: message.html, Charset: "UTF-8" } },
            },
          },
        }),
        { abortSignal: AbortSignal.timeout(sendDeadlineMs) },
      );
    },
  };
}

/** No mail is sent (AWS mode without SECURITY_MAIL_FROM): the events are still recorded. */
export const noMailDelivery: MailDelivery = { send: async () => {} };

export function createMailDelivery(settings: SecurityMailSettings): MailDelivery {
  switch (settings.kind) {
    case "outbox":
      return createLocalOutboxDelivery(settings.url);
    case "ses":
      return createSesMailDelivery(settings);
    case "off":
      return noMailDelivery;
  }
}
