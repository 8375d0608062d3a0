import { createHash } from "node:crypto";
import type { Request } from "express";
import {
  errors,
  interactionPolicy,
  type ClientMetadata,
  type Configuration,
  type CookiesSetOptions,
  type ErrorOut,
  type Grant,
  type KoaContextWithOIDC,
} from "oidc-provider";
import type { OidcClientConfig, ResourceServerConfig } from "../../common/local-config";
import type { BffConfig } from "../config";
import type { SessionManager } from "../session/session-manager";
import type { Store } from "../store/store";
import { claimsByScope, type AccountStore } from "./accounts";
import { coversScopes, type ConsentStore } from "./consent";
import type { LiveUserCheck } from "./live-user";
import { pageLanguage, type ProviderPages } from "./pages";
import { generateSigningKeys, loadOrCreateLocalSigningKeys } from "./signing-keys";
import { createStoreAdapter } from "./store-adapter";

/**
 * The OpenID Provider's options (docs/architecture.md, "The OpenID Provider"): oidc-provider, the certified
 * library, configured for the authorization code flow only. The project supplies the sign-in
 * interaction (interaction-routes.ts), the accounts (accounts.ts), the storage (store-adapter.ts),
 * the client registry (configuration) and the signing keys (signing-keys.ts); provider-hooks.ts
 * adds what the options cannot say.
 */

/** The provider's endpoints, all under /oidc (discovery stays at /.well-known/openid-configuration). */
export const oidcRoutes = {
  authorization: "/oidc/auth",
  token: "/oidc/token",
  userinfo: "/oidc/me",
  jwks: "/oidc/jwks",
  end_session: "/oidc/session/end",
  revocation: "/oidc/token/revocation",
  introspection: "/oidc/token/introspection",
  registration: "/oidc/reg",
  pushed_authorization_request: "/oidc/request",
  code_verification: "/oidc/device",
  device_authorization: "/oidc/device/auth",
  backchannel_authentication: "/oidc/backchannel",
  challenge: "/oidc/challenge",
  credential: "/oidc/credential",
} as const;

/**
 * RFC 8176 `amr` → an `acr` (OpenID Connect Core §2): a passkey (phishing-resistant: WebAuthn
 * binds the signature to the origin), otherwise two factors or one. An app may ask for the
 * passkey level with `acr_values=urn:tobira:acr:passkey` (step-up).
 */
export const acrValues = { passkey: "urn:tobira:acr:passkey", mfa: "urn:tobira:acr:mfa", singleFactor: "urn:tobira:acr:sfa" } as const;

/** True when the sign-in used a passkey (RFC 8176: `hwk` device-bound, `swk` synced). */
export function usedPasskey(amr: readonly string[]): boolean {
  return amr.includes("hwk") || amr.includes("swk");
}

export function acrFor(amr: readonly string[]): string {
  if (usedPasskey(amr)) return acrValues.passkey;
  return amr.includes("mfa") ? acrValues.mfa : acrValues.singleFactor;
}

/** Reason of the login check for an app that asks for a passkey sign-in (acr_values). */
export const passkeyRequiredReason = "tobira_passkey_required";

/**
 * Whether the request's acr_values ask for a passkey sign-in. acr_values lists acceptable levels
 * in order of preference (OpenID Connect Core §3.1.2.1): when it also names a level a password
 * and code sign-in meets, that sign-in answers it, so only a list whose one known level is the
 * passkey's demands one.
 */
export function asksForPasskey(params: { acr_values?: unknown }): boolean {
  if (typeof params.acr_values !== "string") return false;
  const asked = params.acr_values.split(" ");
  return asked.includes(acrValues.passkey) && !asked.includes(acrValues.mfa) && !asked.includes(acrValues.singleFactor);
}

/** The scopes the provider knows: OpenID, the claims' scopes (accounts.ts), refresh tokens. */
export const providerScopes: readonly string[] = ["openid", ...Object.keys(claimsByScope), "offline_access"];

/**
 * The scopes an interaction asks for that the provider knows. offline_access only with
 * prompt=consent, as oidc-provider grants it (OpenID Connect Core §11).
 */
