import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { CognitoIdentityProviderClient, ConfirmSignUpCommand, SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import * as oidc from "openid-client";
import { expect } from "vitest";
import { computeSecretHash } from "../../bff/cognito/cognito-client";
import type { OidcClientConfig, ResourceServerConfig } from "../../common/local-config";
import { passwordStep, signUpConfirmed, strongPassword, uniqueEmail } from "../integration/bff/flows";
import type { HttpClient, HttpResponse } from "../support/http-client";
import { startTestStack, type TestStack, type TestStackOptions } from "../support/stack";

/**
 * Shared steps of the OpenID Provider conformance tests (not a test file): a test stack with a
 * few extra relying parties, an openid-client Configuration per client, and a cookie-keeping
 * "browser" that follows the provider's redirects and signs in through the BFF's JSON API.
 */

/** The redirect URI of the test clients: never fetched, only read from Location headers. */
export const redirectUri = "https://rp.example.com/callback";
export const postLogoutUri = "https://rp.example.com/signed-out";

/**
 * A secret that form-urlencoding changes (`+` is a space in Basic credentials, RFC 6749 §2.3.1),
 * long enough for the configuration (32 characters at least).
 */
export const awkwardSecret = "a+b %:~ conformance-rp-secret-000";

export const testClients = {
  /** Confidential, first party (no consent screen). */
  confidential: {
    clientId: "conformance-rp",
    clientSecret: awkwardSecret,
    name: "Conformance RP",
    redirectUris: [redirectUri],
    postLogoutRedirectUris: [postLogoutUri],
    firstParty: true,
  },
  /** A second first-party client: tokens of one must not work for the other. */
  other: {
    clientId: "other-rp",
    clientSecret: "other-rp-secret-000000000000000000000",
    name: "Other RP",
    redirectUris: ["https://other.example.com/callback"],
    postLogoutRedirectUris: ["https://other.example.com/"],
    firstParty: true,
  },
  /** Public (no secret): PKCE is its only proof. */
  public: {
    clientId: "public-rp",
    name: "Public RP",
    redirectUris: ["https://public.example.com/callback"],
    postLogoutRedirectUris: [],
    firstParty: true,
  },
  /** Confidential and configured to require PKCE (requirePkce). */
  strictPkce: {
    clientId: "strict-pkce-rp",
    clientSecret: "strict-pkce-secret-00000000000000000000",
    name: "Strict PKCE RP",
    redirectUris: ["https://strict.example.com/callback"],
    postLogoutRedirectUris: [],
    firstParty: true,
    requirePkce: true,
  },
  /** Not first party: the user is asked for consent (the SPA's consent page). */
  thirdParty: {
    clientId: "third-party-rp",
    clientSecret: "third-party-secret-0000000000000000000",
    name: "Third-party RP",
    redirectUris: ["https://third.example.com/callback"],
    postLogoutRedirectUris: [],
    firstParty: false,
  },
} satisfies Record<string, OidcClientConfig>;

/** APIs registered with the provider (RFC 8707 resource servers). */
export const testApis = {
  /** Signed JWT access tokens (RFC 9068). */
  orders: {
    clientId: "orders-api",
    clientSecret: "orders-api-secret-000000000000000000",
    name: "Orders API",
    audience: "https://api.example.com/orders",
    scopes: ["orders:read", "orders:write"],
    accessTokenFormat: "jwt",
  },
  /** Opaque access tokens, checked at the introspection endpoint (RFC 7662). */
  ledger: {
    clientId: "ledger-api",
    clientSecret: "ledger-api-secret-000000000000000000",
    name: "Ledger API",
    audience: "https://ledger.example.com/",
    scopes: ["ledger:read"],
    accessTokenFormat: "opaque",
  },
} satisfies Record<string, ResourceServerConfig>;

/** A test stack with the test clients and APIs registered; `configure` has the last word. */
export async function startOidcStack(options: TestStackOptions = {}): Promise<TestStack> {
  return startTestStack({
    ...options,
    configure: (config) => {
      const withClients = {
        ...config,
        oidc: {
          ...config.oidc,
          clients: [...config.oidc.clients, ...Object.values(testClients)],
          resourceServers: [...config.oidc.resourceServers, ...Object.values(testApis)],
        },
      };
      return options.configure === undefined ? withClients : options.configure(withClients);
    },
  });
}

/** openid-client, unmodified, with plain discovery (http is allowed for the local issuer only). */
export async function discover(stack: TestStack, client: OidcClientConfig = testClients.confidential, auth?: oidc.ClientAuth): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(stack.bffUrl), client.clientId, client.clientSecret, auth ?? (client.clientSecret === undefined ? oidc.None() : undefined), {
    execute: [oidc.allowInsecureRequests],
  });
}

export interface AuthorizationRequest {
  url: URL;
  verifier: string;
  state: string;
  nonce: string;
}

