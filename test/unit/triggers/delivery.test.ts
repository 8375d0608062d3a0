import { SendEmailCommand } from "@aws-sdk/client-sesv2";
import { PublishCommand } from "@aws-sdk/client-sns";
import { createAwsDelivery } from "../../../triggers/delivery/aws-delivery";
import type { DeliveryPort, OutgoingMessage } from "../../../triggers/delivery/delivery-port";
import { createSesDelivery } from "../../../triggers/delivery/ses-delivery";
import { createSnsDelivery } from "../../../triggers/delivery/sns-delivery";

const email: OutgoingMessage = {
  channel: "EMAIL",
  to: "jane.doe@example.com",
  subject: "Your Tobira sign-in code",
  text: "Your Tobira sign-in code is 123456.",
  code: "123456",
};
const sms: OutgoingMessage = { ...email, channel: "SMS", to: "+15555551234" };

function stubClient() {
  const send = vi.fn(async (_command: unknown) => ({}));
  return { client: { send } as never, send };
}

function recorder() {
  const sent: OutgoingMessage[] = [];
  const port: DeliveryPort = { send: async (message) => void sent.push(message) };
  return { port, sent };
}

describe("SES delivery", () => {
  it("sends one SendEmail with the sender, recipient, subject and text", async () => {
    const { client, send } = stubClient();
    await createSesDelivery({ from: "no-reply@tobira.example", client }).send(email);
    expect(send).toHaveBeenCalledTimes(1);
    const command = send.mock.calls[0]![0];
    expect(command).toBeInstanceOf(SendEmailCommand);
    expect((command as SendEmailCommand).input).toEqual({
      FromEmailAddress: "no-reply@tobira.example",
      Destination: { ToAddresses: ["jane.doe@example.com"] },
      Content: {
        Simple: {
          Subject: { Data: "Your Tobira sign-in code", Charset: "UTF-8" },
          Body: { Text: { Data: "Your Tobira sign-in code is 123456.", Charset: "UTF-8" } },
        },
      },
    });
  });

  it("sends a message's HTML as the mail's second body part, next to the text", async () => {
    const { client, send } = stubClient();
    await createSesDelivery({ from: "no-reply@tobira.example", client }).send({ ...email, html: "<p>123456</p>" });
    expect((send.mock.calls[0]![0] as SendEmailCommand).input.Content?.Simple?.Body).toEqual({
      Text: { Data: "Your Tobira sign-in code is 123456.", Charset: "UTF-8" },
      Html: { Data: "<p>123456</p>", Charset: "UTF-8" },
    });
  });

  it("refuses an SMS message", async () => {
    const { client, send } = stubClient();
    await expect(createSesDelivery({ from: "no-reply@tobira.example", client }).send(sms)).rejects.toThrow(/email only/);
    expect(send).not.toHaveBeenCalled();
  });

  it("passes on the client's error", async () => {
    const send = vi.fn(async () => Promise.reject(new Error("MessageRejected")));
    await expect(createSesDelivery({ from: "no-reply@tobira.example", client: { send } as never }).send(email)).rejects.toThrow("MessageRejected");
  });
});

describe("SNS delivery", () => {
  it("publishes the text to the phone number as a transactional SMS", async () => {
    const { client, send } = stubClient();
    await createSnsDelivery({ client }).send(sms);
    const command = send.mock.calls[0]![0];
    expect(command).toBeInstanceOf(PublishCommand);
    expect((command as PublishCommand).input).toEqual({
      PhoneNumber: "+15555551234",
      Message: "Your Tobira sign-in code is 123456.",
      MessageAttributes: { "AWS.SNS.SMS.SMSType": { DataType: "String", StringValue: "Transactional" } },
    });
  });

  it("refuses an email message", async () => {
    const { client, send } = stubClient();
    await expect(createSnsDelivery({ client }).send(email)).rejects.toThrow(/SMS only/);
    expect(send).not.toHaveBeenCalled();
  });
});

describe("AWS delivery routing", () => {
  it("routes EMAIL to the email channel only", async () => {
    const mail = recorder();
    const text = recorder();
    await createAwsDelivery({ sesFromAddress: "no-reply@tobira.example" }, { email: mail.port, sms: text.port }).send(email);
    expect(mail.sent).toEqual([email]);
    expect(text.sent).toEqual([]);
  });

  it("routes SMS to the SMS channel only", async () => {
    const mail = recorder();
    const text = recorder();
    await createAwsDelivery({ sesFromAddress: "no-reply@tobira.example" }, { email: mail.port, sms: text.port }).send(sms);
    expect(text.sent).toEqual([sms]);
    expect(mail.sent).toEqual([]);
  });

  it("refuses email when no sender address is configured", async () => {
    const text = recorder();
    await expect(createAwsDelivery({ region: "us-east-1" }, { sms: text.port }).send(email)).rejects.toThrow(/SES_FROM_ADDRESS/);
  });

  it("builds the SES and SNS adapters from the configuration without network calls", () => {
    expect(() => createAwsDelivery({ sesFromAddress: "no-reply@tobira.example", region: "us-east-1" })).not.toThrow();
  });
});
