import type { Request, RequestHandler, Response } from "express";
import type { ThrottledAction } from "../config/account-throttle-limits";
import type { Logger } from "../logger";
import { emailInBody } from "../middleware/rate-limit";
import type { SessionManager } from "../session/session-manager";
import { pendingOf } from "../signin/request-records";
import type { AccountThrottle, Reservation, ThrottleSubject } from "./account-throttle";
import { beforeAnswer, type Outcome } from "./before-answer";
import { clientNetworkOf } from "./client-network";
import type { KnownDevices } from "./known-device";

/**
 * Where the per-account throttle meets the routes (docs/architecture.md, "Per-account
 * throttling"): what each guarded call counts, and which answers are failures. Wrong passwords
 * and unknown accounts count alike, so the throttle's 429 says nothing about whether an account
 * exists. Passkey sign-in has no account budget: a passkey cannot be guessed, and it is the
 * owner's way in while a stranger is being throttled.
 */

export interface AccountThrottleRoutes {
  /** For the sign-in router: POST /signin, /signin/otp/send, /signin/otp. */
  signIn: RequestHandler;
  /** For the password router: POST /password/forgot, /password/reset. */
  password: RequestHandler;
}

/** The actions a password reset wipes for the account: the owner is back in control. */
const clearedByReset: readonly ThrottledAction[] = ["password", "signInCode", "codeSent"];

export function createAccountThrottleRoutes(deps: {
  throttle: AccountThrottle;
  knownDevices: KnownDevices;
  sessions: SessionManager;
  logger: Logger;
}): AccountThrottleRoutes {
  const { throttle, knownDevices, sessions, logger } = deps;

  const subjectFor = (req: Request, email: string): ThrottleSubject => ({
    email,
    network: clientNetworkOf(req.ip),
    knownDevice: knownDevices.deviceFor(req, email),
  });

  /** Reserves an attempt, keeps it when `isFailure` says the answer was one, refunds it otherwise. */
  async function guard(res: Response, action: ThrottledAction, subject: ThrottleSubject, isFailure: (outcome: Outcome) => boolean): Promise<void> {
    const reservation: Reservation = await throttle.reserve(action, subject);
    beforeAnswer(
      res,
      async (outcome) => {
        if (!isFailure(outcome)) await reservation.refund();
      },
      logger,
    );
  }

  // The email does not change during an attempt: the request's first read of it will do.
  const pendingEmail = async (req: Request) => (await pendingOf(req, sessions))?.email;

  const signIn: RequestHandler = async (req, res, next) => {
    switch (req.path) {
      case "/signin": {
        const email = emailInBody(req);
        if (email === undefined) break;
        // A stranger who used up the account's code budget gets no new code to guess, nor a mail
        // to bomb the owner with (NIST SP 800-63B §5.2.2; OWASP Credential Stuffing Prevention
        // Cheat Sheet). The same 429 as for wrong passwords, before the password is checked; read
        // in the same write that reserves the password attempt.
        const reservation = await throttle.reserve("password", subjectFor(req, email), { alsoOpen: ["signInCode", "codeSent"] });
        // One write per record settles both: a right password is refunded, a code sent is counted.
        beforeAnswer(
          res,
          ({ status, body }) =>
            reservation.settle({
              refund: status !== 401,
              record: status === 200 && (body as { next?: unknown } | undefined)?.next === "otp" ? ["codeSent"] : [],
            }),
          logger,
        );
        break;
      }
      case "/signin/otp/send": {
        const email = await pendingEmail(req);
        if (email === undefined) break;
        await guard(res, "codeSent", subjectFor(req, email), ({ status }) => status === 200);
        break;
      }
      case "/signin/otp": {
        const email = await pendingEmail(req);
        if (email === undefined) break;
        await guard(
          res,
          "signInCode",
          subjectFor(req, email),
          ({ status, errorCode }) => (status === 400 && errorCode === "code_mismatch") || (status === 401 && errorCode === "challenge_failed"),
        );
        break;
      }
    }
    next();
  };

  const password: RequestHandler = async (req, res, next) => {
    const email = emailInBody(req);
    if (email !== undefined) {
      const subject = subjectFor(req, email);
      if (req.path === "/password/forgot") {
        await guard(res, "resetSent", subject, ({ status }) => status === 200);
      } else if (req.path === "/password/reset") {
        await guard(res, "resetCode", subject, ({ status, errorCode }) => status === 400 && (errorCode === "code_mismatch" || errorCode === "expired_code"));
        beforeAnswer(
          res,
          async ({ status }) => {
            if (status === 200) await throttle.clearAccount(email, clearedByReset, subject.network);
          },
          logger,
        );
      }
    }
    next();
  };

  return { signIn, password };
}