export async function authorizationRequest(
  config: oidc.Configuration,
  params: Record<string, string> = {},
  client: OidcClientConfig = testClients.confidential,
): Promise<AuthorizationRequest> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: client.redirectUris[0]!,
    scope: "openid email",
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
    ...params,
  });
  return { url, verifier, state, nonce };
}

export interface Hop {
  status: number;
  location: string | undefined;
  response: HttpResponse;
}

/** The SPA's pages the provider sends the browser to: sign-in, sign-up and consent. */
const spaStops: ReadonlySet<string> = new Set(["/signin", "/signup", "/consent"]);

/**
 * Follows the provider's redirects within the BFF's origin and stops at the first answer that is
 * not a redirect, a redirect to one of the SPA's pages (sign-in, sign-up, consent), or a redirect
 * leaving the BFF (to an RP).
 */
export async function follow(browser: HttpClient, start: string | URL): Promise<Hop & { hops: Hop[] }> {
  const origin = new URL(browser.baseUrl).origin;
  const hops: Hop[] = [];
  let next: URL = new URL(start, browser.baseUrl);
  for (let i = 0; i < 10; i += 1) {
    let response = await browser.get(next.href);
    const autoSubmit = autoSubmittedForm(response.text);
    if (response.status === 200 && autoSubmit !== undefined) {
      // oidc-provider's self-submitting form (e.g. signing the previous user out first): a browser
      // with JavaScript posts it at once.
      response = await browser.request("POST", autoSubmit.action, undefined, {
        rawBody: new URLSearchParams(autoSubmit.fields).toString(),
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
    }
    const location = response.headers.get("location") ?? undefined;
    const hop = { status: response.status, location, response };
    hops.push(hop);
    if (location === undefined || response.status < 300 || response.status >= 400) return { ...hop, hops };
    const target = new URL(location, next);
    if (target.origin !== origin || spaStops.has(target.pathname)) return { ...hop, location: target.href, hops };
    next = target;
  }
  throw new Error("too many redirects");
}

function decodeHtml(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/**
 * The action and hidden fields of a page that submits its own form on load, if it is one:
 * oidc-provider's form post, or Tobira's sign-out without confirmation (a hint naming the user).
 */
export function autoSubmittedForm(html: string): { action: string; fields: Record<string, string> } | undefined {
  if (!html.includes("document.forms[0].submit()") && !html.includes("document.getElementById('op.logoutForm').submit()")) return undefined;
  const action = /<form\b[^>]*\saction="([^"]+)"/.exec(html)?.[1];
  if (action === undefined) return undefined;
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)) fields[match[1]!] = decodeHtml(match[2]!);
  return { action: decodeHtml(action), fields };
}

export interface TestUser {
  email: string;
  password: string;
}

export async function newUser(stack: TestStack): Promise<TestUser> {
  return signUpConfirmed(stack);
}

/**
 * A confirmed user with more of Cognito's standard attributes than the SPA's sign-up asks for
 * (signed up with the SDK against the emulator, as an admin import or another app would).
 */
export async function newUserWithAttributes(stack: TestStack, attributes: Record<string, string>): Promise<TestUser> {
  const email = uniqueEmail("attributes");
  const settings = stack.config.cognito;
  const client = new CognitoIdentityProviderClient({
    region: settings.region,
    endpoint: stack.emulatorUrl,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  try {
    const secretHash = computeSecretHash(settings, email);
    await client.send(
      new SignUpCommand({
        ClientId: settings.clientId,
        SecretHash: secretHash,
        Username: email,
        Password: strongPassword,
        UserAttributes: [{ Name: "email", Value: email }, ...Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }))],
      }),
    );
    await client.send(
      new ConfirmSignUpCommand({ ClientId: settings.clientId, SecretHash: secretHash, Username: email, ConfirmationCode: await stack.latestCode(email) }),
    );
  } finally {
    client.destroy();
  }
  return { email, password: strongPassword };
}

/** Password and emailed code through the JSON API; returns `redirectTo`. */
export async function signIn(stack: TestStack, browser: HttpClient, user: TestUser): Promise<string> {
  await passwordStep(browser, user.email, user.password);
  const done = await browser.post<{ next: string; redirectTo: string }>("/api/signin/otp", { code: await stack.latestCode(user.email) });
  expect(done.status, done.text).toBe(200);
  return done.body.redirectTo;
}

/**
 * The whole front channel for one authorization request: the provider → the SPA's sign-in (when
 * needed) → back to the provider → the RP's redirect URI. Returns the final redirect's URL.
 */
export async function authorizeInBrowser(stack: TestStack, browser: HttpClient, request: URL, user?: TestUser): Promise<URL> {
  let hop = await follow(browser, request);
  if (hop.location !== undefined && new URL(hop.location).pathname === "/signin" && new URL(hop.location).origin === new URL(stack.bffUrl).origin) {
    if (user === undefined) throw new Error("the provider asked for a sign-in");
    const redirectTo = await signIn(stack, browser, user);
    hop = await follow(browser, redirectTo);
  }
  expect(hop.status, hop.response.text).toBe(303);
  return new URL(hop.location!);
}

