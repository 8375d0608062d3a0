import type { TriggersConfig } from "../config";
import type { DeliveryPort } from "./delivery-port";
import { createSesDelivery } from "./ses-delivery";
import { createSnsDelivery } from "./sns-delivery";

export type AwsDeliveryChannels = { email?: DeliveryPort; sms?: DeliveryPort };

/** Routes EMAIL to SES and SMS to SNS. `channels` replaces either adapter (tests). */
export function createAwsDelivery(config: Pick<TriggersConfig, "sesFromAddress" | "region">, channels: AwsDeliveryChannels = {}): DeliveryPort {
  const regionOption = config.region === undefined ? {} : { region: config.region };
  const email = channels.email ?? (config.sesFromAddress === undefined ? undefined : createSesDelivery({ ...regionOption, from: config.sesFromAddress }));
  const sms = channels.sms ?? createSnsDelivery(regionOption);
  return {
    async send(message) {
      if (message.channel === "SMS") return sms.send(message);
      if (email === undefined) throw new Error("Email delivery needs SES_FROM_ADDRESS");
      return email.send(message);
    },
  };
}