export function requestedScopes(interaction: { params: Record<string, unknown> }): string[] {
  const { scope, prompt } = interaction.params;
  const asked = typeof scope === "string" ? scope.split(" ") : [];
  const withConsentPrompt = typeof prompt === "string" && prompt.split(" ").includes("consent");
  return [...new Set(asked)].filter((name) => providerScopes.includes(name) && (name !== "offline_access" || withConsentPrompt));
}

/** Reason of the login check that ties the provider's session to the BFF's (see below). */
export const bffSessionEndedReason = "tobira_session_ended";

export function toClientMetadata(client: OidcClientConfig): ClientMetadata {
  return {
    client_id: client.clientId,
    client_name: client.name,
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    ...(client.backchannelLogoutUri === undefined
      ? {}
      : { backchannel_logout_uri: client.backchannelLogoutUri, backchannel_logout_session_required: client.backchannelLogoutSessionRequired ?? false }),
    ...(client.clientSecret === undefined
      ? { token_endpoint_auth_method: "none" }
      : // Either method works for a client with a secret (oidc-provider accepts basic and post alike).
        { client_secret: client.clientSecret, token_endpoint_auth_method: "client_secret_basic" }),
  };
}

function mutableClaims(byScope: Readonly<Record<string, readonly string[]>>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(byScope).map(([scope, names]) => [scope, [...names]]));
}

/**
 * A registered API as a client of the provider: it authenticates (client_secret_basic) only to
 * introspect tokens; it has no redirect URIs and no grant of its own.
 */
export function resourceServerMetadata(server: ResourceServerConfig): ClientMetadata {
  return {
    client_id: server.clientId,
    client_secret: server.clientSecret,
    client_name: server.name,
    redirect_uris: [],
    response_types: [],
    grant_types: [],
    token_endpoint_auth_method: "client_secret_basic",
  };
}

/** The API scopes asked for, per requested API (RFC 8707 §2): only scopes the API registered. */
export function resourceScopesOf(servers: readonly ResourceServerConfig[], indicators: Iterable<string>, requested: Iterable<string>): Record<string, string[]> {
  const asked = [...requested];
  const result: Record<string, string[]> = {};
  for (const indicator of indicators) {
    const server = servers.find((candidate) => candidate.audience === indicator);
    if (server !== undefined) result[indicator] = asked.filter((scope) => server.scopes.includes(scope));
  }
  return result;
}

export interface ProviderOptionsDeps {
  config: BffConfig;
  store: Store;
  sessions: SessionManager;
  accounts: AccountStore;
  consents: ConsentStore;
  pages: ProviderPages;
  /** Cognito's word on the user at each refresh and user-info call (absent: the snapshot alone). */
  liveUser?: LiveUserCheck;
}

/** The provider requests where the user's state is asked of Cognito: refresh_token grants and /userinfo. */
function needsLiveCheck(ctx: KoaContextWithOIDC): boolean {
  const route = ctx.oidc?.route;
  if (route === "userinfo") return true;
  return route === "token" && ctx.oidc.params?.grant_type === "refresh_token";
}

/** Lets one inline script run under the BFF's CSP by its hash (CSP Level 3 §8.4), as oidc-provider does for its own. */
function allowInlineScript(ctx: KoaContextWithOIDC, script: string): void {
  const csp = ctx.response.get("content-security-policy");
  if (typeof csp !== "string" || csp === "") return;
  const hash = `'sha256-${createHash("sha256").update(script).digest("base64")}'`;
  ctx.set("content-security-policy", /(^|;)\s*script-src\b/.test(csp) ? csp.replace(/((?:^|;)\s*script-src\b[^;]*)/, `$1 ${hash}`) : `${csp}; script-src 'self' ${hash}`);
}

/** The subject of a verified id_token_hint (oidc-provider checked its signature and issuer), if any. */
function hintSubject(ctx: KoaContextWithOIDC): unknown {
  const hint = ctx.oidc.entities.IdTokenHint as { payload?: { sub?: unknown } } | undefined;
  return hint?.payload?.sub;
}

/** Access tokens, for /userinfo and for registered APIs alike, are short-lived (RFC 6819 §5.1.5.3). */
const accessTokenTtlSeconds = 10 * 60;

