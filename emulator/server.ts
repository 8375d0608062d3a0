import { once } from "node:events";
import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import express, { type NextFunction, type Request, type Response } from "express";
import type { LocalConfig, UserPoolConfig } from "../common/local-config";
import { Messages, UserNotFoundException } from "./errors";
import { createCsrf } from "./hosted/csrf";
import { createLocalOutboxRouter } from "./hosted/local-outbox";
import { createLocalOutboxIntakeRouter } from "./hosted/local-outbox-intake";
import { createLogoutRouter } from "./hosted/logout";
import { ManagedLoginSessions } from "./hosted/managed-login-session";
import { createAuthorizeRouter } from "./hosted/oauth2-authorize";
import { AuthorizationCodes } from "./hosted/oauth2-codes";
import { createForgotPasswordRouter } from "./hosted/oauth2-forgot-password";
import { createSignUpRouter } from "./hosted/oauth2-signup";
import { createTokenRouter } from "./hosted/oauth2-token";
import { createUserInfoRouter } from "./hosted/user-info";
import { createWellKnownRouter } from "./hosted/well-known";
import { operations } from "./operations";
import { type PoolContext, requireClient } from "./pool";
import { createProtocolRouter } from "./protocol";
import { type QuotaOptions, Quotas, quotaSettings } from "./quotas";
import { ChallengeSessions } from "./state/challenge-sessions";
import { loadSigningKeys } from "./state/key-store";
import { Outbox } from "./state/outbox";
import { SignInStore } from "./state/sign-in-store";
import { UserStore } from "./state/user-store";
import { type AuthenticationResult, TokenService } from "./tokens";
import { type ChallengeTriggers, type TriggerTiming, TriggerRunner, createProjectTriggers } from "./triggers";

export type { OutboxMessage } from "./state/outbox";
export type { Outbox } from "./state/outbox";
export type { ChallengeTriggers } from "./triggers";
export type { QuotaOptions } from "./quotas";

export interface EmulatorOptions {
  /** The pool, its app clients and the trigger settings (common/local-config.ts). */
  config: LocalConfig;
  /** Users, keys, refresh tokens and the outbox persist here (JSON files, atomic writes). */
  dataDir: string;
  /** 0 picks a free port (tests); default config.ports.emulator. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Token `iss`; default `${url}/${poolId}`. Set it to a cloud-like issuer where a test needs one. */
  issuer?: string;
  /** Challenge Session lifetime; default the pool's authSessionValidityMinutes. */
  authSessionValidityMs?: number;
  /** Injectable clock (epoch ms) for expiry tests. */
  now?: () => number;
  /** Print codes to the console as they are sent (local mode). */
  logCodes?: boolean;
  /** Replaces some of the project's challenge triggers (tests: a failing or recording trigger). */
  triggers?: Partial<ChallengeTriggers>;
  /** Cognito's 5-second trigger limit and its three invocations (tests shorten the limit). */
  triggerTiming?: TriggerTiming;
  /**
   * Per-user attempt limits and the default sender's 50 mails a day: on by default, with
   * Cognito's numbers; `false` turns them off, an object changes some (docs/cognito-behaviour.md, "Quotas").
   */
  quotas?: QuotaOptions;
  /** Lifetime of the managed-login session cookie; default 1 hour. */
  managedLoginSessionMs?: number;
  /** Pool settings a test runs both ways, over the configuration's (docs/cognito-behaviour.md, "Settings"). */
  poolSettings?: Partial<Pick<UserPoolConfig, "resendToConfirmedUser" | "emailSendingAccount">>;
}

export interface HostedTokensRequest {
  /** Internal username or sign-in alias. */
  username: string;
  clientId: string;
  scopes: string[];
}

export interface RunningEmulator {
  url: string;
  port: number;
  issuer: string;
  outbox: Outbox;
  /**
   * Tokens as the managed-login token endpoint issues them, with OAuth scopes (e.g. `openid email`),
   * without going through /oauth2/authorize and /oauth2/token (tests and local tools).
   */
  issueHostedTokens(request: HostedTokensRequest): Promise<Required<AuthenticationResult>>;
  close(): Promise<void>;
}

