import { mkdtempSync, rmSync } from "node:fs";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { LOCAL_ALB_CLIENT_NAME, loadAlbModeConfig, type AlbModeConfig } from "../../../bff/config";
import { createLogger } from "../../../bff/logger";
import { startAlbModeBff, type RunningAlbModeBff } from "../../../bff/server";
import { type AppClientConfig, type LocalConfig, loadLocalConfig } from "../../../common/local-config";
import { startLocalAlbProxy, type LocalAlb } from "../../../emulator/local/local-alb-proxy";
import { createLocalAlbSigner, startAlbKeyServer, type AlbKeyServer, type LocalAlbSigner } from "../../../emulator/local/local-alb-signer";
import { startEmulator, type RunningEmulator } from "../../../emulator/server";
import { type TestEmulator, signUpConfirmed as emulatorSignUpConfirmed, sdkClient } from "../emulator/support";

/**
 * ALB mode for tests: the emulator (with its managed login), a local ALB key server and signer,
 * the BFF with ALB_MODE=true, and optionally the local ALB proxy in front of it. Every server
 * listens on a free port; data lives in a temporary folder.
 */

export const ALB_ARN = "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/tobira-test/50dc6c495c0c9188";
export const PASSWORD = "Correct-Horse-9";

export interface AlbTestStackOptions {
  /** Put the local ALB proxy in front of the BFF (the browser flow). */
  proxy?: boolean | { shardSize?: number };
  serveWeb?: boolean;
  /** Serve the SPA from another build folder (default dist/web). */
  webDistDir?: string;
}

export interface AlbTestStack {
  emulator: RunningEmulator;
  /** An SDK client of the emulator (user-pool API calls). */
  cognito: CognitoIdentityProviderClient;
  /** The emulator's pool configuration (the ALB client's URLs point at this stack's proxy). */
  localConfig: LocalConfig;
  albClient: AppClientConfig & { clientSecret: string };
  keyServer: AlbKeyServer;
  signer: LocalAlbSigner;
  bff: RunningAlbModeBff;
  config: AlbModeConfig;
  alb: LocalAlb | undefined;
  /** Starts another BFF in ALB mode on this stack, with extra environment (e.g. a key endpoint that is down). */
  startBff(env?: Record<string, string>): Promise<RunningAlbModeBff>;
  /** Signs up and confirms a user; returns its sub. */
  signUpConfirmed(email: string, password?: string): Promise<string>;
  /** The three headers the ALB would send for this user, with a hosted (openid) access token. */
  albHeaders(email: string, overrides?: Parameters<LocalAlbSigner["sign"]>[1]): Promise<Record<string, string>>;
  close(): Promise<void>;
}

let counter = 0;
export function uniqueEmail(label = "alb"): string {
  counter += 1;
  return `${label}.${process.pid}.${counter}.${Date.now().toString(36)}@example.com`;
}

