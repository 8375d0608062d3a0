import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express, { type Request, type Response } from "express";
import helmet from "helmet";
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from "jose";
import * as oidc from "openid-client";

/**
 * The demo relying party: a small web app that signs people in with Tobira using `openid-client`
 * exactly as any app would — plain discovery, the authorization code flow with PKCE, state and
 * nonce, user info, a refresh, RP-initiated logout, and back-channel logout (Tobira tells it when
 * the user signed out at Tobira, and it ends its own session). Nothing here knows Tobira's internals.
 *
 * Its own session is an in-memory map behind an HttpOnly cookie: fine for a demo, and the
 * tokens never reach the browser.
 */

export interface RelyingPartyOptions {
  /** The OpenID Provider's issuer (Tobira's public URL), e.g. http://localhost:3000. */
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
  /** 0 picks a free port (tests). */
  port: number;
  host?: string;
  /** The URL people use to reach this app (redirect URIs derive from it); default the listener's. */
  publicUrl?: string;
  /**
   * This app's own API, registered with Tobira (README, "Register an API"): the app asks for
   * tokens for it (RFC 8707 `resource`) and serves it at `GET /api/me`, which accepts only
   * Tobira's JWT access tokens for `audience` with `scope` (RFC 9068 §4).
   */
  api?: { audience: string; scope: string };
}

export interface RunningRelyingParty {
  url: string;
  port: number;
  redirectUri: string;
  postLogoutRedirectUri: string;
  /** Where Tobira posts logout tokens (register it as the client's backchannelLogoutUri). */
  backchannelLogoutUri: string;
  close(): Promise<void>;
}

interface PendingLogin {
  verifier: string;
  state: string;
  nonce: string;
  createdAt: number;
}

interface SignedIn {
  tokens: oidc.TokenEndpointResponse;
  claims: Record<string, unknown>;
  userInfo: Record<string, unknown> | undefined;
  refreshedAt?: number;
  /** What the app's own API answered to its last call with an API token. */
  apiAnswer?: { status: number; body: unknown };
}

interface RpSession {
  pending?: PendingLogin;
  signedIn?: SignedIn;
  notice?: string;
}

const cookieName = "demo_rp_session";
const pendingLoginTtlMs = 10 * 60 * 1000;

