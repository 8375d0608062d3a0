import { Router, type Request, type Response } from "express";
import Provider from "oidc-provider";
import type { InteractionResponse } from "../../common/api-contract";
import type { AccountService } from "../account/account-service";
import type { CognitoGateway } from "../cognito/cognito-gateway";
import type { BffConfig } from "../config";
import type { Logger } from "../logger";
import type { SessionManager } from "../session/session-manager";
import type { AuthenticatedSession } from "../session/session-records";
import type { SignOut } from "../session/sign-out";
import type { Store } from "../store/store";
import { createAccountStore } from "./accounts";
import { createBackChannelLogout, type BackChannelLogout, type EndedProviderSession } from "./back-channel-logout";
import { createConsentStore } from "./consent";
import { createConsentApi } from "./consent-api";
import type { ConsentApi } from "./interaction-api";
import { createInteractionRouter } from "./interaction-routes";
import { createLiveUserCheck } from "./live-user";
import { createProviderPages, spaStylesheet } from "./pages";
import { createPendingInteraction } from "./pending-interaction";
import { createProviderEndpointsRouter, pinToPublicUrl } from "./provider-endpoints";
import { attachProviderHooks } from "./provider-hooks";
import { providerOptions } from "./provider-options";
import { createProviderRateLimits } from "./provider-rate-limits";
import { createEndProviderSession, endTobiraSessionOnProviderLogout } from "./provider-sign-out";

/**
 * The OpenID Provider mounted in the BFF, put together: oidc-provider with Tobira's options
 * (provider-options.ts) and hooks (provider-hooks.ts), its endpoints (provider-endpoints.ts), the
 * sign-in interaction that joins it to the SPA (interaction-routes.ts, pending-interaction.ts; the
 * SPA's JSON view of it is interaction-api.ts) and its part in signing out (provider-sign-out.ts,
 * back-channel-logout.ts).
 */

export interface OpenIdProviderDeps {
  config: BffConfig;
  store: Store;
  sessions: SessionManager;
  account: AccountService;
  logger: Logger;
  /** For the live check of a user at each app refresh and user-info call (live-user.ts); without it, the sign-in's snapshot alone. */
  cognito?: CognitoGateway;
  /** Tobira's sign-out, for a sign-out confirmed at the provider. */
  signOut: Pick<SignOut, "thisBrowserAfterProviderLogout" | "providerSessionEnded">;
}

export interface OpenIdProvider {
  provider: Provider;
  /** The provider's endpoints (/oidc/*, discovery) and the interaction routes (/interaction/*). */
  router: Router;
  /** For the sign-in service: where the browser goes once signed in (the pending RP request, or /account). */
  completionRedirect(req: Request, session: AuthenticatedSession): Promise<string>;
  /** `GET /api/interaction`: the RP request waiting for this browser, if any. */
  pendingInteraction(req: Request): Promise<InteractionResponse | undefined>;
  /** Ends this browser's provider session and revokes what it granted (POST /api/logout); resolves to what ended. */
  endProviderSession(req: Request, res: Response): Promise<EndedProviderSession | undefined>;
  /** Logout tokens to relying parties (OpenID Connect Back-Channel Logout 1.0), for session/sign-out.ts. */
  backChannelLogout: BackChannelLogout;
  /** The consent page's decision and the account page's connected apps (interaction-api.ts). */
  consent: ConsentApi;
}

export function createOpenIdProvider(deps: OpenIdProviderDeps): OpenIdProvider {
  const { config, store, sessions, account, logger, signOut } = deps;
  const accounts = createAccountStore(store);
  const consents = createConsentStore(store, { decisionTtlSeconds: config.session.signInTtlSeconds });
  // The provider's own pages wear the SPA's stylesheet when the BFF serves the SPA.
  const pages = createProviderPages({ stylesheet: spaStylesheet(config.web) });
  const liveUser = deps.cognito === undefined ? undefined : createLiveUserCheck({ store, sessions, cognito: deps.cognito, logger });
  const provider = new Provider(config.publicUrl, providerOptions({ config, store, sessions, accounts, consents, pages, liveUser }));
  attachProviderHooks(provider, { logger, onProviderLogout: endTobiraSessionOnProviderLogout({ sessions, signOut }) });
  const backChannelLogout = createBackChannelLogout({ provider, store, logger });
  const pending = createPendingInteraction({ provider, store, config });

  const router = Router();
  router.use(pinToPublicUrl(config.publicUrl));
  router.use(...createProviderRateLimits({ config, store, pages, logger }));
  router.use(createProviderEndpointsRouter({ provider, config, pages }));
  router.use(createInteractionRouter({ provider, config, store, sessions, account, accounts, consents, pages, logger, pending }));

  return {
    provider,
    router,
    completionRedirect: pending.completionRedirect,
    pendingInteraction: pending.pendingInteraction,
    endProviderSession: createEndProviderSession({ provider, store, config }),
    backChannelLogout,
    consent: createConsentApi({ provider, config, store, account, consents, pending, backChannelLogout }),
  };
}
