import express, { Router, type Express, type RequestHandler } from "express";
import { createAccountRouter } from "./account/account-routes";
import { createAccountSecurity } from "./account/account-security";
import { createAccountService } from "./account/account-service";
import { createAccountStepGuard } from "./account/account-step-guard";
import { withTrustedDeviceOptIn } from "./account/trusted-device-opt-in";
import { createTrustedDevices } from "./account/trusted-devices";
import { createCognitoClient } from "./cognito/cognito-client";
import { createCognitoGateway, type CognitoGateway } from "./cognito/cognito-gateway";
import { createCognitoTokenVerifier, type CognitoTokenVerifier } from "./cognito/cognito-token-verifier";
import type { BffConfig } from "./config";
import { errorMiddleware, notFoundMiddleware } from "./errors";
import { createHealthRouter, liveness } from "./health";
import { createLogger, type Logger } from "./logger";
import { apiOutcomeMetrics, metricsFor } from "./metrics";
import { apiDeadline } from "./middleware/api-deadline";
import { crossSiteGuard } from "./middleware/cross-site-guard";
import { inSequence } from "./middleware/in-sequence";
import { parseJsonBody, requireJsonContentType } from "./middleware/json-body";
import { noStore } from "./middleware/no-store";
import { createAuthRateLimits } from "./middleware/rate-limit";
import { requestLogging } from "./middleware/request-logging";
import { securityHeaders } from "./middleware/security-headers";
import { createInteractionApiRouter } from "./oidc/interaction-api";
import { createOpenIdProvider } from "./oidc/openid-provider";
import { createPasskeyRouters, createSignInMethods } from "./passkeys";
import { endAccessAfterReset } from "./password/after-reset";
import { createPasswordResets } from "./password/password-resets";
import { createPasswordRouter } from "./password/password-routes";
import { createSecurityEventsFor } from "./security";
import { passkeyEvents } from "./security/passkey-events";
import { withSignInEvents } from "./security/sign-in-events";
import { createSessionManager, sessionCookieMiddleware, sessionCookieReader } from "./session/session-manager";
import { createSessionRouter, sessionRead, signedOutSessionRead } from "./session/session-routes";
import { createSignOut } from "./session/sign-out";
import { createPendingSignIns } from "./signin/pending-sign-in";
import { createSignInRouter } from "./signin/sign-in-routes";
import { createSignInService } from "./signin/sign-in-service";
import { createSignInAfterConfirm } from "./signup/sign-in-after-confirm";
import { createSignUpRouter } from "./signup/sign-up-routes";
import type { Store } from "./store/store";
import { createAccountLimits, createKnownDevices, rememberingDevice } from "./throttle";
import { createClientConfigRouter } from "./web/client-config";
import { createSpaRouter } from "./web/spa";

/**
 * The OpenID Provider's router (rate limits, host pinning, its endpoints and the interaction) on its
 * own paths only, so that /api, /healthz and the SPA do not pay for its middleware. Express matches
 * routes whatever their case, and so does this test.
 */
function onProviderPaths(router: RequestHandler): RequestHandler {
  return (req, res, next) => {
    const path = req.path.toLowerCase();
    if (path.startsWith("/oidc/") || path.startsWith("/interaction/") || path.startsWith("/.well-known/")) router(req, res, next);
    else next();
  };
}

export interface BffDeps {
  config: BffConfig;
  store: Store;
  logger?: Logger;
  /** Replaces the SDK-backed gateway (tests of failure paths). */
  cognito?: CognitoGateway;
  verifier?: CognitoTokenVerifier;
}

/**
 * The BFF as an Express app: no listening and no environment reads here (see server.ts and
 * main.ts). Order matters: security headers and logging first; under /api the cross-site
 * guard, the content-type rule and the body parser run before any route; the health checks after
 * the API, before the SPA; one error middleware last.
 */