function escapeHtml(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function json(value: unknown): string {
  return `<pre>${escapeHtml(JSON.stringify(value, null, 2))}</pre>`;
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>
<body>
<header><p><strong>Demo app</strong> — a relying party of Tobira (openid-client)</p></header>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

/** http is allowed only for a provider on this machine (openid-client refuses it otherwise). */
function isLocalHttp(url: URL): boolean {
  return url.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
}

export function createRelyingPartyApp(
  options: Required<Pick<RelyingPartyOptions, "issuerUrl" | "clientId" | "clientSecret">> & Pick<RelyingPartyOptions, "api"> & { publicUrl: () => string },
) {
  const issuer = new URL(options.issuerUrl);
  const sessions = new Map<string, RpSession>();
  let configuration: Promise<oidc.Configuration> | undefined;

  // Discovery on first use (the provider may start after this app), retried after a failure.
  function config(): Promise<oidc.Configuration> {
    configuration ??= oidc
      .discovery(issuer, options.clientId, options.clientSecret, undefined, isLocalHttp(issuer) ? { execute: [oidc.allowInsecureRequests] } : undefined)
      .catch((error: unknown) => {
        configuration = undefined;
        throw error;
      });
    return configuration;
  }

  const redirectUri = () => `${options.publicUrl()}/callback`;
  const postLogoutRedirectUri = () => `${options.publicUrl()}/`;
  const backchannelLogoutUri = () => `${options.publicUrl()}/backchannel-logout`;

  let providerKeys: JWTVerifyGetKey | undefined;
  /** Logout tokens already used (jti → when it may be forgotten): a replay is refused (§2.6 step 10). */
  const seenLogoutTokens = new Map<string, number>();

  /**
   * Validates a logout token as OpenID Connect Back-Channel Logout 1.0 §2.6 says: signature by the
   * provider's published keys, iss, aud, iat (fresh), typ, the back-channel logout event, a sub or
   * a sid, no nonce, and a jti not seen before. Returns the sub and sid it names.
   */
  async function verifyLogoutToken(logoutToken: string): Promise<{ sub?: string; sid?: string }> {
    const server = (await config()).serverMetadata();
    providerKeys ??= createRemoteJWKSet(new URL(server.jwks_uri!));
    const { payload } = await jwtVerify(logoutToken, providerKeys, {
      issuer: server.issuer,
      audience: options.clientId,
      typ: "logout+jwt",
      maxTokenAge: "2 minutes",
      requiredClaims: ["iat", "jti", "events"],
    });
    const events = payload.events as Record<string, unknown> | undefined;
    if (typeof events !== "object" || events === null || !("http://schemas.openid.net/event/backchannel-logout" in events)) throw new Error("not a logout token");
    if ("nonce" in payload) throw new Error("a logout token has no nonce");
    const sub = typeof payload.sub === "string" ? payload.sub : undefined;
    const sid = typeof payload.sid === "string" ? payload.sid : undefined;
    if (sub === undefined && sid === undefined) throw new Error("a logout token names a sub or a sid");
    const now = Date.now();
    for (const [jti, forgetAt] of seenLogoutTokens) if (forgetAt < now) seenLogoutTokens.delete(jti);
    if (seenLogoutTokens.has(payload.jti!)) throw new Error("replayed logout token");
    seenLogoutTokens.set(payload.jti!, now + 5 * 60 * 1000);
    return { sub, sid };
  }

  /**
   * The API's check of an access token (RFC 9068 §4): a JWT typed at+jwt, signed by the provider's
   * published keys, from its issuer, for this API's audience, unexpired, with the API's scope.
   */
  async function verifyApiToken(accessToken: string, api: NonNullable<RelyingPartyOptions["api"]>): Promise<Record<string, unknown>> {
    const server = (await config()).serverMetadata();
    providerKeys ??= createRemoteJWKSet(new URL(server.jwks_uri!));
    const { payload } = await jwtVerify(accessToken, providerKeys, { issuer: server.issuer, audience: api.audience, typ: "at+jwt", requiredClaims: ["exp", "sub"] });
    const scopes = typeof payload.scope === "string" ? payload.scope.split(" ") : [];
    if (!scopes.includes(api.scope)) throw new Error("the token does not carry the API's scope");
    return payload;
  }

  function sessionOf(req: Request, res: Response): RpSession {
    const id = /(?:^|;\s*)demo_rp_session=([A-Za-z0-9_-]{43})(?:;|$)/.exec(req.headers.cookie ?? "")?.[1];
    const existing = id === undefined ? undefined : sessions.get(id);
    if (existing !== undefined) return existing;
    const newId = randomBytes(32).toString("base64url");
    const session: RpSession = {};
    sessions.set(newId, session);
    res.cookie(cookieName, newId, { httpOnly: true, sameSite: "lax", secure: options.publicUrl().startsWith("https:"), path: "/" });
    return session;
  }

  const app = express();
  app.disable("x-powered-by");
  // Its forms lead to the provider (sign-out); plain http on localhost must not be upgraded.
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { formAction: ["'self'", issuer.origin], upgradeInsecureRequests: null } },
      referrerPolicy: { policy: "no-referrer" },
      // HSTS belongs to whatever terminates TLS in front of a real deployment; locally it is http.
      strictTransportSecurity: false,
    }),
  );
  // Back-channel logout (server to server, before the 1 kB form limit of the browser's forms):
  // Tobira posts a logout token; every session it names ends here (§2.7).
  app.post("/backchannel-logout", express.urlencoded({ extended: false, limit: "16kb" }), async (req, res) => {
    res.set("Cache-Control", "no-store");
    const logoutToken = (req.body as Record<string, unknown> | undefined)?.logout_token;
    try {
      if (typeof logoutToken !== "string") throw new Error("no logout_token");
      const { sub, sid } = await verifyLogoutToken(logoutToken);
      for (const session of sessions.values()) {
        const claims = session.signedIn?.claims;
        if (claims === undefined) continue;
        // A sid ends that session only; a sub alone ends every session of the user.
        if (sid !== undefined ? claims.sid === sid : claims.sub === sub) {
          session.signedIn = undefined;
          session.notice = "Tobira signed you out.";
        }
      }
      res.status(200).end();
    } catch {
      res.status(400).json({ error: "invalid_request", error_description: "The logout token is not valid." });
    }
  });
  // The app's own API: a resource server that checks Tobira's JWT access tokens itself.
  app.get("/api/me", async (req, res) => {
    res.set("Cache-Control", "no-store");
    const api = options.api;
    const token = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(req.get("authorization") ?? "")?.[1];
    if (api === undefined) {
      res.status(404).json({ error: "not_found" });
      return;
    }
    try {
      if (token === undefined) throw new Error("no bearer token");
      const payload = await verifyApiToken(token, api);
      res.json({ sub: payload.sub, client_id: payload.client_id, scope: payload.scope });
    } catch {
      // RFC 6750 §3.1: the challenge names the error.
      res.status(401).set("WWW-Authenticate", 'Bearer error="invalid_token"').json({ error: "invalid_token" });
    }
  });

  app.use(express.urlencoded({ extended: false, limit: "1kb" }));

  app.get("/", (req, res) => {
    const session = sessionOf(req, res);
    const notice = session.notice === undefined ? "" : `<p role="status">${escapeHtml(session.notice)}</p>`;
    session.notice = undefined;
    res.set("Cache-Control", "no-store");
    if (session.signedIn === undefined) {
      res.send(page("Welcome", `${notice}<p>You are not signed in.</p><p><a href="/login">Sign in with Tobira</a></p>`));
      return;
    }
    const { claims, userInfo, tokens, refreshedAt, apiAnswer } = session.signedIn;
    const apiSection =
      options.api === undefined
        ? ""
        : `<h2>The app's API</h2>
<p>Tokens for <code>${escapeHtml(options.api.audience)}</code>, checked by the API itself.</p>
${apiAnswer === undefined ? "" : `<section aria-label="API answer"><p>Status ${escapeHtml(apiAnswer.status)}</p>${json(apiAnswer.body)}</section>`}
<form method="post" action="/call-api"><button type="submit">Call the API</button></form>`;
    res.send(
      page(
        `Signed in as ${String(claims.email ?? claims.sub)}`,
        `${notice}
<h2>ID token claims</h2>
<section aria-label="ID token claims">${json(claims)}</section>
<h2>User info</h2>
<section aria-label="User info">${json(userInfo ?? {})}</section>
<h2>Tokens</h2>
<p>Access token expires in ${escapeHtml(tokens.expires_in ?? "?")} s; scope <code>${escapeHtml(tokens.scope ?? "")}</code>;
refresh token ${tokens.refresh_token === undefined ? "not issued" : "held by this app"}${refreshedAt === undefined ? "" : `; refreshed at ${escapeHtml(new Date(refreshedAt).toISOString())}`}.</p>
<form method="post" action="/refresh"><button type="submit">Refresh tokens</button></form>
${apiSection}
<form method="post" action="/logout"><button type="submit">Sign out</button></form>`,
      ),
    );
  });

  app.get("/login", async (req, res) => {
    const session = sessionOf(req, res);
    const verifier = oidc.randomPKCECodeVerifier();
    const pending: PendingLogin = { verifier, state: oidc.randomState(), nonce: oidc.randomNonce(), createdAt: Date.now() };
    session.pending = pending;
    const url = oidc.buildAuthorizationUrl(await config(), {
      redirect_uri: redirectUri(),
      // With an API: its scope too, and the API named (RFC 8707) so that the grant covers it.
      scope: options.api === undefined ? "openid email" : `openid email ${options.api.scope}`,
      ...(options.api === undefined ? {} : { resource: options.api.audience }),
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state: pending.state,
      nonce: pending.nonce,
    });
    res.redirect(303, url.href);
  });

  app.get("/callback", async (req, res) => {
    const session = sessionOf(req, res);
    const pending = session.pending;
    session.pending = undefined; // one answer per request: a replayed callback finds nothing
    if (pending === undefined || Date.now() - pending.createdAt > pendingLoginTtlMs) {
      res.status(400).send(page("Sign-in failed", `<p>No sign-in is pending in this browser.</p><p><a href="/">Back</a></p>`));
      return;
    }
    try {
      const current = new URL(req.originalUrl, options.publicUrl());
      const tokens = await oidc.authorizationCodeGrant(await config(), current, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims() as Record<string, unknown>;
      const userInfo = (await oidc.fetchUserInfo(await config(), tokens.access_token, String(claims.sub))) as Record<string, unknown>;
      session.signedIn = { tokens: { ...tokens }, claims, userInfo };
      res.redirect(303, "/");
    } catch (error) {
      const reason = error instanceof oidc.AuthorizationResponseError || error instanceof oidc.ResponseBodyError ? error.error : "sign_in_failed";
      res.status(400).send(page("Sign-in failed", `<p>Tobira did not sign you in (<code>${escapeHtml(reason)}</code>).</p><p><a href="/">Back</a></p>`));
    }
  });

  app.post("/refresh", async (req, res) => {
    const session = sessionOf(req, res);
    const refreshToken = session.signedIn?.tokens.refresh_token;
    if (session.signedIn === undefined || refreshToken === undefined) {
      res.redirect(303, "/");
      return;
    }
    try {
      const tokens = await oidc.refreshTokenGrant(await config(), refreshToken);
      const claims = (tokens.claims() as Record<string, unknown> | undefined) ?? session.signedIn.claims;
      session.signedIn = { ...session.signedIn, tokens: { ...tokens }, claims, refreshedAt: Date.now() };
      session.notice = "Tokens refreshed.";
    } catch {
      session.signedIn = undefined;
      session.notice = "Your Tobira session has ended. Sign in again.";
    }
    res.redirect(303, "/");
  });

  // An access token for the app's API (a refresh naming it, RFC 8707 §2.2), then a call to it.
  app.post("/call-api", async (req, res) => {
    const session = sessionOf(req, res);
    const signedIn = session.signedIn;
    const refreshToken = signedIn?.tokens.refresh_token;
    if (options.api === undefined || signedIn === undefined || refreshToken === undefined) {
      res.redirect(303, "/");
      return;
    }
    try {
      const apiTokens = await oidc.refreshTokenGrant(await config(), refreshToken, { resource: options.api.audience });
      // Refresh tokens rotate: keep the new one; the /userinfo access token stays as it was.
      signedIn.tokens = { ...signedIn.tokens, refresh_token: apiTokens.refresh_token ?? refreshToken };
      const answer = await fetch(`${options.publicUrl()}/api/me`, { headers: { authorization: `Bearer ${apiTokens.access_token}` } });
      signedIn.apiAnswer = { status: answer.status, body: (await answer.json()) as unknown };
    } catch {
      session.signedIn = undefined;
      session.notice = "Your Tobira session has ended. Sign in again.";
    }
    res.redirect(303, "/");
  });

  app.post("/logout", async (req, res) => {
    const session = sessionOf(req, res);
    const idToken = session.signedIn?.tokens.id_token;
    session.signedIn = undefined;
    if (idToken === undefined) {
      res.redirect(303, "/");
      return;
    }
    session.notice = "You have signed out.";
    const url = oidc.buildEndSessionUrl(await config(), { id_token_hint: idToken, post_logout_redirect_uri: postLogoutRedirectUri() });
    res.redirect(303, url.href);
  });

  // E.g. Tobira not reachable for discovery: a plain page, never Express's default (a stack trace).
  app.use((_error: unknown, _req: Request, res: Response, _next: express.NextFunction) => {
    res.status(502).send(page("Tobira is not reachable", '<p>The sign-in service did not answer. Try again in a moment.</p><p><a href="/">Back</a></p>'));
  });

  return { app, redirectUri, postLogoutRedirectUri, backchannelLogoutUri };
}

/** Starts the demo RP (scripts/start.ts on port 4000; tests on port 0). */
export async function startRelyingParty(options: RelyingPartyOptions): Promise<RunningRelyingParty> {
  let publicUrl = options.publicUrl?.replace(/\/+$/, "");
  const { app, redirectUri, postLogoutRedirectUri, backchannelLogoutUri } = createRelyingPartyApp({ ...options, publicUrl: () => publicUrl! });
  const server: Server = createServer(app);
  const host = options.host ?? "localhost";
  // events.once rejects if the server emits "error" first (a port in use).
  server.listen(options.port, host);
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  publicUrl ??= `http://localhost:${port}`;
  return {
    url: publicUrl,
    port,
    redirectUri: redirectUri(),
    postLogoutRedirectUri: postLogoutRedirectUri(),
    backchannelLogoutUri: backchannelLogoutUri(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
