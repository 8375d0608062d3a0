/**
 * One sign-in code message. `code` travels alongside so a local outbox can show it; real channels
 * send `text` (and a mail also `html`, as its second part).
 */
export type OutgoingMessage = { channel: "EMAIL" | "SMS"; to: string; subject: string; text: string; html?: string; code: string };

/** Where the create-auth-challenge trigger sends codes: SES/SNS in AWS, the emulator's outbox locally. */
export interface DeliveryPort {
  send(message: OutgoingMessage): Promise<void>;
}
