import type { DeliveryPort } from "../../triggers/delivery/delivery-port";
import { JsonFile } from "./json-file";

/** A message Cognito or a trigger would have sent by email or SMS. */
export interface OutboxMessage {
  to: string;
  subject: string;
  text: string;
  /**
   * The HTML part of a mail that has one: the BFF's security mails, the sign-in code mail, and
   * Cognito's messages the CustomMessage trigger words (their only body; `text` is then its text).
   */
  html?: string;
  /** The code the message carries; empty for a notice without one. */
  code: string;
  /** ISO 8601. */
  sentAt: string;
}

export type NewOutboxMessage = Omit<OutboxMessage, "sentAt">;

interface OutboxDocument {
  version: 1;
  messages: OutboxMessage[];
}

/** The newest messages kept; the outbox is a local convenience, not an archive. */
const MAX_MESSAGES = 500;

/**
 * The local stand-in for SES/SNS: messages are kept (persisted) instead of sent, readable at
 * `GET /_local/outbox` and on the `/_local/mailbox` page.
 */
export class Outbox {
  private messages: OutboxMessage[];
  private readonly file: JsonFile<OutboxDocument>;
  private readonly listeners = new Set<(message: OutboxMessage) => void>();

  constructor(
    path: string,
    private readonly now: () => number,
  ) {
    this.file = new JsonFile<OutboxDocument>(path);
    this.messages = this.file.read()?.messages ?? [];
  }

  async add(message: NewOutboxMessage): Promise<OutboxMessage> {
    const stored: OutboxMessage = { ...message, sentAt: new Date(this.now()).toISOString() };
    this.messages = [...this.messages, stored].slice(-MAX_MESSAGES);
    await this.file.write({ version: 1, messages: this.messages });
    for (const listener of this.listeners) listener(stored);
    return stored;
  }

  /** Newest first; only messages to `to` (compared case-insensitively) when given. */
  list(to?: string): OutboxMessage[] {
    const wanted = to?.toLowerCase();
    return this.messages.filter((message) => wanted === undefined || message.to.toLowerCase() === wanted).reverse();
  }

  /** Calls `listener` for each message added from now on; returns the unsubscribe function. */
  onMessage(listener: (message: OutboxMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The triggers' delivery port, delivering into this outbox. */
  asDeliveryPort(): DeliveryPort {
    return {
      send: async ({ to, subject, text, html, code }) => {
        await this.add({ to, subject, text, ...(html === undefined ? {} : { html }), code });
      },
    };
  }

  flush(): Promise<void> {
    return this.file.flush();
  }
}
