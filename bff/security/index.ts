import type { BffConfig } from "../config";
import type { Logger } from "../logger";
import { metricsFor } from "../metrics";
import type { Store } from "../store/store";
import { createMailDelivery, type MailDelivery } from "./mail-delivery";
import { createSecurityEvents, type SecurityEvents } from "./security-events";
import { createSecurityHistory } from "./security-history";

/** The security-events module wired to the BFF's store, its mail delivery (config) and metrics. */
export function createSecurityEventsFor(deps: { config: BffConfig; store: Store; logger: Logger; mail?: MailDelivery }): SecurityEvents {
  const { config, store, logger } = deps;
  return createSecurityEvents({
    history: createSecurityHistory({ store, ttlSeconds: config.account.historyTtlSeconds }),
    mail: deps.mail ?? createMailDelivery(config.account.mail),
    links: { appName: config.passkeys.rpName, accountUrl: `${config.publicUrl}/account`, resetUrl: `${config.publicUrl}/password/forgot` },
    metrics: metricsFor(logger),
    logger,
  });
}
