import type { Request, Response } from "express";
import type Provider from "oidc-provider";
import type { InteractionResponse } from "../../common/api-contract";
import type { BffConfig } from "../config";
import type { AuthenticatedSession } from "../session/session-records";
import type { Store } from "../store/store";
import { acrValues, requestedScopes } from "./provider-options";

const knownAcrs: ReadonlySet<string> = new Set(Object.values(acrValues));

/**
 * The relying party's request this browser is signing in for. oidc-provider path-scopes its
 * interaction cookie to /interaction/<uid>, so the SPA's API calls never see it; the pending uid
 * travels in a cookie of our own (signed, HttpOnly, path /), which only names the request:
 * finishing it still needs the provider's cookie.
 */

/** Store kind: "this user signed in for interaction <uid>" (written at sign-in, consumed when finishing it). */
export const signInForInteractionKind = "oidc-signin-for";

const uidPattern = /^[A-Za-z0-9_-]{1,64}$/;

/** The value as an interaction uid, or undefined when it cannot be one. */
export function interactionUid(value: unknown): string | undefined {
  return typeof value === "string" && uidPattern.test(value) ? value : undefined;
}

/** A login_hint worth showing: an email address as Tobira's sign-in takes it (RFC 5321 length). */
const emailHint = /^[^\s@]{1,64}@[^\s@]{1,253}$/;
const localeTag = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,4}$/;

/**
 * What the app said about the person (OpenID Connect Core §3.1.2.1): `login_hint` (an email, to
 * prefill the sign-in and sign-up forms), `ui_locales` (BCP 47 tags, most preferred first) and
 * `acr_values` (the sign-in it asks for, e.g. a passkey). Anything else in them is ignored.
 */
export function hintsOf(params: Record<string, unknown>): { loginHint?: string; uiLocales?: string[]; acrValues?: string[] } {
  const words = (value: unknown) => (typeof value === "string" ? value.split(" ") : []);
  const loginHint = typeof params.login_hint === "string" ? params.login_hint.trim() : undefined;
  const uiLocales = words(params.ui_locales)
    .filter((tag) => localeTag.test(tag))
    .slice(0, 10);
  // Only the levels Tobira knows, so the sign-in page can offer what the app asks for (a passkey).
  const acrs = [...new Set(words(params.acr_values).filter((value) => knownAcrs.has(value)))];
  return {
    ...(loginHint !== undefined && emailHint.test(loginHint) ? { loginHint } : {}),
    ...(uiLocales.length > 0 ? { uiLocales } : {}),
    ...(acrs.length > 0 ? { acrValues: acrs } : {}),
  };
}

export interface PendingInteraction {
  /** Names the request this browser goes to sign in for. */
  remember(req: Request, res: Response, uid: string): void;
  forget(req: Request, res: Response): void;
  rememberedUid(req: Request): string | undefined;
  /** For the sign-in service: where the browser goes once signed in (the pending RP request, or /account). */
  completionRedirect(req: Request, session: AuthenticatedSession): Promise<string>;
  /** `GET /api/interaction`: the RP request waiting for this browser, if any. */
  pendingInteraction(req: Request): Promise<InteractionResponse | undefined>;
}

export function createPendingInteraction(deps: { provider: Provider; store: Store; config: BffConfig }): PendingInteraction {
  const { provider, store, config } = deps;
  const cookieOptions = { httpOnly: true, sameSite: "lax", secure: config.cookie.secure, path: "/", signed: true, overwrite: true } as const;
  const cookies = (req: Request, res: Response) => provider.createContext(req, res).cookies;

  function rememberedUid(req: Request): string | undefined {
    if (req.res === undefined) return undefined;
    return interactionUid(cookies(req, req.res).get(config.cookie.names.interaction, { signed: true }));
  }

  return {
    rememberedUid,

    remember(req, res, uid) {
      cookies(req, res).set(config.cookie.names.interaction, uid, { ...cookieOptions, maxAge: config.session.signInTtlSeconds * 1000 });
    },

    forget(req, res) {
      cookies(req, res).set(config.cookie.names.interaction, null, cookieOptions);
    },

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
      return {
        client: { id: client.clientId, name: client.clientName ?? client.clientId },
        prompt: interaction.prompt.name,
        ...(interaction.prompt.name === "consent" ? { scopes: requestedScopes(interaction) } : {}),
        ...hintsOf(interaction.params),
      };
    },
  };
}
