import { randomUUID } from "node:crypto";
import type Provider from "oidc-provider";
import type { AdapterPayload } from "oidc-provider";
import type { Logger } from "../logger";
import type { Store } from "../store/store";
import { findAccountGrants, findAccountSessions } from "./store-adapter";

/**
 * OpenID Connect Back-Channel Logout 1.0: when a sign-out ends a user's session at Tobira, every
 * relying party registered with a `backchannelLogoutUri` that the session signed in to gets a
 * logout token, so that it ends its own session too.
 *
 * - The logout token (§2.4) is a JWT signed like the client's ID tokens, typed `logout+jwt`,
 *   with `iss`, `aud`, `iat`, `exp`, `jti`, the back-channel logout event, `sub`, and `sid` when
 *   one session ended; never a `nonce` (§2.4 forbids it).
 * - Delivery (§2.5) is a form POST from the server. It runs in the background: the user's
 *   sign-out never waits for a relying party. A failed delivery (no answer in time, a 5xx, a
 *   429) is retried briefly; every failure is logged and counted, never the token itself.
 * - Which scope of sign-out notifies whom is decided in bff/session/sign-out.ts.
 */

export const backChannelLogoutEvent = "http://schemas.openid.net/event/backchannel-logout";

/** A provider session as it ended: its user and, per client, the session id given to that client. */
export interface EndedProviderSession {
  accountId: string;
  /** client_id → the `sid` the client saw in its ID tokens. */
  sids: Record<string, string | undefined>;
}

export interface DeliveryOptions {
  /** Milliseconds one POST may take. */
  timeoutMs: number;
  /** Milliseconds to wait before each retry (its length is the number of retries). */
  retryDelaysMs: readonly number[];
}

export const defaultDeliveryOptions: DeliveryOptions = { timeoutMs: 2_000, retryDelaysMs: [250, 1_000] };

export interface BackChannelLogout {
  /** Notifies the relying parties of one provider session that has ended (this browser's). */
  providerSessionEnded(ended: EndedProviderSession): void;
  /**
   * Notifies every relying party the user signed in to, in every browser: one logout token per
   * provider session (with its `sid`), and one with `sub` alone for an app that holds a grant but
   * no session (an offline_access grant that outlived it). Reads the sessions and grants before it
   * returns, so the caller may revoke them afterwards; delivery goes on in the background.
   */
  userSignedOutEverywhere(sub: string): Promise<void>;
  /** As userSignedOutEverywhere, for one app only (the user revoked its access on the account page). */
  appDisconnected(sub: string, clientId: string): Promise<void>;
  /** Resolves once every delivery started so far has finished (tests, graceful shutdown). */
  settled(): Promise<void>;
  /** Deliveries that failed for good since start (each is also logged). */
  failures(): number;
}

/** The session ids a stored provider session gave its clients (oidc-provider's `authorizations`). */
export function sidsOf(session: Pick<AdapterPayload, "authorizations">): Record<string, string | undefined> {
  const authorizations = (session.authorizations ?? {}) as Record<string, { sid?: string } | undefined>;
  return Object.fromEntries(Object.entries(authorizations).map(([clientId, authorization]) => [clientId, authorization?.sid]));
}

function isRetryable(status: number): boolean {
  return status >= 500 || status === 429;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createBackChannelLogout(deps: { provider: Provider; store: Store; logger: Logger; options?: DeliveryOptions }): BackChannelLogout {
  const { provider, store, logger } = deps;
  const options = deps.options ?? defaultDeliveryOptions;
  const inFlight = new Set<Promise<void>>();
  let failed = 0;

  async function logoutToken(client: InstanceType<Provider["Client"]>, sub: string, sid: string | undefined): Promise<string> {
    const token = new provider.IdToken({ sub }, { client, ctx: undefined });
    // Only `sub` from the account's claims; the rest is the logout token's own (§2.4). `mask`
    // is the claims filter oidc-provider's own logout token uses (lib/models/client.js), which
    // @types/oidc-provider does not declare.
    (token as unknown as { mask: Record<string, null> }).mask = { sub: null };
    token.set("events", { [backChannelLogoutEvent]: {} });
    token.set("jti", randomUUID());
    if (sid !== undefined) token.set("sid", sid);
    return token.issue({ use: "logout" });
  }

  async function post(uri: string, body: string): Promise<{ ok: boolean; retry: boolean; status: number | "no answer" }> {
    try {
      const response = await fetch(uri, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body,
        redirect: "manual",
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      await response.body?.cancel();
      // §2.8: 200 (or 204) when the RP logged the user out.
      return { ok: response.status === 200 || response.status === 204, retry: isRetryable(response.status), status: response.status };
    } catch {
      return { ok: false, retry: true, status: "no answer" };
    }
  }

  async function deliver(clientId: string, sub: string, sid: string | undefined): Promise<void> {
    const client = await provider.Client.find(clientId);
    const uri = client?.backchannelLogoutUri;
    if (client === undefined || uri === undefined) return;
    // An RP that needs a sid cannot use a token without one (§2.2): nothing to send it.
    if (sid === undefined && client.backchannelLogoutSessionRequired === true) return;
    const body = new URLSearchParams({ logout_token: await logoutToken(client, sub, sid) }).toString();
    for (let attempt = 0; ; attempt += 1) {
      const outcome = await post(uri, body);
      if (outcome.ok) {
        logger.debug({ clientId, attempt }, "back-channel logout delivered");
        return;
      }
      if (!outcome.retry || attempt >= options.retryDelaysMs.length) {
        failed += 1;
        logger.warn({ clientId, status: outcome.status, attempts: attempt + 1 }, "back-channel logout failed");
        return;
      }
      await sleep(options.retryDelaysMs[attempt]!);
    }
  }

  function start(clientId: string, sub: string, sid: string | undefined): void {
    const delivery = deliver(clientId, sub, sid).catch((error: unknown) => {
      failed += 1;
      logger.warn({ clientId, err: error }, "back-channel logout failed");
    });
    inFlight.add(delivery);
    void delivery.finally(() => inFlight.delete(delivery));
  }

  async function notifyAccount(sub: string, includes: (clientId: string) => boolean): Promise<void> {
    const [sessions, grants] = await Promise.all([findAccountSessions(store, sub), findAccountGrants(store, sub)]);
    const notified = new Set<string>();
    for (const session of sessions) {
      for (const [clientId, sid] of Object.entries(sidsOf(session))) {
        if (!includes(clientId)) continue;
        notified.add(clientId);
        start(clientId, sub, sid);
      }
    }
    for (const grant of grants) {
      const clientId = grant.clientId;
      if (typeof clientId !== "string" || !includes(clientId) || notified.has(clientId)) continue;
      notified.add(clientId);
      start(clientId, sub, undefined);
    }
  }

  return {
    providerSessionEnded(ended) {
      for (const [clientId, sid] of Object.entries(ended.sids)) start(clientId, ended.accountId, sid);
    },

    userSignedOutEverywhere: (sub) => notifyAccount(sub, () => true),

    appDisconnected: (sub, clientId) => notifyAccount(sub, (candidate) => candidate === clientId),

    async settled() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },

    failures: () => failed,
  };
}