export interface Tokens {
  config: oidc.Configuration;
  request: AuthorizationRequest;
  callback: URL;
  tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;
}

/** A signed-in code flow with openid-client: discovery, PKCE, state, nonce, code exchange. */
export async function codeFlow(
  stack: TestStack,
  browser: HttpClient,
  user: TestUser | undefined,
  options: { params?: Record<string, string>; client?: OidcClientConfig; config?: oidc.Configuration } = {},
): Promise<Tokens> {
  const client = options.client ?? testClients.confidential;
  const config = options.config ?? (await discover(stack, client));
  const request = await authorizationRequest(config, options.params, client);
  const callback = await authorizeInBrowser(stack, browser, request.url, user);
  const tokens = await oidc.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: request.verifier,
    expectedState: request.state,
    expectedNonce: request.nonce,
    idTokenExpected: true,
    ...(options.params?.max_age !== undefined ? { maxAge: Number(options.params.max_age) } : {}),
  });
  return { config, request, callback, tokens };
}

/** Decodes a JWT's payload (tests only read what openid-client already verified). */
export function jwtPayload(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
}

/** A raw token request (malformed ones openid-client would never send). */
export async function tokenRequest(stack: TestStack, body: string | URLSearchParams, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${stack.bffUrl}/oidc/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: typeof body === "string" ? body : body.toString(),
  });
}

export function basicAuth(clientId: string, secret: string): string {
  // RFC 6749 §2.3.1: each part form-urlencoded, then Base64.
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, "+");
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`).toString("base64")}`;
}

/**
 * A raw authorization request URL for the confidential test client, with valid PKCE, state and
 * nonce unless overridden; a parameter set to undefined is left out.
 */
export async function rawAuthorizationUrl(stack: TestStack, overrides: Record<string, string | undefined> = {}): Promise<URL> {
  const verifier = oidc.randomPKCECodeVerifier();
  const params: Record<string, string | undefined> = {
    client_id: testClients.confidential.clientId,
    redirect_uri: redirectUri,
    response_type: "code",
    scope: "openid email",
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state: "state-123",
    nonce: "nonce-123",
    ...overrides,
  };
  const url = new URL("/oidc/auth", stack.bffUrl);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return url;
}

/** A GET without cookies or redirects; the answer as the browser would get it. */
export async function rawGet(url: string | URL, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { redirect: "manual", headers });
}

/** The query parameters of a redirect's Location. */
export function queryOf(location: string | null | undefined): Record<string, string> {
  if (location === null || location === undefined) throw new Error("no Location header");
  return Object.fromEntries(new URL(location).searchParams);
}

export interface ReceivedLogoutToken {
  path: string;
  logoutToken: string;
  /** Epoch ms when it arrived. */
  at: number;
}

export interface LogoutReceiver {
  /** Base URL; register `${url}/<name>` as a client's backchannelLogoutUri. */
  url: string;
  received: ReceivedLogoutToken[];
  /** The next answers at a path (status, after an optional delay); afterwards 200. */
  answer(path: string, ...answers: { status: number; delayMs?: number }[]): void;
  /** Every POST that reached a path, answered or not. */
  attempts(path: string): number;
  /** Resolves with the tokens at `path` once there are `count` of them (fails after `timeoutMs`). */
  waitFor(path: string, count?: number, timeoutMs?: number): Promise<ReceivedLogoutToken[]>;
  close(): Promise<void>;
}

/**
 * A relying party's back-channel logout endpoint for tests (OpenID Connect Back-Channel Logout
 * 1.0 §2.5): records each form-posted logout token and answers 200, or what a test told it to.
 */
export async function startLogoutReceiver(): Promise<LogoutReceiver> {
  const received: ReceivedLogoutToken[] = [];
  const scripted = new Map<string, { status: number; delayMs?: number }[]>();
  const attempts = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const path = new URL(req.url ?? "/", "http://receiver").pathname;
      attempts.set(path, (attempts.get(path) ?? 0) + 1);
      const next = scripted.get(path)?.shift() ?? { status: 200 };
      setTimeout(() => {
        const logoutToken = new URLSearchParams(Buffer.concat(chunks).toString("utf8")).get("logout_token");
        if (next.status === 200 && logoutToken !== null) received.push({ path, logoutToken, at: Date.now() });
        res.statusCode = next.status;
        res.end();
      }, next.delayMs ?? 0);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  const at = (path: string) => received.filter((token) => token.path === path);
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    answer: (path, ...answers) => scripted.set(path, answers),
    attempts: (path) => attempts.get(path) ?? 0,
    async waitFor(path, count = 1, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (at(path).length < count) {
        if (Date.now() > deadline) throw new Error(`${at(path).length} of ${count} logout tokens arrived at ${path}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return at(path);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
