import type { Request } from "express";
import type { SignInStatusResponse } from "../../common/api-contract";
import type { BffConfig } from "../config";
import { ApiError } from "../errors";
import { nowSeconds, type SessionManager } from "../session/session-manager";
import type { PendingSignIn } from "../session/session-records";

/**
 * The pending sign-in as the browser sees it (docs/architecture.md, "The pending sign-in, from the browser"):
 * whether one is waiting and at which step (`GET /api/signin`), ending it (`DELETE /api/signin`,
 * "Sign in with a different account" or a fresh sign-in page), and the right error for a step
 * that finds none — "expired" only when this browser did start one.
 */
export interface PendingSignIns {
  status(req: Request): Promise<SignInStatusResponse>;
  /** Ends this browser's pending sign-in, if any; a signed-in session is left alone. */
  cancel(req: Request): Promise<void>;
  /** The error for a call that needs a pending sign-in and finds none. */
  missing(req: Request): Promise<ApiError>;
}

export interface ResendTiming {
  /** Seconds until another code may be sent (the cool-down between codes). */
  resendAvailableInSeconds: number;
  resendsLeft: number;
}

/** When the next code of this sign-in may be sent, and how many more it allows. */
export function resendTiming(pending: Pick<PendingSignIn, "resends" | "codeSentAt">, signIn: BffConfig["signIn"], now = nowSeconds()): ResendTiming {
  const sentAt = pending.codeSentAt ?? 0;
  return {
    resendAvailableInSeconds: Math.max(0, sentAt + signIn.resendCooldownSeconds - now),
    resendsLeft: Math.max(0, signIn.maxCodeResends - pending.resends),
  };
}

export const sessionExpired = () => new ApiError(401, "session_expired", "Your sign-in has expired. Start again.");
const noPendingSignIn = () => new ApiError(400, "no_pending_signin", "No sign-in is in progress. Start with your email and password.");

/** Whether this browser's cookie holds a session id: set when a sign-in starts, replaced when one completes, cleared at sign-out. */
function holdsSessionId(req: Request): boolean {
  return typeof req.session?.sid === "string";
}

export function createPendingSignIns(deps: { sessions: SessionManager; config: BffConfig }): PendingSignIns {
  const { sessions, config } = deps;
  return {
    async status(req) {
      const pending = await sessions.readPending(req);
      if (pending === undefined) return { pending: false };
      if (pending.step === "otp" && pending.delivery !== undefined) {
        return { pending: true, next: "otp", methods: pending.methods, delivery: pending.delivery, ...resendTiming(pending, config.signIn) };
      }
      return { pending: true, next: "choose", methods: pending.methods };
    },

    cancel: (req) => sessions.clearPending(req),

    async missing(req) {
      // A browser that never started a sign-in (no session id) or has finished one (signed in)
      // has nothing that could have expired: saying "expired" would send people looking for
      // a sign-in that never existed.
      if (!holdsSessionId(req) || (await sessions.readAuthenticated(req)) !== undefined) return noPendingSignIn();
      return sessionExpired();
    },
  };
}
