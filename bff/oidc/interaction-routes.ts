import { Router, type NextFunction, type Request, type RequestHandler, type Response } from "express";
import { errors, type Interaction } from "oidc-provider";
import type Provider from "oidc-provider";
import type { AccountService } from "../account/account-service";
import type { BffConfig } from "../config";
import { ApiError } from "../errors";
import type { Logger } from "../logger";
import { createPasskeyRepository } from "../passkeys/passkey-store";
import { nowSeconds, sessionCookieMiddleware, type SessionManager } from "../session/session-manager";
import type { AuthenticatedSession } from "../session/session-records";
import type { Store } from "../store/store";
import type { AccountStore } from "./accounts";
import type { ConsentStore } from "./consent";
import { denyFraming, pageLanguage, type ProviderPages } from "./pages";
import { interactionUid, signInForInteractionKind, type PendingInteraction } from "./pending-interaction";
import { acrFor, asksForPasskey, requestedScopes, usedPasskey } from "./provider-options";
import { maySkipSignIn } from "./single-sign-on";

/**
 * The sign-in interaction that joins the provider to the SPA (/interaction/*, HTML: the browser
 * is navigating):
 *
 *   RP → /oidc/auth → 303 /interaction/<uid> (this router) → already signed in and SSO allowed?
 *     yes: finish the login at once; no: remember <uid> (pending-interaction.ts) and 303 to /signin (the SPA)
 *   SPA sign-in done → `redirectTo: /interaction/<uid>/complete` → finish the login →
 *     303 /oidc/auth/<uid> → 303 to the RP with code, state and iss.
 */

export interface InteractionRoutesDeps {
  provider: Provider;
  config: BffConfig;
  store: Store;
  sessions: SessionManager;
  account: AccountService;
  accounts: AccountStore;
  consents: ConsentStore;
  pages: ProviderPages;
  logger: Logger;
  pending: PendingInteraction;
}

class InteractionGone extends Error {}

