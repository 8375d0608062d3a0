import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import type { DeliveryPort } from "./delivery-port";

export type SnsDeliveryOptions = {
  region?: string;
  /** For tests: anything with the client's `send`. */
  client?: Pick<SNSClient, "send">;
};

/** SMS delivery through Amazon SNS Publish to an E.164 phone number. */
export function createSnsDelivery(options: SnsDeliveryOptions = {}): DeliveryPort {
  const client = options.client ?? new SNSClient(options.region === undefined ? {} : { region: options.region });
  return {
    async send(message) {
      if (message.channel !== "SMS") throw new Error(`SNS delivery sends SMS only, not ${message.channel}`);
      await client.send(
        new PublishCommand({
          PhoneNumber: message.to,
          Message: message.text,
          // Transactional: SNS optimises for reliability, as sign-in codes need (AWS SNS SMS message types).
          MessageAttributes: { "AWS.SNS.SMS.SMSType": { DataType: "String", StringValue: "Transactional" } },
        }),
      );
    },
  };
}