export function providerOptions(deps: ProviderOptionsDeps): Configuration {
  const { config, store, sessions, accounts, consents, pages, liveUser } = deps;
  const clients = config.oidc.clients;
  const resourceServers = config.oidc.resourceServers;
  const firstParty = new Set(clients.filter((client) => client.firstParty).map((client) => client.clientId));
  // AWS mode requires OIDC_JWKS as soon as a client is registered (config.ts); without clients no
  // token is ever issued, so throwaway keys do (and nothing is written to a read-only disk).
  const jwks = config.oidc.jwks ?? (config.mode === "local" ? loadOrCreateLocalSigningKeys(config.dataDir) : generateSigningKeys());
  const cookieOptions = { httpOnly: true, sameSite: "lax", secure: config.cookie.secure } satisfies CookiesSetOptions;

  const policy = interactionPolicy.base();
  // OpenID Connect Initiating User Registration 1.0: prompt=create asks for the sign-up page. A
  // requestable prompt is pending until an interaction result names it; the sign-in that follows
  // the sign-up answers it (interaction-routes.ts).
  policy.add(new interactionPolicy.Prompt({ name: "create", requestable: true }), 0);
  // SSO rides on the BFF session: when it has ended (logout, expiry, another user signed in),
  // the provider's session no longer proves anything, so the user must sign in again
  // (`prompt=none` then answers login_required, OpenID Connect Core §3.1.2.6).
  policy.get("login")!.checks.add(
    new interactionPolicy.Check(bffSessionEndedReason, "the Tobira session has ended", "login_required", async (ctx) => {
      const accountId = ctx.oidc.session?.accountId;
      if (accountId === undefined || ctx.oidc.result?.login !== undefined) return false;
      const bff = await sessions.readAuthenticated(ctx.req as Request);
      return bff?.sub !== accountId;
    }),
  );

  // Step-up (OpenID Connect Core §3.1.2.1, acr_values): an app that asks for a passkey sign-in
  // gets one, even inside an existing single sign-on whose sign-in used none; never a lower acr.
  policy.get("login")!.checks.add(
    new interactionPolicy.Check(passkeyRequiredReason, "the app asks for a sign-in with a passkey", "login_required", async (ctx) => {
      if (!asksForPasskey(ctx.oidc.params ?? {})) return false;
      const acr = ctx.oidc.result?.login?.acr ?? ctx.oidc.session?.acr;
      return acr !== acrValues.passkey;
    }),
  );

  const pkceRequiredClients = new Set(clients.filter((client) => client.requirePkce).map((client) => client.clientId));
  return {
    adapter: createStoreAdapter(store),
    clients: [...clients.map(toClientMetadata), ...resourceServers.map(resourceServerMetadata)],
    jwks,
    routes: oidcRoutes,
    responseTypes: ["code"],
    // PKCE (S256 only) is required of public clients, whose only proof it is (RFC 9700 §2.1.1), and of
    // confidential clients configured with requirePkce; others may send it. A verifier for a code
    // issued without a challenge is refused either way (downgrade, RFC 9700 §4.8.2).
    pkce: {
      required: (_ctx, client) => client.clientAuthMethod === "none" || pkceRequiredClients.has(client.clientId),
    },
    // RFC 9700 §2.1 / OpenID Connect Core §3.1.2.1: redirect_uri always sent, matched exactly.
    allowOmittingSingleRegisteredRedirectUri: false,
    clientAuthMethods: ["client_secret_basic", "client_secret_post", "none"],
    scopes: [...providerScopes],
    // acr, amr, auth_time and sid in every ID token (docs/architecture.md), not only when a client asks;
    // the other scopes release Cognito's standard attributes (accounts.ts).
    claims: { openid: ["sub", "acr", "amr", "auth_time", "sid"], ...mutableClaims(claimsByScope), iss: null },
    // The scopes' claims in the ID token too, not only from /userinfo (docs/architecture.md).
    conformIdTokenClaims: false,
    acrValues: Object.values(acrValues),
    cookies: { keys: config.cookie.keys, names: config.cookie.names.provider, long: cookieOptions, short: cookieOptions },
    ttl: {
      // RFC 6819 §5.1.5.3: codes are short-lived.
      AuthorizationCode: 60,
      AccessToken: accessTokenTtlSeconds,
      IdToken: 60 * 60,
      RefreshToken: 14 * 24 * 60 * 60,
      Grant: 14 * 24 * 60 * 60,
      Interaction: config.session.signInTtlSeconds,
      Session: config.session.ttlSeconds,
    },
    rotateRefreshToken: true,
    issueRefreshToken: async (_ctx, client, code) => client.grantTypeAllowed("refresh_token") && (code.scopes.has("offline_access") || firstParty.has(client.clientId)),
    // No relying party here runs in a browser: never answer CORS (RFC 9700 §4.16).
    clientBasedCORS: () => false,
    // A refresh and /userinfo ask Cognito whether the user is still active (live-user.ts); the
    // code exchange follows a sign-in that just asked it.
    findAccount: async (ctx: KoaContextWithOIDC, sub: string) => {
      if (liveUser !== undefined && needsLiveCheck(ctx)) {
        const snapshot = await accounts.snapshot(sub);
        if ((await liveUser.stateOf(sub, snapshot?.username)) === "refused") return undefined;
      }
      return accounts.find(sub);
    },
    // First-party clients get no consent screen: signing in grants the scopes they ask for. Other
    // clients get what the user allowed on the consent page, now or before (consent.ts); asking
    // for more than that brings the consent page back.
    loadExistingGrant: async (ctx: KoaContextWithOIDC): Promise<Grant | undefined> => {
      const { oidc } = ctx;
      const { Grant: ProviderGrant } = oidc.provider;
      const clientId = oidc.client!.clientId;
      const grantId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(clientId);
      const accountId = oidc.session?.accountId;
      let grant: Grant | undefined = grantId === undefined ? undefined : await ProviderGrant.find(grantId);
      if (accountId === undefined) return grant;
      const consentGiven =
        firstParty.has(clientId) || (oidc.result?.consent === undefined && coversScopes(await consents.find(accountId, clientId), oidc.requestParamOIDCScopes));
      if (!consentGiven) return grant;
      if (grant === undefined || grant.accountId !== accountId) grant = new ProviderGrant({ accountId, clientId });
      grant.addOIDCScope([...oidc.requestParamOIDCScopes].join(" "));
      // The registered APIs the app asked for (first-party apps only, see getResourceServerInfo).
      for (const [indicator, scopes] of Object.entries(resourceScopesOf(resourceServers, Object.keys(oidc.resourceServers ?? {}), oidc.requestParamScopes))) {
        grant.addResourceScope(indicator, scopes.join(" "));
      }
      if (oidc.requestParamClaims.size > 0) grant.addOIDCClaims([...oidc.requestParamClaims]);
      await grant.save();
      return grant;
    },
    interactions: { url: (_ctx: KoaContextWithOIDC, interaction: { uid: string }) => `/interaction/${interaction.uid}`, policy },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: KoaContextWithOIDC, form: string) => {
          ctx.type = "html";
          // RP-Initiated Logout 1.0 §2: a hint naming the signed-in user shows the app means this
          // session; only without one (or with another user's) is the user asked (logout CSRF, §6).
          const language = pageLanguage(ctx.oidc.params?.ui_locales, ctx.get("accept-language"));
          const subject = hintSubject(ctx);
          if (subject !== undefined && subject === ctx.oidc.session?.accountId) {
            const { html, script } = pages.logoutNowPage(form, language);
            allowInlineScript(ctx, script);
            ctx.body = html;
            return;
          }
          ctx.body = pages.logoutConfirmPage(form, ctx.oidc.client?.clientName, language);
        },
        postLogoutSuccessSource: async (ctx: KoaContextWithOIDC) => {
          ctx.type = "html";
          ctx.body = pages.signedOutPage(ctx.oidc.client?.clientName, pageLanguage(ctx.oidc.params?.ui_locales, ctx.get("accept-language")));
        },
      },
      revocation: {
        enabled: true,
        // A client revokes only its own tokens, and is told when it tries another's (RFC 7009 §2.1).
        allowedPolicy: async (_ctx, client, token) => {
          if (token.clientId !== client.clientId) throw new errors.InvalidRequest("client is not authorized to revoke the presented token");
          return true;
        },
      },
      userinfo: { enabled: true },
      // OpenID Connect Back-Channel Logout 1.0 (back-channel-logout.ts; sent by session/sign-out.ts).
      backchannelLogout: { enabled: true },
      // RFC 7662, for registered APIs only: an API reads the state of an opaque access token issued
      // for it (JWT access tokens it checks itself, RFC 9068 §4). Anyone else learns nothing
      // (active: false, RFC 7662 §2.2).
      introspection: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => {
          const server = resourceServers.find((candidate) => candidate.clientId === client.clientId);
          if (server === undefined || token.kind !== "AccessToken") return false;
          const audience = (token as { aud?: unknown }).aud;
          return audience === server.audience || (Array.isArray(audience) && audience.includes(server.audience));
        },
      },
      requestObjects: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      // RFC 8707: an app asks for tokens for a registered API with `resource` (at the authorization
      // endpoint, and again at the token endpoint for the access token, RFC 8707 §2.2); they carry
      // the API as audience and only its scopes, as signed JWTs (RFC 9068) unless it registered
      // opaque ones. Without `resource` at the token endpoint an `openid` request gets its /userinfo
      // token, as before (oidc-provider's default useGrantedResource).
      resourceIndicators: {
        enabled: true,
        getResourceServerInfo: async (_ctx, indicator, client) => {
          const server = resourceServers.find((candidate) => candidate.audience === indicator);
          if (server === undefined) throw new errors.InvalidTarget("the resource is not a registered API");
          // The consent page asks only about the OpenID scopes: an API's scopes go to first-party
          // apps alone, whose sign-in is the consent (docs/architecture.md, "Registered APIs").
          if (!firstParty.has(client.clientId)) throw new errors.InvalidTarget("this app may not ask for tokens for an API");
          return {
            scope: server.scopes.join(" "),
            audience: server.audience,
            accessTokenTTL: accessTokenTtlSeconds,
            accessTokenFormat: server.accessTokenFormat,
            ...(server.accessTokenFormat === "jwt" ? { jwt: { sign: { alg: "RS256" } } } : {}),
          };
        },
      },
      dPoP: { enabled: false },
      // OpenID Connect Core §5.5: a first-party app may ask for single claims (it may ask for any
      // scope, so nothing beyond its sign-in is released). Other apps are refused: their grant
      // covers the scopes the user consented to, and a claim asked for by name would bypass it.
      claimsParameter: {
        enabled: true,
        assertClaimsParameter: async (_ctx, claims, client) => {
          if (!firstParty.has(client.clientId)) throw new errors.InvalidRequest("the claims parameter is offered to first-party apps only");
          for (const container of ["userinfo", "id_token"] as const) {
            const members = (claims as Record<string, unknown>)[container];
            if (members === undefined) continue;
            for (const value of Object.values(members as Record<string, unknown>)) {
              if (value !== null && (typeof value !== "object" || Array.isArray(value))) {
                throw new errors.InvalidRequest(`claims.${container} members must be null or objects`);
              }
            }
          }
        },
      },
    },
    enabledJWA: { idTokenSigningAlgValues: ["RS256", "ES256"] },
    // Absent means true for request_uri (OpenID Connect Discovery §3): say plainly what is not supported.
    discovery: {
      request_parameter_supported: false,
      request_uri_parameter_supported: false,
      // OpenID Connect Initiating User Registration 1.0 §4.
      prompt_values_supported: ["none", "login", "consent", "create"],
      // RFC 8414 §2: registered APIs authenticate at the introspection endpoint with HTTP Basic.
      introspection_endpoint_auth_methods_supported: ["client_secret_basic"],
    },
    renderError: async (ctx: KoaContextWithOIDC, out: ErrorOut) => {
      ctx.type = "html";
      // ctx.oidc is absent when the request failed before the provider read it.
      const language = pageLanguage((ctx.oidc as KoaContextWithOIDC["oidc"] | undefined)?.params?.ui_locales, ctx.get("accept-language"));
      ctx.body = pages.errorPage(String(out.error ?? "invalid_request"), typeof out.error_description === "string" ? out.error_description : undefined, language);
    },
  };
}
