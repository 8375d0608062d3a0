import type { Request } from "express";
import { MetricName } from "../../common/metric-names";
import type { Logger } from "../logger";
import type { Metrics } from "../metrics";
import type { MailDelivery } from "./mail-delivery";
import type { SecurityEvent, SecurityEventInput } from "./security-event-types";
import type { HistoryWriteOptions, SecurityHistory } from "./security-history";
import { securityMailFor, type MailLinks } from "./security-mail";

/**
 * Security events, in one place (docs/architecture.md, "The account security centre"): routes
 * and services say what happened to an account; this module hands it to each consumer — the
 * history (store records with a TTL), the security mail (delivery port), and the metrics. No
 * route sends mail or counts these itself.
 *
 * Recording never fails the action that happened: the password is changed whether or not its
 * notice could be sent. A consumer's failure is logged (without the address) and counted.
 */

/** `alongside` and `writeWith` apply to the history entry (none when `history` is false); like it, they never fail the action. */
export interface RecordOptions extends HistoryWriteOptions {
  /** False when the history is being erased (account deletion): only the mail and the metric. */
  history?: boolean;
}

export interface SecurityEvents {
  record(event: SecurityEventInput, options?: RecordOptions): Promise<void>;
  /** The account's events, newest first. */
  history: Pick<SecurityHistory, "list" | "eraseAll">;
}

/** The browser a request came from, as the events remember it. */
export function clientOf(req: Request): { userAgent: string; ip: string } {
  return { userAgent: (req.headers?.["user-agent"] ?? "").slice(0, 512), ip: req.ip ?? "" };
}

export function createSecurityEvents(deps: {
  history: SecurityHistory;
  mail: MailDelivery;
  links: MailLinks;
  metrics: Metrics;
  logger: Logger;
  now?: () => number;
}): SecurityEvents {
  const { history, mail, links, metrics, logger } = deps;
  const now = deps.now ?? (() => Math.floor(Date.now() / 1000));

  async function attempt(type: string, consumer: "history" | "mail", work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (error) {
      logger.warn({ event: type, consumer, err: error instanceof Error ? { name: error.name, message: error.message } : undefined }, "security event: a consumer failed");
      metrics.count(MetricName.SecurityEventFailed, { Event: type }, { consumer });
    }
  }

  return {
    history,

    async record(input, options = {}) {
      const event: SecurityEvent = { ...input, id: "", at: now() };
      metrics.count(MetricName.SecurityEvent, { Event: event.type });
      const content = securityMailFor(event, links);
      await Promise.all([
        options.history === false ? undefined : attempt(event.type, "history", () => history.add({ ...input, at: event.at }, options)),
        content === undefined || event.email === "" ? undefined : attempt(event.type, "mail", () => mail.send({ to: event.email, ...content })),
      ]);
    },
  };
}
