import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { once } from "node:events";
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parse as parseCookieHeader } from "cookie";
import { ALB_SESSION_COOKIE_NAME } from "../../common/alb-logout";
import type { LocalAlbSigner } from "./local-alb-signer";

/**
 * A stand-in for an Application Load Balancer with an `authenticate-cognito` action, so ALB mode
 * runs and is tested offline (AWS ELB guide, "Authenticate users using an Application Load
 * Balancer"). What it does, as the ALB does it:
 *
 * 1. A request without a valid session is redirected to the IdP's `/oauth2/authorize`
 *    (response_type=code, the action's scope, a `state` bound to this browser by a cookie).
 * 2. `GET /oauth2/idpresponse` exchanges the code at `/oauth2/token` (client secret, Basic),
 *    fetches the user's claims from `/oauth2/userInfo`, and keeps the session in
 *    `AWSELBAuthSessionCookie-N` cookies: HttpOnly, Secure, Path=/, the value split into shards
 *    (the ALB shards at 4 KB). The content is encrypted and authenticated (AES-256-GCM), as the
 *    ALB's is: the browser can neither read the tokens nor forge a session.
 * 3. Authenticated requests go to the target with `x-amzn-oidc-data` (the user claims, an ES256
 *    JWT signed for each request by `LocalAlbSigner`), `x-amzn-oidc-accesstoken` and
 *    `x-amzn-oidc-identity`. Such headers sent by the client are removed first, always: only the
 *    load balancer may set them.
 *
 * Not modelled: token refresh (an expired access token means a new sign-in), the `deny` and
 * `allow` on-unauthenticated behaviours, HTTPS. Nothing here logs a token, code or cookie.
 */

export interface LocalAlbProxyOptions {
  /** The target (the BFF). A function when the target starts after the proxy (its URL unknown yet). */
  upstream: string | (() => string);
  /** Cognito's managed login: `<hostedUiUrl>/oauth2/authorize`, `/oauth2/token`, `/oauth2/userInfo`. */
  hostedUiUrl: string;
  clientId: string;
  clientSecret: string;
  /** Signs `x-amzn-oidc-data`; its key must be served where the BFF fetches ALB keys. */
  signer: LocalAlbSigner;
  /** The action's scope (the ALB's default is `openid`). */
  scope?: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** The URL browsers use (default `http://localhost:<port>`); the callback is `<publicUrl>/oauth2/idpresponse`. */
  publicUrl?: string;
  /** The action's SessionCookieName (default AWSELBAuthSessionCookie). */
  sessionCookieName?: string;
  /** The action's SessionTimeout in seconds (the ALB's default: 604800, seven days). */
  sessionTimeoutSeconds?: number;
  /** Largest value of one shard, in characters (default 4000: the ALB's shards are 4 KB cookies). */
  shardSize?: number;
  /** Clock in milliseconds (tests). */
  now?: () => number;
}

export interface LocalAlb {
  url: string;
  port: number;
  /** `<url>/oauth2/idpresponse`: register it as a callback URL of the app client. */
  callbackUrl: string;
  close(): Promise<void>;
}

export const ALB_CALLBACK_PATH = "/oauth2/idpresponse";
/** Binds an authorization request to the browser that started it (RFC 6749 §10.12: CSRF on the redirect URI). */
const NONCE_COOKIE = "local-alb-auth-nonce";
const AUTH_FLOW_TTL_MS = 15 * 60_000;
const OIDC_HEADER_PREFIX = "x-amzn-oidc-";
// RFC 9110 §7.6.1: connection-specific fields are not forwarded.
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
  "te",
  "trailer",
  "proxy-authorization",
  "proxy-authenticate",
]);

interface AlbSession {
  sub: string;
  /** The IdP's userInfo answer: the claims of `x-amzn-oidc-data`. */
  claims: Record<string, unknown>;
  accessToken: string;
  /** Epoch ms: the earlier of the access token's expiry and the session timeout. */
  expiresAt: number;
}

interface AuthFlow {
  nonce: string;
  returnTo: string;
  expiresAt: number;
}

/** AES-256-GCM (NIST SP 800-38D) with a random 96-bit IV; the purpose is bound as associated data. */
function createSealer(key: Buffer) {
  return {
    seal(purpose: string, value: unknown): string {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      cipher.setAAD(Buffer.from(purpose));
      const body = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
    },
    open(purpose: string, sealed: string): unknown {
      try {
        const raw = Buffer.from(sealed, "base64url");
        if (raw.length < 29) return undefined;
        const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
        decipher.setAAD(Buffer.from(purpose));
        decipher.setAuthTag(raw.subarray(12, 28));
        return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8"));
      } catch {
        return undefined;
      }
    },
  };
}