export function createInteractionRouter(deps: InteractionRoutesDeps): Router {
  const { provider, config, store, sessions, account, accounts, consents, pages, logger, pending } = deps;
  const passkeys = createPasskeyRepository(store);
  const cookieSession = sessionCookieMiddleware(config);

  async function loadInteraction(req: Request, res: Response): Promise<Interaction> {
    let interaction: Interaction;
    try {
      interaction = await provider.interactionDetails(req, res);
    } catch (error) {
      if (error instanceof errors.SessionNotFound) throw new InteractionGone();
      throw error;
    }
    if (interaction.uid !== req.params.uid) throw new InteractionGone();
    return interaction;
  }

  function finish(req: Request, res: Response, result: Parameters<Provider["interactionFinished"]>[2]): Promise<void> {
    pending.forget(req, res);
    // 303 (RFC 9700 §4.12): the browser must not repeat a POST at the next hop.
    return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  }

  async function finishLogin(req: Request, res: Response, session: AuthenticatedSession, interaction: Interaction): Promise<void> {
    // Fresh Cognito attributes for the ID token and /userinfo; fails when Cognito has ended the session.
    const { userInfo } = await account.claims(req);
    await accounts.save(session.sub, userInfo);
    const login = { accountId: session.sub, amr: session.amr, acr: acrFor(session.amr), ts: session.authTime, remember: true };
    // A sign-in made for prompt=create also answers it (the account exists now, or already did).
    await finish(req, res, interaction.prompt.name === "create" ? { login, create: { accountId: session.sub } } : { login });
  }

  /** Grants the requested scopes to the app and finishes the consent prompt. */
  async function grantRequested(req: Request, res: Response, interaction: Interaction, accountId: string, clientId: string): Promise<void> {
    const existing = interaction.grantId === undefined ? undefined : await provider.Grant.find(interaction.grantId);
    const grant = existing?.accountId === accountId ? existing : new provider.Grant({ accountId, clientId });
    grant.addOIDCScope(requestedScopes(interaction).join(" ") || "openid");
    return finish(req, res, { consent: { grantId: await grant.save() } });
  }

  /**
   * A consent prompt (an app that is not first party, or any app asking with prompt=consent).
   * First-party apps are granted what they ask for, as at sign-in. For the others the user
   * decides on the SPA's consent page (POST /api/consent records the decision for this
   * interaction); an allowed consent is remembered for the user and the app (consent.ts).
   */
  async function answerConsent(req: Request, res: Response, interaction: Interaction): Promise<void> {
    const clientId = interaction.params.client_id;
    const accountId = interaction.session?.accountId;
    if (accountId === undefined || typeof clientId !== "string") {
      return finish(req, res, { error: "access_denied", error_description: "The app's request cannot be granted without a signed-in user." });
    }
    const client = config.oidc.clients.find((candidate) => candidate.clientId === clientId);
    if (client?.firstParty === true) return grantRequested(req, res, interaction, accountId, clientId);
    const decision = await consents.takeDecision(interaction.uid);
    // Only the decision of the user the request is for, made in a signed-in Tobira session of theirs.
    const session = await sessions.readAuthenticated(req);
    if (decision === undefined || decision.sub !== accountId || session?.sub !== accountId) {
      pending.remember(req, res, interaction.uid);
      res.redirect(303, "/consent");
      return;
    }
    if (decision.decision === "deny") {
      return finish(req, res, { error: "access_denied", error_description: "The user did not allow the app to access their account." });
    }
    await consents.remember(accountId, clientId, requestedScopes(interaction));
    return grantRequested(req, res, interaction, accountId, clientId);
  }

  function toSignIn(req: Request, res: Response, uid: string): void {
    pending.remember(req, res, uid);
    res.redirect(303, "/signin");
  }

  /** The app asks for a passkey sign-in (acr_values), this sign-in used none, and the user has no passkey to use. */
  async function noPasskeyToStepUpWith(interaction: Interaction, session: AuthenticatedSession): Promise<boolean> {
    if (!asksForPasskey(interaction.params) || usedPasskey(session.amr)) return false;
    return (await passkeys.listForUser(session.username)).length === 0;
  }

  /** The app's `ui_locales`, else the browser's languages (bff/oidc/pages.ts). */
  const languageOf = (req: Request, interaction?: Interaction) => pageLanguage(interaction?.params.ui_locales, req.get("accept-language"));

  async function showNoPasskeyPage(req: Request, res: Response, interaction: Interaction): Promise<void> {
    const client = await provider.Client.find(String(interaction.params.client_id));
    res
      .status(200)
      .type("html")
      .send(pages.noPasskeyPage(client?.clientName ?? "The app", `/interaction/${interaction.uid}/no-passkey`, languageOf(req, interaction)));
  }

  /** prompt=create (OpenID Connect Initiating User Registration 1.0): the sign-up page, then back here once signed in. */
  function toSignUp(req: Request, res: Response, uid: string): void {
    pending.remember(req, res, uid);
    res.redirect(303, "/signup");
  }

  /** Interaction pages answer in HTML (the browser is navigating), never with a stack trace. */
  const page =
    (handler: (req: Request, res: Response) => Promise<void>): RequestHandler =>
    async (req: Request, res: Response, next: NextFunction) => {
      res.setHeader("Cache-Control", "no-store");
      denyFraming(res);
      try {
        await handler(req, res);
      } catch (error) {
        if (res.headersSent) {
          next(error);
          return;
        }
        if (error instanceof InteractionGone) {
          res
            .status(400)
            .type("html")
            .send(pages.errorPage("invalid_request", "This sign-in request has expired, was already finished, or was opened in another browser.", languageOf(req)));
          return;
        }
        if (error instanceof ApiError && error.status === 401) {
          // Cognito no longer honours this session (the account service has ended it): sign in again.
          const uid = interactionUid(req.params.uid);
          if (uid !== undefined) {
            toSignIn(req, res, uid);
            return;
          }
        }
        logger.error({ err: error }, "interaction failed");
        res
          .status(500)
          .type("html")
          .send(pages.errorPage("server_error", "Something went wrong on our side. Go back to the app and try again.", languageOf(req)));
      }
    };

  /**
   * Cancelling, and giving up for want of a passkey, change state (the app receives
   * access_denied): only Tobira's own pages may lead there, not a cross-site navigation (OWASP
   * Cross-Site Request Forgery Prevention Cheat Sheet, "Fetch Metadata headers"). A browser that
   * sends no Sec-Fetch-Site is let through, as the session cookie's SameSite=Lax already is.
   */
  function refusedCrossSite(req: Request, res: Response, description: string): boolean {
    const site = req.get("sec-fetch-site");
    if (site === undefined || site === "same-origin" || site === "none") return false;
    res
      .status(403)
      .type("html")
      .send(pages.errorPage("access_denied", description, languageOf(req)));
    return true;
  }

  const router = Router();

  router.get(
    "/interaction/cancel",
    cookieSession,
    page(async (req, res) => {
      if (refusedCrossSite(req, res, "Cancel the sign-in from the sign-in page.")) return;
      const uid = pending.rememberedUid(req);
      res.redirect(303, uid === undefined ? "/signin" : `/interaction/${uid}/abort`);
    }),
  );

  router.get(
    "/interaction/:uid",
    cookieSession,
    page(async (req, res) => {
      const interaction = await loadInteraction(req, res);
      if (interaction.prompt.name === "consent") return answerConsent(req, res, interaction);
      if (interaction.prompt.name === "create") return toSignUp(req, res, interaction.uid);
      const session = await sessions.readAuthenticated(req);
      if (session !== undefined && maySkipSignIn(interaction.prompt, interaction.params, session, nowSeconds())) {
        return finishLogin(req, res, session, interaction);
      }
      if (session !== undefined && (await noPasskeyToStepUpWith(interaction, session))) return showNoPasskeyPage(req, res, interaction);
      toSignIn(req, res, interaction.uid);
    }),
  );

  router.get(
    "/interaction/:uid/complete",
    cookieSession,
    page(async (req, res) => {
      const interaction = await loadInteraction(req, res);
      if (interaction.prompt.name === "consent") return answerConsent(req, res, interaction);
      const session = await sessions.readAuthenticated(req);
      const signedInForThis = await store.consume<{ sub: string }>(signInForInteractionKind, interaction.uid);
      // A sign-in made for this request, or one SSO may reuse; never an older one for prompt=login / max_age.
      if (session === undefined || !(signedInForThis?.sub === session.sub || maySkipSignIn(interaction.prompt, interaction.params, session, nowSeconds()))) {
        toSignIn(req, res, interaction.uid);
        return;
      }
      // The app asked for a passkey and this sign-in used none: never a silent downgrade.
      if (asksForPasskey(interaction.params) && !usedPasskey(session.amr)) {
        if (await noPasskeyToStepUpWith(interaction, session)) return showNoPasskeyPage(req, res, interaction);
        toSignIn(req, res, interaction.uid);
        return;
      }
      await finishLogin(req, res, session, interaction);
    }),
  );

  router.get(
    "/interaction/:uid/no-passkey",
    cookieSession,
    page(async (req, res) => {
      if (refusedCrossSite(req, res, "Answer the app from Tobira's page.")) return;
      await loadInteraction(req, res);
      await finish(req, res, { error: "access_denied", error_description: "The app asks for a sign-in with a passkey, and the account has none." });
    }),
  );

  router.get(
    "/interaction/:uid/abort",
    cookieSession,
    page(async (req, res) => {
      if (refusedCrossSite(req, res, "Cancel the sign-in from the sign-in page.")) return;
      await loadInteraction(req, res);
      await finish(req, res, { error: "access_denied", error_description: "The user cancelled the sign-in." });
    }),
  );

  return router;
}