export async function startAlbTestStack(options: AlbTestStackOptions = {}): Promise<AlbTestStack> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "tobira-alb-"));
  // A copy the emulator reads live: the proxy's callback and sign-out URLs are known only once it listens.
  const localConfig = structuredClone(loadLocalConfig());
  const albClient = localConfig.userPool.clients.find((client) => client.name === LOCAL_ALB_CLIENT_NAME) as AppClientConfig & { clientSecret: string };
  const emulator = await startEmulator({ config: localConfig, dataDir: path.join(dataDir, "emulator"), port: 0 });
  const cognito = sdkClient(emulator.url);
  const owned: { close(): Promise<void> }[] = [];
  try {
    const signer = createLocalAlbSigner({ albArn: ALB_ARN, clientId: albClient.clientId, issuer: emulator.issuer });
    const keyServer = await startAlbKeyServer({ keys: [signer] });
    owned.push(keyServer);

    let bffUrl = "";
    let alb: LocalAlb | undefined;
    if (options.proxy) {
      alb = await startLocalAlbProxy({
        upstream: () => bffUrl,
        hostedUiUrl: emulator.url,
        clientId: albClient.clientId,
        clientSecret: albClient.clientSecret,
        signer,
        ...(typeof options.proxy === "object" && options.proxy.shardSize !== undefined ? { shardSize: options.proxy.shardSize } : {}),
      });
      owned.push(alb);
      albClient.callbackUrls = [alb.callbackUrl];
      albClient.logoutUrls = [`${alb.url}/`];
    }

    const baseEnv: Record<string, string> = {
      TOBIRA_MODE: "local",
      ALB_MODE: "true",
      TOBIRA_DATA_DIR: dataDir,
      LOG_LEVEL: "silent",
      PORT: "0",
      COGNITO_ENDPOINT: emulator.url,
      COGNITO_ISSUER: emulator.issuer,
      ALB_ARN,
      ALB_KEYS_ENDPOINT: keyServer.url,
      SERVE_WEB: options.serveWeb ? "true" : "false",
      ...(options.webDistDir === undefined ? {} : { WEB_DIST_DIR: options.webDistDir }),
      ...(alb === undefined ? {} : { PUBLIC_URL: alb.url, ALB_LOGOUT_URI: `${alb.url}/` }),
    };
    const logger = createLogger("silent");
    const launch = async (env: Record<string, string> = {}) => {
      const bff = await startAlbModeBff({
        config: loadAlbModeConfig({ ...baseEnv, ...env }),
        logger,
        port: 0,
        host: "127.0.0.1",
        // Behind the proxy the browser's origin is the proxy's (PUBLIC_URL); without it, the BFF's own.
        adoptListenerUrl: alb === undefined,
      });
      owned.push(bff);
      return bff;
    };
    const bff = await launch();
    bffUrl = bff.url;

    const t: TestEmulator = { emulator, cognito, dataDir, stop: async () => undefined };
    return {
      emulator,
      cognito,
      localConfig,
      albClient,
      keyServer,
      signer,
      bff,
      config: bff.config,
      alb,
      startBff: launch,
      signUpConfirmed: (email, password = PASSWORD) => emulatorSignUpConfirmed(t, email, password),
      async albHeaders(email, overrides) {
        const tokens = await emulator.issueHostedTokens({ username: email, clientId: albClient.clientId, scopes: ["openid"] });
        const userInfo = (await (await fetch(`${emulator.url}/oauth2/userInfo`, { headers: { authorization: `Bearer ${tokens.AccessToken}` } })).json()) as {
          sub: string;
        };
        return {
          "x-amzn-oidc-data": signer.sign(userInfo, overrides),
          "x-amzn-oidc-accesstoken": tokens.AccessToken,
          "x-amzn-oidc-identity": userInfo.sub,
        };
      },
      async close() {
        for (const server of owned.reverse()) await server.close();
        cognito.destroy();
        await emulator.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    for (const server of owned.reverse()) await server.close().catch(() => undefined);
    cognito.destroy();
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** A port nothing listens on: bound once, then released. */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A tiny cookie jar for flows that cross origins (proxy ↔ emulator), keyed by origin. Paths and
 * other attributes are ignored; expired or emptied cookies are dropped.
 */
export class CookieJar {
  private readonly jars = new Map<string, Map<string, string>>();

  private jar(origin: string): Map<string, string> {
    let jar = this.jars.get(origin);
    if (jar === undefined) this.jars.set(origin, (jar = new Map()));
    return jar;
  }

  store(url: string, response: Response): void {
    const jar = this.jar(new URL(url).origin);
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const equals = pair!.indexOf("=");
      const name = pair!.slice(0, equals).trim();
      const value = pair!.slice(equals + 1).trim();
      const expired = attributes.some((attribute) => /^\s*max-age\s*=\s*(0|-\d+)\s*$/i.test(attribute));
      if (expired || value === "") jar.delete(name);
      else jar.set(name, value);
    }
  }

  header(url: string): string {
    return [...this.jar(new URL(url).origin)].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  names(url: string): string[] {
    return [...this.jar(new URL(url).origin).keys()];
  }

  /** fetch without following redirects, sending and keeping this jar's cookies. */
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.header(url);
    if (cookie !== "") headers.set("cookie", cookie);
    const response = await fetch(url, { ...init, headers, redirect: "manual" });
    this.store(url, response);
    return response;
  }
}

/** The hidden CSRF field and the form's action of the managed-login page. */
export function parseSignInForm(html: string): { csrf: string; action: string } {
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (csrf === undefined || action === undefined) throw new Error("no sign-in form on the page");
  // The page escapes attribute values (&#47; for "/", &#61; for "=", &amp; …).
  const unescape = (text: string) => text.replace(/&#(\d+);/g, (_match, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, "&");
  return { csrf: unescape(csrf), action: unescape(action) };
}

/**
 * Signs in through the local ALB as a browser would, without one: the ALB's redirect to
 * /oauth2/authorize, the sign-in page, the form post, the callback. Returns the final redirect
 * (back to `path` with the session cookies in `jar`).
 */
export async function signInThroughAlb(
  stack: AlbTestStack,
  jar: CookieJar,
  email: string,
  options: { password?: string; path?: string; albUrl?: string } = {},
): Promise<Response> {
  const albUrl = options.albUrl ?? stack.alb!.url;
  const start = await jar.fetch(`${albUrl}${options.path ?? "/account"}`);
  if (start.status !== 302) throw new Error(`the ALB answered ${start.status}, not a redirect to sign in`);
  const authorize = await jar.fetch(start.headers.get("location")!);
  const loginUrl = new URL(authorize.headers.get("location")!, stack.emulator.url).toString();
  const page = await jar.fetch(loginUrl);
  const form = parseSignInForm(await page.text());
  const posted = await jar.fetch(new URL(form.action, stack.emulator.url).toString(), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ _csrf: form.csrf, username: email, password: options.password ?? PASSWORD }).toString(),
  });
  if (posted.status !== 302) throw new Error(`the sign-in page answered ${posted.status}`);
  return jar.fetch(posted.headers.get("location")!);
}