function cookiesOf(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const [name, value] of Object.entries(parseCookieHeader(header ?? ""))) if (value !== undefined) cookies.set(name, value);
  return cookies;
}

/** A same-origin path to return to after sign-in; anything else (`//host`, `/\host`, absolute URLs) becomes `/`. */
function safeReturnPath(url: string | undefined): string {
  return url !== undefined && /^\/(?![/\\])/.test(url) && !/[\r\n]/.test(url) ? url : "/";
}

function isAlbSession(value: unknown): value is AlbSession {
  const session = value as AlbSession | undefined;
  return (
    typeof session === "object" &&
    session !== null &&
    typeof session.sub === "string" &&
    typeof session.accessToken === "string" &&
    typeof session.expiresAt === "number" &&
    typeof session.claims === "object" &&
    session.claims !== null
  );
}

function jwtExpiry(token: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as { exp?: unknown };
    return typeof payload.exp === "number" ? payload.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", ...headers }).end(`${text}\n`);
}

export async function startLocalAlbProxy(options: LocalAlbProxyOptions): Promise<LocalAlb> {
  const now = options.now ?? Date.now;
  const cookieName = options.sessionCookieName ?? ALB_SESSION_COOKIE_NAME;
  const sessionTimeoutMs = (options.sessionTimeoutSeconds ?? 604_800) * 1000;
  const shardSize = options.shardSize ?? 4000;
  const scope = options.scope ?? "openid";
  const hostedUi = options.hostedUiUrl.replace(/\/+$/, "");
  // A new key per start, like a new load balancer: earlier sessions are simply invalid.
  const sealer = createSealer(randomBytes(32));
  const upstream = typeof options.upstream === "string" ? () => options.upstream as string : options.upstream;
  let callbackUrl = "";

  const cookieAttributes = "Path=/; HttpOnly; Secure; SameSite=Lax";

  /** The shards -0, -1, … as the browser sent them (contiguous from 0), joined. */
  function sessionOf(cookies: Map<string, string>): AlbSession | undefined {
    const parts: string[] = [];
    for (let index = 0; cookies.has(`${cookieName}-${index}`); index++) parts.push(cookies.get(`${cookieName}-${index}`)!);
    if (parts.length === 0) return undefined;
    const session = sealer.open(cookieName, parts.join(""));
    return isAlbSession(session) && session.expiresAt > now() ? session : undefined;
  }

  /** Set-Cookie values for a new session: its shards, and expiry for shards an older, longer session left. */
  function sessionCookies(session: AlbSession, cookies: Map<string, string>): string[] {
    const value = sealer.seal(cookieName, session);
    const maxAge = Math.max(1, Math.floor((session.expiresAt - now()) / 1000));
    const lines: string[] = [];
    let index = 0;
    for (let offset = 0; offset < value.length; offset += shardSize, index++) {
      lines.push(`${cookieName}-${index}=${value.slice(offset, offset + shardSize)}; Max-Age=${maxAge}; ${cookieAttributes}`);
    }
    for (; cookies.has(`${cookieName}-${index}`); index++) lines.push(`${cookieName}-${index}=; Max-Age=0; ${cookieAttributes}`);
    return lines;
  }

  function authenticate(req: IncomingMessage, res: ServerResponse, cookies: Map<string, string>): void {
    // One nonce per browser, reused by parallel sign-ins (several tabs) so none breaks another.
    const existing = cookies.get(NONCE_COOKIE);
    const nonce = existing !== undefined && /^[A-Za-z0-9_-]{32,64}$/.test(existing) ? existing : randomBytes(24).toString("base64url");
    const flow: AuthFlow = { nonce, returnTo: safeReturnPath(req.url), expiresAt: now() + AUTH_FLOW_TTL_MS };
    const authorize = new URL(`${hostedUi}/oauth2/authorize`);
    authorize.search = new URLSearchParams({
      response_type: "code",
      client_id: options.clientId,
      redirect_uri: callbackUrl,
      scope,
      state: sealer.seal("state", flow),
    }).toString();
    res.writeHead(302, {
      Location: authorize.toString(),
      "Cache-Control": "no-store",
      "Set-Cookie": `${NONCE_COOKIE}=${nonce}; Max-Age=${AUTH_FLOW_TTL_MS / 1000}; Path=${ALB_CALLBACK_PATH}; HttpOnly; Secure; SameSite=Lax`,
    });
    res.end();
  }

  async function callback(req: IncomingMessage, res: ServerResponse, cookies: Map<string, string>): Promise<void> {
    const query = new URL(req.url ?? "/", "http://alb.invalid").searchParams;
    const flow = sealer.open("state", query.get("state") ?? "") as AuthFlow | undefined;
    if (flow === undefined || typeof flow.nonce !== "string" || flow.nonce !== cookies.get(NONCE_COOKIE) || flow.expiresAt <= now()) {
      sendText(res, 401, "Sign-in failed: the sign-in request is unknown or has expired. Open the app again.");
      return;
    }
    const code = query.get("code");
    if (code === null) {
      sendText(res, 401, "Sign-in failed: the identity provider did not sign you in.");
      return;
    }
    const tokenResponse = await fetch(`${hostedUi}/oauth2/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        // RFC 6749 §2.3.1: form-encode, then base64.
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`).toString("base64")}`,
      },
      body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: callbackUrl, client_id: options.clientId }).toString(),
      signal: AbortSignal.timeout(5000),
    });
    const tokens = (await tokenResponse.json().catch(() => ({}))) as { access_token?: unknown };
    if (!tokenResponse.ok || typeof tokens.access_token !== "string") {
      sendText(res, 401, "Sign-in failed: the authorization code was refused.");
      return;
    }
    const userInfoResponse = await fetch(`${hostedUi}/oauth2/userInfo`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
      signal: AbortSignal.timeout(5000),
    });
    const claims = (await userInfoResponse.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (!userInfoResponse.ok || typeof claims?.sub !== "string") {
      sendText(res, 401, "Sign-in failed: the user's claims could not be fetched.");
      return;
    }
    const accessExpiry = jwtExpiry(tokens.access_token) ?? now();
    const session: AlbSession = { sub: claims.sub, claims, accessToken: tokens.access_token, expiresAt: Math.min(accessExpiry, now() + sessionTimeoutMs) };
    res.writeHead(302, {
      Location: flow.returnTo,
      "Cache-Control": "no-store",
      "Set-Cookie": [...sessionCookies(session, cookies), `${NONCE_COOKIE}=; Max-Age=0; Path=${ALB_CALLBACK_PATH}; HttpOnly; Secure; SameSite=Lax`],
    });
    res.end();
  }

  function forward(req: IncomingMessage, res: ServerResponse, session: AlbSession): void {
    const headers: IncomingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (name.startsWith(OIDC_HEADER_PREFIX) || HOP_BY_HOP.has(name)) continue;
      headers[name] = value;
    }
    const remote = req.socket.remoteAddress ?? "";
    headers["x-forwarded-for"] = typeof req.headers["x-forwarded-for"] === "string" ? `${req.headers["x-forwarded-for"]}, ${remote}` : remote;
    headers["x-forwarded-proto"] = "http";
    headers["x-forwarded-port"] = String(port);
    headers["x-amzn-oidc-data"] = options.signer.sign({ ...session.claims, sub: session.sub });
    headers["x-amzn-oidc-accesstoken"] = session.accessToken;
    headers["x-amzn-oidc-identity"] = session.sub;

    const target = new URL(req.url ?? "/", upstream());
    const outgoing = httpRequest(target, { method: req.method, headers }, (answer) => {
      const responseHeaders: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(answer.headers)) {
        if (value !== undefined && !HOP_BY_HOP.has(name)) responseHeaders[name] = value;
      }
      res.writeHead(answer.statusCode ?? 502, responseHeaders);
      answer.pipe(res);
    });
    outgoing.on("error", () => {
      if (!res.headersSent) sendText(res, 502, "Bad Gateway");
      else res.destroy();
    });
    req.pipe(outgoing);
  }

  const server = createServer((req, res) => {
    const cookies = cookiesOf(req.headers.cookie);
    const path = (req.url ?? "/").split("?")[0];
    if (path === ALB_CALLBACK_PATH) {
      callback(req, res, cookies).catch(() => {
        if (!res.headersSent) sendText(res, 502, "Sign-in failed: the identity provider could not be reached.");
      });
      return;
    }
    const session = sessionOf(cookies);
    if (session === undefined) authenticate(req, res, cookies);
    else forward(req, res, session);
  });

  const host = options.host ?? "127.0.0.1";
  // events.once rejects if the server emits "error" first (a port in use).
  server.listen(options.port ?? 0, host);
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  const url = (options.publicUrl ?? `http://localhost:${port}`).replace(/\/+$/, "");
  callbackUrl = `${url}${ALB_CALLBACK_PATH}`;

  return {
    url,
    port,
    callbackUrl,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
