import type { Request } from "express";
import type Provider from "oidc-provider";
import type { AccountService } from "../account/account-service";
import { connectedAppsOf } from "../account/connected-apps";
import type { BffConfig } from "../config";
import type { Store } from "../store/store";
import type { BackChannelLogout } from "./back-channel-logout";
import type { ConsentStore } from "./consent";
import type { ConsentApi } from "./interaction-api";
import type { PendingInteraction } from "./pending-interaction";
import { revokeClientGrants } from "./store-adapter";

/** The consent page's and the account page's side of consent (interaction-api.ts has the routes). */
export function createConsentApi(deps: {
  provider: Provider;
  config: BffConfig;
  store: Store;
  account: Pick<AccountService, "requireSession">;
  consents: ConsentStore;
  pending: Pick<PendingInteraction, "rememberedUid">;
  backChannelLogout: Pick<BackChannelLogout, "appDisconnected">;
}): ConsentApi {
  const { provider, config, store, account, consents, pending, backChannelLogout } = deps;

  return {
    async decide(req: Request, decision) {
      const session = await account.requireSession(req);
      const uid = pending.rememberedUid(req);
      const interaction = uid === undefined ? undefined : await provider.Interaction.find(uid);
      // Only the consent this browser was sent to answer, for the user signed in here.
      if (interaction === undefined || interaction.prompt.name !== "consent" || interaction.session?.accountId !== session.sub) return undefined;
      await consents.recordDecision(interaction.uid, { sub: session.sub, decision });
      return { redirectTo: `/interaction/${interaction.uid}/complete` };
    },

    async connectedApps(req) {
      const session = await account.requireSession(req);
      const [granted, remembered] = await Promise.all([connectedAppsOf(store, config.oidc.clients, session.sub), consents.list(session.sub)]);
      const apps = new Map(granted.map((app) => [app.clientId, app]));
      // An app allowed on the consent page stays listed (and revocable) after its grant expired.
      for (const consent of remembered) {
        const client = config.oidc.clients.find((candidate) => candidate.clientId === consent.clientId);
        const app = apps.get(consent.clientId);
        if (client === undefined) continue;
        apps.set(consent.clientId, {
          clientId: consent.clientId,
          name: client.name,
          grantedAt: Math.min(app?.grantedAt ?? consent.grantedAt, consent.grantedAt),
          scopes: [...new Set([...(app?.scopes ?? []), ...consent.scopes])],
        });
      }
      return [...apps.values()].sort((a, b) => a.name.localeCompare(b.name));
    },

    async disconnect(req, clientId) {
      const session = await account.requireSession(req);
      const [consent, apps] = await Promise.all([consents.find(session.sub, clientId), connectedAppsOf(store, config.oidc.clients, session.sub)]);
      if (consent === undefined && !apps.some((app) => app.clientId === clientId)) return false;
      // The app hears of it while its sessions and grants can still be read; then they end.
      await backChannelLogout.appDisconnected(session.sub, clientId);
      await Promise.all([consents.forget(session.sub, clientId), revokeClientGrants(store, session.sub, clientId)]);
      return true;
    },
  };
}
