import type { Request, RequestHandler, Response } from "express";
import type { BffConfig } from "../config";
import type { Logger } from "../logger";
import type { SessionManager } from "../session/session-manager";
import type { AuthenticatedSession } from "../session/session-records";
import type { Store } from "../store/store";
import { createAccountThrottle } from "./account-throttle";
import { createCodeAnswerGuard } from "./code-answer-guard";
import type { KnownDevices } from "./known-device";
import { createAccountThrottleRoutes } from "./throttle-routes";

export { createKnownDevices, type KnownDevices } from "./known-device";

/** Runs `handlers` in turn, as Express would for a route's list. */
function inTurn(handlers: RequestHandler[]): RequestHandler {
  return (req, res, next) => {
    const step = (index: number, error?: unknown): void => {
      if (error !== undefined || index === handlers.length) {
        next(error);
        return;
      }
      Promise.resolve(handlers[index]!(req, res, (failure?: unknown) => step(index + 1, failure))).catch(next);
    };
    step(0);
  };
}

/**
 * The per-account limits of the guarded calls, in one handler for their shared `limits` list:
 * sign-up calls count failures per email (bff/middleware/rate-limit.ts); sign-in and password
 * reset calls meet the per-account throttle (account-throttle.ts), and a code is judged once per
 * round (code-answer-guard.ts).
 */
export function createAccountLimits(deps: {
  config: BffConfig;
  store: Store;
  sessions: SessionManager;
  knownDevices: KnownDevices;
  /** The per-email failure budget, for sign-up's calls. */
  perEmail: RequestHandler;
  logger: Logger;
}): RequestHandler {
  const { config, store, sessions, knownDevices, logger } = deps;
  const throttle = createAccountThrottle({ store, limits: config.accountThrottle });
  const routes = createAccountThrottleRoutes({ throttle, knownDevices, sessions, logger });
  const signIn = inTurn([createCodeAnswerGuard({ store, sessions, signInTtlSeconds: config.session.signInTtlSeconds, logger }), routes.signIn]);
  return (req: Request, res: Response, next) => {
    if (req.path.startsWith("/signup")) return deps.perEmail(req, res, next);
    if (req.path.startsWith("/signin")) return signIn(req, res, next);
    if (req.path.startsWith("/password/")) return routes.password(req, res, next);
    next();
  };
}

/** Wraps the sign-in completion: a browser that signed in to an account is known to it from now on. */
export function rememberingDevice(
  knownDevices: KnownDevices,
  completionRedirect: (req: Request, session: AuthenticatedSession) => Promise<string>,
): (req: Request, session: AuthenticatedSession) => Promise<string> {
  return async (req, session) => {
    knownDevices.remember(req, session.email);
    return completionRedirect(req, session);
  };
}