/** Resolves with the bound port; events.once rejects if the server emits "error" first (a port in use). */
async function listen(server: Server, port: number, host: string): Promise<number> {
  server.listen(port, host);
  await once(server, "listening");
  return (server.address() as AddressInfo).port;
}

function urlHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

/** Starts the local Cognito user-pool service. */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const config: LocalConfig =
    options.poolSettings === undefined ? options.config : { ...options.config, userPool: { ...options.config.userPool, ...options.poolSettings } };
  const pool = config.userPool;
  const now = options.now ?? Date.now;
  const host = options.host ?? "127.0.0.1";
  mkdirSync(options.dataDir, { recursive: true });

  const users = new UserStore(join(options.dataDir, "users.json"), pool);
  const signIns = new SignInStore(join(options.dataDir, "sign-ins.json"), now);
  const outbox = new Outbox(join(options.dataDir, "outbox.json"), now);
  const keys = await loadSigningKeys(join(options.dataDir, "keys.json"));
  const stopLogging = options.logCodes
    ? outbox.onMessage((message) => console.log(`[emulator] code ${message.code} for ${message.to} (${message.subject})`))
    : () => undefined;

  const server = createServer();
  const port = await listen(server, options.port ?? config.ports.emulator, host);
  const url = `http://${urlHost(host)}:${port}`;
  const issuer = options.issuer ?? `${url}/${pool.id}`;

  const ctx: PoolContext = {
    config,
    pool,
    now,
    users,
    signIns,
    outbox,
    tokens: new TokenService({ keys, issuer, signIns, now }),
    sessions: new ChallengeSessions(now),
    triggers: new TriggerRunner(
      {
        ...createProjectTriggers(config, outbox.asDeliveryPort(), now),
        // Only the handlers actually given replace the project's.
        ...Object.fromEntries(Object.entries(options.triggers ?? {}).filter(([, handler]) => handler !== undefined)),
      },
      { region: config.region, userPoolId: pool.id, usernameAttributes: pool.usernameAttributes },
      options.triggerTiming,
    ),
    authSessionValidityMs: options.authSessionValidityMs ?? pool.authSessionValidityMinutes * 60_000,
    quotas: new Quotas(quotaSettings(options.quotas), now),
  };
  const context = () => ctx;

  const app = express();
  app.disable("x-powered-by");
  app.use(createProtocolRouter(context, operations));
  app.use(createWellKnownRouter(context, () => url));
  app.use(createUserInfoRouter(context));
  // Managed login: /oauth2/authorize → /login (↔ /signup → /confirmUser, ↔ /forgotPassword → /confirmForgotPassword)
  // → the client's callback → /oauth2/token;
  // the sign-in starts the managed-login session that /logout ends.
  const managedLoginSessions = new ManagedLoginSessions(now, options.managedLoginSessionMs);
  app.use(createLogoutRouter(context, managedLoginSessions));
  const authorizationCodes = new AuthorizationCodes(now);
  const csrf = createCsrf();
  app.use(createAuthorizeRouter(context, authorizationCodes, managedLoginSessions, csrf));
  app.use(createSignUpRouter(context, csrf));
  app.use(createForgotPasswordRouter(context, csrf));
  app.use(createTokenRouter(context, authorizationCodes));
  app.use(createLocalOutboxRouter(() => outbox));
  app.use(createLocalOutboxIntakeRouter(() => outbox));
  app.use((_req: Request, res: Response) => {
    res.status(404).type("text/plain").send("Not found");
  });
  // Express's default handler would print a stack trace; nothing internal leaves this server.
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    console.error(`[emulator] request failed: ${error instanceof Error ? error.message : String(error)}`);
    res.status(500).type("text/plain").send("Internal error");
  });
  server.on("request", app);

  return {
    url,
    port,
    issuer,
    outbox,
    async issueHostedTokens({ username, clientId, scopes }) {
      const client = requireClient(ctx, clientId);
      const user = users.find(username);
      if (user === undefined) throw new UserNotFoundException(Messages.userDoesNotExist);
      return ctx.tokens.signIn(user, client, scopes.join(" "));
    },
    async close() {
      stopLogging();
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The SDK keeps connections alive; without this, close() would wait for them to time out.
        server.closeAllConnections();
      });
      await Promise.all([users.flush(), signIns.flush(), outbox.flush()]);
    },
  };
}
