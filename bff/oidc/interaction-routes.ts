import express, { Router, type NextFunction, type Request, type RequestHandler, type Response } from "express";
import { errors, type Interaction } from "oidc-provider";
import type Provider from "oidc-provider";
import type { InteractionResponse } from "../../common/api-contract";
import type { AccountService } from "../account/account-service";
import type { BffConfig } from "../config";
import { ApiError } from "../errors";
import type { Logger } from "../logger";
import { nowSeconds, sessionCookieMiddleware, type SessionManager } from "../session/session-manager";
import type { AuthenticatedSession } from "../session/session-records";
import type { Store } from "../store/store";
import { createAccountStore } from "./accounts";
import { errorPage } from "./pages";
import { acrFor, createProvider, oidcRoutes } from "./provider";
import { maySkipSignIn } from "./single-sign-on";
import { revokeGrantEverywhere } from "./store-adapter";

/**
 * The OpenID Provider mounted in the BFF, and the sign-in interaction that joins it to the SPA:
 *
 *   RP → /oidc/auth → 303 /interaction/<uid> (this router) → already signed in and SSO allowed?
 *     yes: finish the login at once; no: remember <uid> in a cookie and 303 to /signin (the SPA)
 *   SPA sign-in done → `redirectTo: /interaction/<uid>/complete` → finish the login →
 *     303 /oidc/auth/<uid> → 303 to the RP with code, state and iss.
 *
 * oidc-provider path-scopes its interaction cookie to /interaction/<uid>, so the SPA's API calls
 * never see it; the pending uid travels in a cookie of our own (signed, HttpOnly, path /), which
 * only names the request: finishing it still needs the provider's cookie.
 */

export const interactionCookieName = "tobira.interaction";

/** Store kind: "this user signed in for interaction <uid>" (written at sign-in, consumed when finishing it). */
export const signInForInteractionKind = "oidc-signin-for";

const uidPattern = /^[A-Za-z0-9_-]{1,64}$/;

export interface OpenIdProviderDeps {
  config: BffConfig;
  store: Store;
  sessions: SessionManager;
  account: AccountService;
  logger: Logger;
  /** The BFF's logout: ends this browser's session and revokes its Cognito refresh token. */
  endBffSession(req: Request): Promise<void>;
}

export interface OpenIdProvider {
  provider: Provider;
  /** The provider's endpoints (/oidc/*, discovery) and the interaction routes (/interaction/*). */
  router: Router;
  /** For the sign-in service: where the browser goes once signed in (the pending RP request, or /account). */
  completionRedirect(req: Request, session: AuthenticatedSession): Promise<string>;
  /** `GET /api/interaction`: the RP request waiting for this browser, if any. */
  pendingInteraction(req: Request): Promise<InteractionResponse | undefined>;
  /** Ends this browser's provider session and revokes what it granted (POST /api/logout). */
  endProviderSession(req: Request, res: Response): Promise<void>;
}

/** The provider's own paths; everything else stays Express's. */
export function isProviderPath(path: string): boolean {
  return path.startsWith("/oidc/") || path === "/.well-known/openid-configuration";
}

class InteractionGone extends Error {}

/** The parameters of an end-session request (RP-Initiated Logout 1.0 §2). */
const endSessionParameters = ["id_token_hint", "logout_hint", "client_id", "post_logout_redirect_uri", "state", "ui_locales"] as const;

