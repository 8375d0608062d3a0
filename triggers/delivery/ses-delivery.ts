import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import type { DeliveryPort } from "./delivery-port";

export type SesDeliveryOptions = {
  region?: string;
  /** A verified SES identity. */
  from: string;
  /** For tests: anything with the client's `send`. */
  client?: Pick<SESv2Client, "send">;
};

/** Email delivery through Amazon SES v2 SendEmail (simple content, UTF-8 text body and, when given, an HTML body). */
export function createSesDelivery(options: SesDeliveryOptions): DeliveryPort {
  const client = options.client ?? new SESv2Client(options.region === undefined ? {} : { region: options.region });
  return {
    async send(message) {
      if (message.channel !== "EMAIL") throw new Error(`SES delivery sends email only, not ${message.channel}`);
      await client.send(
        new SendEmailCommand({
          FromEmailAddress: options.from,
          Destination: { ToAddresses: [message.to] },
          Content: {
            Simple: {
              Subject: { Data: message.subject, Charset: "UTF-8" },
              Body: {
                Text: { Data: message.text, Charset: "UTF-8" },
                ...(message.html === undefined ? {} : { Html: { Data: message.html, Charset: "UTF-8" } }),
              },
            },
          },
        }),
      );
    },
  };
}