export function createBffApp(deps: BffDeps): Express {
  const { config, store } = deps;
  const logger = deps.logger ?? createLogger(config.logLevel);
  const cognito = deps.cognito ?? createCognitoGateway({ client: createCognitoClient(config.cognito), settings: config.cognito, logger });
  const verifier = deps.verifier ?? createCognitoTokenVerifier(config.cognito);
  const sessions = createSessionManager({ store, config });
  const knownDevices = createKnownDevices(config);
  const trustedDevices = createTrustedDevices({ config, store });
  // Sign-out and the OpenID Provider refer to each other: signing out of this browser ends the
  // provider's session, and a sign-out confirmed at the provider ends the Tobira session.
  const signOut = createSignOut({
    store,
    sessions,
    cognito,
    logger,
    endProviderSession: (req, res) => openId.endProviderSession(req, res),
    forgetTrustedDevices: (sub) => trustedDevices.forgetAll(sub),
    // Relying parties hear of each sign-out (OpenID Connect Back-Channel Logout 1.0).
    backChannelLogout: {
      providerSessionEnded: (ended) => openId.backChannelLogout.providerSessionEnded(ended),
      userSignedOutEverywhere: (sub) => openId.backChannelLogout.userSignedOutEverywhere(sub),
    },
  });
  const account = createAccountService({ cognito, verifier, sessions, signOut, logger });
  // The OpenID Provider for relying parties: its endpoints, the sign-in interaction, SSO and logout.
  const openId = createOpenIdProvider({ config, store, sessions, account, cognito, logger, signOut });
  const signInService = createSignInService({
    config,
    cognito,
    verifier,
    sessions,
    logger,
    signInMethodsFor: createSignInMethods({ store }),
    passwordResets: createPasswordResets(store),
    trustedDevice: (req, user) => trustedDevices.vouchesFor(req, user.username),
    completionRedirect: rememberingDevice(knownDevices, openId.completionRedirect),
  });
  const rateLimits = createAuthRateLimits({ config, store });
  // What happens to an account (history, security mails, metrics): bff/security/.
  const securityEvents = createSecurityEventsFor({ config, store, logger });
  const signIn = withTrustedDeviceOptIn(
    withSignInEvents(signInService, { events: securityEvents, sessions, store, historyTtlSeconds: config.account.historyTtlSeconds, knownDevices }),
    { trustedDevices, sessions, events: securityEvents },
  );
  const guard = createAccountStepGuard({ store });
  const accountSecurity = createAccountSecurity({ config, store, cognito, account, sessions, signOut, events: securityEvents, guard, logger, trustedDevices });
  // Sign-up counts failures per email; sign-in and reset meet the per-account throttle (bff/throttle/).
  const limits = [rateLimits.perIp, createAccountLimits({ config, store, sessions, knownDevices, perEmail: rateLimits.perEmail, logger })];

  const app = express();
  app.disable("x-powered-by");
  // No ETag on res.json/res.send answers: the API's are no-store, so a SHA-1 of every body would
  // serve no cache. Files (the SPA, via sendFile and express.static) keep theirs, made from the
  // file's size and time: Express passes only "on" to them, and this function counts as on.
  app.set("etag", () => undefined);
  app.set("trust proxy", config.trustProxy);
  // What every request gets, as one router layer (bff/middleware/in-sequence.ts); liveness and a
  // signed-out browser's session read right after the headers.
  app.use(inSequence(requestLogging(logger), securityHeaders(config), liveness, signedOutSessionRead(config)));
  // GET /api/session, the call the SPA makes most, first and with only what it needs: no body to
  // parse, no Origin to check (a GET changes nothing), no outcome to count (it is never refused),
  // the session cookie only read. It keeps the API's deadline: a signed-in read may make several
  // store calls in a row.
  app.get("/api/session", inSequence(apiDeadline(config.apiDeadlineMs, logger), noStore, sessionCookieReader(config), sessionRead(sessions)));
  app.use(onProviderPaths(openId.router));

  const api = Router();
  api.use(
    inSequence(
      apiOutcomeMetrics(metricsFor(logger)),
      apiDeadline(config.apiDeadlineMs, logger),
      noStore,
      crossSiteGuard(config.trustedOrigins),
      requireJsonContentType,
      parseJsonBody,
      sessionCookieMiddleware(config),
    ),
  );
  api.use(createSessionRouter({ signOut }));
  api.use(createSignUpRouter({ cognito, limits, signInAfterConfirm: createSignInAfterConfirm({ cognito, signIn, logger }) }));
  api.use(createSignInRouter({ signIn, pending: createPendingSignIns({ sessions, config }), limits }));
  api.use(passkeyEvents({ events: securityEvents, sessions, store }));
  api.use(
    ...createPasskeyRouters({ config, store, cognito, sessions, signIn, account, logger, limits: [rateLimits.perIp], optionsLimits: [rateLimits.passkeyOptionsPerIp] }),
  );
  api.use(createPasswordRouter({ cognito, limits, afterReset: (email) => endAccessAfterReset({ store, sessions, signOut, cognito, logger }, email) }));
  api.use(createClientConfigRouter("sign-in", config.passwordPolicy));
  api.use(createAccountRouter({ account, security: accountSecurity, limits: [rateLimits.perIp] }));
  api.use(createInteractionApiRouter({ pendingInteraction: openId.pendingInteraction, consent: openId.consent }));
  api.use(notFoundMiddleware);
  app.use("/api", api);
  // After /api, so that the API's calls do not pass its route.
  app.use(createHealthRouter({ store, verifier }));

  if (config.web.serve) app.use(createSpaRouter(config.web.distDir));
  app.use(notFoundMiddleware);
  app.use(errorMiddleware(logger));
  return app;
}