export function createOpenIdProvider(deps: OpenIdProviderDeps): OpenIdProvider {
  const { config, store, sessions, account, logger } = deps;
  const accounts = createAccountStore(store);
  const provider = createProvider({
    config,
    store,
    sessions,
    accounts,
    logger,
    async onProviderLogout(req, accountId) {
      // A provider session without a user has nothing to sign out: oidc-provider then submits its
      // logout form by itself, with no confirmation, so ending the Tobira session here would let any
      // site sign a user out with one link (logout CSRF, RP-Initiated Logout 1.0 §6).
      if (accountId === undefined) return;
      // The provider also signs its session out when another user signs in over it (a principal
      // change): that must not end the new user's Tobira session.
      const bff = await sessions.readAuthenticated(req);
      if (bff !== undefined && bff.sub !== accountId) return;
      await deps.endBffSession(req);
    },
  });
  const providerCallback = provider.callback();
  const cookieSession = sessionCookieMiddleware(config);
  const cookieOptions = { httpOnly: true, sameSite: "lax", secure: config.cookie.secure, path: "/", signed: true, overwrite: true } as const;

  // Authorization responses and post-logout redirects leave through a form post or a redirect
  // after one (the logout confirmation): CSP form-action must allow the registered RP origins.
  const formTargets = [
    ...new Set(config.oidc.clients.flatMap((client) => [...client.redirectUris, ...client.postLogoutRedirectUris]).map((uri) => new URL(uri).origin)),
  ];
  /** Provider and interaction pages: never framed (RFC 9700 §4.16; CSP frame-ancestors already says so). */
  function denyFraming(res: Response): void {
    res.setHeader("X-Frame-Options", "DENY");
  }

  function allowFormTargets(res: Response): void {
    const csp = res.getHeader("Content-Security-Policy");
    if (typeof csp === "string" && formTargets.length > 0) {
      res.setHeader("Content-Security-Policy", csp.replace("form-action 'self'", `form-action 'self' ${formTargets.join(" ")}`));
    }
  }

  const cookies = (req: Request, res: Response) => provider.createContext(req, res).cookies;

  function rememberInteraction(req: Request, res: Response, uid: string): void {
    cookies(req, res).set(interactionCookieName, uid, { ...cookieOptions, maxAge: config.session.signInTtlSeconds * 1000 });
  }
  function forgetInteraction(req: Request, res: Response): void {
    cookies(req, res).set(interactionCookieName, null, cookieOptions);
  }
  function rememberedUid(req: Request): string | undefined {
    if (req.res === undefined) return undefined;
    const uid = cookies(req, req.res).get(interactionCookieName, { signed: true });
    return uid !== undefined && uidPattern.test(uid) ? uid : undefined;
  }

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
    forgetInteraction(req, res);
    // 303 (RFC 9700 §4.12): the browser must not repeat a POST at the next hop.
    return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  }

  async function finishLogin(req: Request, res: Response, session: AuthenticatedSession): Promise<void> {
    // Fresh Cognito attributes for the ID token and /userinfo; fails when Cognito has ended the session.
    const { userInfo } = await account.claims(req);
    await accounts.save(session.sub, userInfo);
    await finish(req, res, { login: { accountId: session.sub, amr: session.amr, acr: acrFor(session.amr), ts: session.authTime, remember: true } });
  }

  /**
   * A consent prompt (an app asking with prompt=consent, or one that is not first party). First-party
   * apps are granted what they ask for, as at sign-in; Tobira has no consent screen for others.
   */
  async function answerConsent(req: Request, res: Response, interaction: Interaction): Promise<void> {
    const clientId = interaction.params.client_id;
    const accountId = interaction.session?.accountId;
    const client = config.oidc.clients.find((candidate) => candidate.clientId === clientId);
    if (client?.firstParty !== true || accountId === undefined || typeof clientId !== "string") {
      return finish(req, res, { error: "access_denied", error_description: "This app needs your consent, which Tobira cannot ask for." });
    }
    const existing = interaction.grantId === undefined ? undefined : await provider.Grant.find(interaction.grantId);
    const grant = existing?.accountId === accountId ? existing : new provider.Grant({ accountId, clientId });
    grant.addOIDCScope(typeof interaction.params.scope === "string" ? interaction.params.scope : "openid");
    return finish(req, res, { consent: { grantId: await grant.save() } });
  }

  function toSignIn(req: Request, res: Response, uid: string): void {
    rememberInteraction(req, res, uid);
    res.redirect(303, "/signin");
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
            .send(errorPage("invalid_request", "This sign-in request has expired, was already finished, or was opened in another browser."));
          return;
        }
        if (error instanceof ApiError && error.status === 401) {
          // Cognito no longer honours this session (the account service has ended it): sign in again.
          const uid = typeof req.params.uid === "string" && uidPattern.test(req.params.uid) ? req.params.uid : undefined;
          if (uid !== undefined) {
            toSignIn(req, res, uid);
            return;
          }
        }
        logger.error({ err: error }, "interaction failed");
        res.status(500).type("html").send(errorPage("server_error", "Something went wrong on our side. Go back to the app and try again."));
      }
    };

  const router = Router();

  // RP-Initiated Logout 1.0 §2: the OP must accept POST too. oidc-provider takes POST only with
  // SameSite=None session cookies (a cross-site POST carries no Lax cookie), so a POST is answered
  // with a 303 to the same request as a GET: a top-level navigation, which does carry them.
  router.post(oidcRoutes.end_session, express.urlencoded({ extended: false, limit: "16kb", parameterLimit: 20 }), (req, res) => {
    const query = new URLSearchParams();
    const body = (req.body ?? {}) as Record<string, unknown>;
    for (const name of endSessionParameters) {
      const value = body[name];
      for (const item of Array.isArray(value) ? value : [value]) if (typeof item === "string") query.append(name, item);
    }
    denyFraming(res);
    res.setHeader("Cache-Control", "no-store");
    res.redirect(303, `${oidcRoutes.end_session}?${query.toString()}`);
  });

  router.use((req, res, next) => {
    if (!isProviderPath(req.path)) {
      next();
      return;
    }
    // The BFF session cookie is read by the provider's SSO check and ended by its logout.
    cookieSession(req, res, (error?: unknown) => {
      if (error !== undefined) {
        next(error);
        return;
      }
      allowFormTargets(res);
      denyFraming(res);
      providerCallback(req, res).catch(next);
    });
  });

  router.get(
    "/interaction/cancel",
    cookieSession,
    page(async (req, res) => {
      // Cancelling changes state (the app receives access_denied): only the sign-in page's own
      // link may do it, not a cross-site navigation (OWASP CSRF cheat sheet, Fetch Metadata).
      const site = req.get("sec-fetch-site");
      if (site !== undefined && site !== "same-origin" && site !== "none") {
        res.status(403).type("html").send(errorPage("access_denied", "Cancel the sign-in from the sign-in page."));
        return;
      }
      const uid = rememberedUid(req);
      res.redirect(303, uid === undefined ? "/signin" : `/interaction/${uid}/abort`);
    }),
  );

  router.get(
    "/interaction/:uid",
    cookieSession,
    page(async (req, res) => {
      const interaction = await loadInteraction(req, res);
      if (interaction.prompt.name === "consent") return answerConsent(req, res, interaction);
      const session = await sessions.readAuthenticated(req);
      if (session !== undefined && maySkipSignIn(interaction.prompt, interaction.params, session, nowSeconds())) {
        return finishLogin(req, res, session);
      }
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
      await finishLogin(req, res, session);
    }),
  );

  router.get(
    "/interaction/:uid/abort",
    cookieSession,
    page(async (req, res) => {
      await loadInteraction(req, res);
      await finish(req, res, { error: "access_denied", error_description: "The user cancelled the sign-in." });
    }),
  );

  return {
    provider,
    router,

    async completionRedirect(req, session) {
      const uid = rememberedUid(req);
      if (uid === undefined) return "/account";
      const interaction = await provider.Interaction.find(uid);
      if (interaction === undefined) return "/account";
      // This sign-in answers the pending request, even one that asked for a fresh sign-in (prompt=login, max_age).
      await store.put(signInForInteractionKind, uid, { sub: session.sub }, { ttlSeconds: config.session.signInTtlSeconds });
      return `/interaction/${uid}/complete`;
    },

    async pendingInteraction(req) {
      const uid = rememberedUid(req);
      const interaction = uid === undefined ? undefined : await provider.Interaction.find(uid);
      const clientId = interaction?.params.client_id;
      if (interaction === undefined || typeof clientId !== "string") return undefined;
      const client = await provider.Client.find(clientId);
      if (client === undefined) return undefined;
      return { client: { id: client.clientId, name: client.clientName ?? client.clientId }, prompt: interaction.prompt.name };
    },

    async endProviderSession(req, res) {
      const ctx = provider.createContext(req, res);
      const session = await provider.Session.get(ctx);
      // oidc-provider marks a session it has only just created with a non-enumerable `new`
      // (lib/models/session.js), which @types/oidc-provider does not declare.
      if ((session as unknown as { new?: true }).new !== true) {
        // As the provider's own logout does: what was granted with this session ends with it,
        // except offline_access grants, which are meant to outlive it.
        const grants = Object.values(session.authorizations ?? {}).filter((entry) => entry.grantId !== undefined && entry.persistsLogout !== true);
        await Promise.all(grants.map((entry) => revokeGrantEverywhere(store, entry.grantId!)));
        await session.destroy();
      }
      ctx.cookies.set(provider.cookieName("session"), null, { httpOnly: true, sameSite: "lax", secure: config.cookie.secure, path: "/" });
    },
  };
}
