import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Request } from "express";
import type { Delivery, OtpSentResponse, SignInDoneResponse, SignInMethod, SignInResponse } from "../../common/api-contract";
import { ChallengeStep } from "../../common/custom-auth-protocol";
import type { CognitoGateway, CognitoTokens } from "../cognito/cognito-gateway";
import type { CognitoTokenVerifier } from "../cognito/cognito-token-verifier";
import type { BffConfig } from "../config";
import { ApiError } from "../errors";
import type { Logger } from "../logger";
import type { PasswordResets } from "../password/password-resets";
import { nowSeconds, type SessionManager } from "../session/session-manager";
import type { AuthenticatedSession, PendingSignIn } from "../session/session-records";
import { createCustomAuthRounds, type OtpRound } from "./custom-auth-rounds";
import { codeMismatch, keepWrongCode } from "./kept-wrong-code";
import { createPendingSignIns, resendTiming, sessionExpired } from "./pending-sign-in";
import { pendingReadBy, rememberReadWithAnswer, rememberSignedIn, takeWantedWithAnswer } from "./request-records";

/**
 * The sign-in flow (docs/architecture.md, "Sign-in, step by step"):
 *  1. CUSTOM_AUTH starts with SRP_A: Cognito checks the password (PASSWORD_VERIFIER) inside the
 *     attempt, so it issues no tokens without the second factor too.
 *  2. The first custom round (ChallengeStep.provide) asks for the method, since Cognito gives
 *     ClientMetadata to the challenge triggers only from RespondToAuthChallenge.
 *  3. Choosing the OTP method makes the trigger send a code; the user's code answers the OTP
 *     round. The BFF counts wrong codes over the whole attempt, resends included.
 *  4. Cognito's tokens stay in the server-side session; the browser gets a new session id.
 * The rounds themselves are walked by custom-auth-rounds.ts (common/custom-auth-protocol.ts).
 */

/** RFC 8176: password + one-time code = two factors. */
export const passwordAndOtpAmr = ["pwd", "otp", "mfa"];
/** A trusted device stood in for the code: only the password was presented now (RFC 8176 has no value for a remembered device). */
export const trustedDeviceAmr = ["pwd"];

export interface SignInUser {
  username: string;
  email: string;
}

export interface SignInService {
  start(req: Request, input: { email: string; password: string }): Promise<SignInResponse>;
  sendCode(req: Request): Promise<OtpSentResponse>;
  submitCode(req: Request, code: string): Promise<SignInDoneResponse>;
  /**
   * Ends any sign-in with Cognito's tokens: the session, the amr, the redirect. Shared by the code
   * and the passkey paths (bff/passkeys), so both finish the same way.
   */
  complete(req: Request, user: SignInUser, tokens: CognitoTokens, amr: string[]): Promise<SignInDoneResponse>;
  /**
   * Signs in a user whose sign-up code ConfirmSignUp has just accepted in this request
   * (bff/signup/sign-in-after-confirm.ts): the password by SRP, then the SIGN_UP_CONFIRMED round
   * answered with the sign-up proof (common/custom-auth-protocol.ts). Call it only then.
   */
  completeAfterSignUp(req: Request, input: { email: string; password: string }): Promise<SignInDoneResponse>;
}

export interface SignInDeps {
  config: BffConfig;
  cognito: CognitoGateway;
  verifier: CognitoTokenVerifier;
  sessions: SessionManager;
  logger: Logger;
  /**
   * The second factors this user may choose: bff/passkeys adds "passkey" for users who
   * registered one, and sign-in then answers `{next:"choose"}` without sending a code.
   */
  signInMethodsFor?: (user: SignInUser) => Promise<SignInMethod[]>;
  /**
   * Whether this browser is a trusted device of the user (bff/account/trusted-devices.ts): the
   * password, checked by Cognito, then completes the sign-in without the code step.
   */
  trustedDevice?: (req: Request, user: SignInUser) => Promise<boolean>;
  /**
   * When the account's password was last reset (bff/password/password-resets.ts): a pending
   * sign-in begun before it dies with it, even though Cognito's attempt already holds the old
   * password's PASSWORD_VERIFIER (docs/architecture.md, "After a password reset").
   */
  passwordResets?: Pick<PasswordResets, "lastForEmailWith">;
  /** Where the browser goes after signing in; the OpenID Provider returns its interaction URL. */
  completionRedirect?: (req: Request, session: AuthenticatedSession) => Promise<string>;
}

const tooManyResends = () => new ApiError(429, "limit_exceeded", "You have asked for the most codes one sign-in allows. Start signing in again.");
const resendTooSoon = (seconds: number) =>
  new ApiError(429, "resend_too_soon", `Wait ${seconds} seconds before asking for another code.`, {
    headers: { "Retry-After": String(seconds) },
    extra: { retryAfterSeconds: seconds },
  });

/**
 * Cognito's challenge Session is single-use, so two answers to one round (a wrong code and a
 * resend sent at the same moment) cannot both reach Cognito: the loser would meet "Invalid
 * session" and end the sign-in. Answers are therefore serialized per pending sign-in: each takes a
 * lease on the round with a compare-and-set on the pending sign-in, answers, and stores the next
 * round as it gives the lease back. A second answer waits for the lease, then answers the newer
 * round. The lease outlives one answer (Create's delivery budget plus Cognito's own time) and
 * lapses by itself if its holder dies.
 */
export const ANSWER_LEASE_MS = 10_000;
const LEASE_POLL_MS = 25;

type AnswerLease = { id: string; until: number };
/** The pending sign-in with the lease of the answer in flight (kept in the same record). */
type LeasedPendingSignIn = PendingSignIn & { answerLease?: AnswerLease };

class RoundBusy extends Error {}

function withoutLease(record: PendingSignIn, leaseId: string): PendingSignIn {
  const { answerLease, ...rest } = record as LeasedPendingSignIn;
  // Someone else's lease (ours lapsed and was taken over) stays where it is.
  return answerLease !== undefined && answerLease.id !== leaseId ? record : rest;
}

function deliveryFrom({ destination }: OtpRound): Delivery {
  return { medium: destination.includes("@") ? "EMAIL" : "SMS", destination };
}

export function createSignInService(deps: SignInDeps): SignInService {
  const { config, cognito, verifier, sessions, logger } = deps;
  const signInMethodsFor = deps.signInMethodsFor ?? (async () => ["otp"] satisfies SignInMethod[]);
  const completionRedirect = deps.completionRedirect ?? (async () => "/account");
  const maxAttempts = config.signIn.maxCodeAttempts;
  const rounds = createCustomAuthRounds({ cognito, logger });
  const pendingSignIns = createPendingSignIns({ sessions, config });

  /**
   * Takes the round's lease (see ANSWER_LEASE_MS): `check` may refuse (throw) or change the
   * record, once the round is free. Resolves to the record as leased, or undefined when no
   * sign-in is pending.
   */
  async function leaseRound(req: Request, leaseId: string, check: (current: PendingSignIn) => PendingSignIn): Promise<PendingSignIn | undefined> {
    // The record this request has read already is the first guess (a version check guards it);
    // after a busy round the record is read again.
    let known = pendingReadBy(req);
    for (;;) {
      try {
        const leased = sessions.updatePending(
          req,
          (current) => {
            const lease = (current as LeasedPendingSignIn).answerLease;
            if (lease !== undefined && lease.id !== leaseId && lease.until > Date.now()) throw new RoundBusy();
            return { ...check(current), answerLease: { id: leaseId, until: Date.now() + ANSWER_LEASE_MS } } as PendingSignIn;
          },
          known,
        );
        known = undefined;
        return await leased;
      } catch (error) {
        if (!(error instanceof RoundBusy)) throw error;
        await sleep(LEASE_POLL_MS);
      }
    }
  }

  /** Ends a pending sign-in that began before the account's last password reset. */
  async function refuseIfReset(req: Request, pending: PendingSignIn): Promise<void> {
    if (deps.passwordResets === undefined) return;
    // What later steps of this request asked for (the sign-in history's records) comes in the same round-trip.
    const others = takeWantedWithAnswer(req);
    const read = await deps.passwordResets.lastForEmailWith(pending.email, others);
    rememberReadWithAnswer(req, others, read.others);
    const resetAt = read.at;
    // Cognito accepted the old password no earlier than the moment the check began, and a reset is
    // recorded only once Cognito has the new one: a reset recorded at or after that moment came
    // later. Records without the moment (written before it existed) keep the whole-second rule.
    const cutoff = pending.passwordCheckStartedAtMs ?? (pending.startedAt + 1) * 1000;
    if (resetAt === undefined || resetAt < cutoff) return;
    await sessions.clearPending(req);
    logger.info("a pending sign-in begun before a password reset was ended");
    throw sessionExpired();
  }

  /** Gives the lease back when an answer ended without storing a next round. */
  async function releaseRound(req: Request, leaseId: string): Promise<void> {
    await sessions.updatePending(req, (current) => withoutLease(current, leaseId)).catch(() => undefined);
  }

  async function revokeQuietly(refreshToken: string | undefined, reason: string): Promise<void> {
    if (refreshToken === undefined) return;
    try {
      await cognito.revokeToken(refreshToken);
    } catch (error) {
      logger.warn({ reason, errorCode: error instanceof ApiError ? error.code : "unknown" }, "could not revoke a Cognito refresh token");
    }
  }

  /** `pending`: the pending sign-in this completes, when there is one (it knows whether a signed-in session waits under its id). */
  async function complete(req: Request, user: SignInUser, tokens: CognitoTokens, amr: string[], pending?: PendingSignIn): Promise<SignInDoneResponse> {
    if (tokens.refreshToken === undefined) throw new ApiError(502, "service_unavailable", "Cognito answered without a refresh token.", { expose: false });
    const claims = await verifier.verifyIdToken(tokens.idToken);
    const now = nowSeconds();
    const session: AuthenticatedSession = {
      sub: String(claims.sub),
      email: typeof claims.email === "string" ? claims.email : user.email,
      username: typeof claims["cognito:username"] === "string" ? claims["cognito:username"] : user.username,
      amr,
      authTime: typeof claims.auth_time === "number" ? claims.auth_time : now,
      // Every sign-in proves a factor in this very request (the password, a passkey, the sign-up
      // code): for PASSKEY_STEP_UP_SECONDS this session may add a passkey without a step-up.
      factorProvedAt: now,
      tokens: {
        idToken: tokens.idToken,
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        accessTokenExpiresAt: now + tokens.expiresIn,
      },
      createdAt: now,
      expiresAt: now + config.session.ttlSeconds,
    };
    const replaced = await sessions.establish(req, session, { signedInUnderId: pending?.signedInUnderId });
    rememberSignedIn(req, session);
    // This browser was signed in before (maybe as someone else): end that Cognito session too.
    await revokeQuietly(replaced?.tokens.refreshToken, "replaced session");
    logger.info({ sub: session.sub }, "sign-in completed");
    return { next: "done", redirectTo: await completionRedirect(req, session) };
  }

  return {
    complete,

    async completeAfterSignUp(req, { email, password }) {
      const provide = await rounds.startWithPassword(email, password);
      const round = await rounds.choose(ChallengeStep.signUp, provide);
      const tokens = await rounds.answerSignUp(round, config.passkeyProofSecret);
      return complete(req, { username: provide.username, email }, tokens, passwordAndOtpAmr);
    },

    async start(req, { email, password }) {
      // Cognito checks the password itself, inside the same CUSTOM_AUTH attempt as the second factor.
      const passwordCheckStartedAtMs = Date.now();
      const provide = await rounds.startWithPassword(email, password);
      const now = nowSeconds();
      const methods = await signInMethodsFor({ username: provide.username, email });
      const base = { email, username: provide.username, methods, failedCodes: 0, resends: 0, passwordVerifiedAt: now, startedAt: now, passwordCheckStartedAtMs };
      if (await deps.trustedDevice?.(req, { username: provide.username, email })) {
        // The device vouches for the second step: the BFF answers the round as for a passkey it verified.
        const round = await rounds.choose(ChallengeStep.passkey, provide);
        return complete(req, { username: provide.username, email }, await rounds.answerPasskey(round, config.passkeyProofSecret), trustedDeviceAmr);
      }

      if (methods.length !== 1 || methods[0] !== "otp") {
        await sessions.savePending(req, { ...base, cognitoSession: provide.session, step: "choose" });
        return { next: "choose", methods };
      }
      const otp = await rounds.choose(ChallengeStep.otp, provide);
      const delivery = deliveryFrom(otp);
      const pending = { ...base, cognitoSession: otp.session, step: "otp" as const, delivery, codeSentAt: now };
      await sessions.savePending(req, pending);
      return { next: "otp", delivery, ...resendTiming(pending, config.signIn, now) };
    },

    async sendCode(req) {
      const now = nowSeconds();
      const leaseId = randomUUID();
      let waitingRound = "";
      let resend = false;
      // The code is reserved before it is sent, by compare-and-set on the pending sign-in: the
      // resend cap and the cool-down between codes hold however many requests race (a check
      // before the send would let parallel resends through). A send that then fails still
      // counts: the mail may have gone out.
      const reserved = await leaseRound(req, leaseId, (current) => {
        const isResend = current.step !== "choose";
        if (isResend && current.resends >= config.signIn.maxCodeResends) throw tooManyResends();
        const { resendAvailableInSeconds } = resendTiming(current, config.signIn, now);
        if (resendAvailableInSeconds > 0) throw resendTooSoon(resendAvailableInSeconds);
        // The first code answers the waiting PROVIDE round; a resend answers the waiting OTP round
        // (a new CUSTOM_AUTH would need the password again).
        waitingRound = current.cognitoSession;
        resend = isResend;
        return { ...current, codeSentAt: now, resends: isResend ? current.resends + 1 : current.resends };
      });
      if (reserved === undefined) throw await pendingSignIns.missing(req);
      await refuseIfReset(req, reserved);
      const waiting = { username: reserved.username, session: waitingRound };
      let round;
      try {
        round = resend ? await rounds.resendCode(waiting) : await rounds.choose(ChallengeStep.otp, waiting);
      } catch (error) {
        await releaseRound(req, leaseId);
        throw error;
      }
      const delivery = deliveryFrom(round);
      // Merged into the record as it is now: a wrong code counted meanwhile stays counted
      // (OWASP Authentication Cheat Sheet, limit attempts; resends included).
      const saved = await sessions.updatePending(req, (current) => ({ ...withoutLease(current, leaseId), cognitoSession: round.session, step: "otp", delivery }));
      // The attempt ended meanwhile (too many wrong codes, expiry): it stays ended.
      if (saved === undefined) throw sessionExpired();
      return { next: "otp", delivery, ...resendTiming(saved, config.signIn, now) };
    },

    async submitCode(req, code) {
      const leaseId = randomUUID();
      // Waits while a resend of this sign-in is answering the round, then answers the newer one.
      const pending = await leaseRound(req, leaseId, (current) => {
        if (current.step !== "otp") throw new ApiError(400, "bad_request", "Ask for a code first.");
        return current;
      });
      if (pending === undefined) throw await pendingSignIns.missing(req);
      await refuseIfReset(req, pending);
      const answered = pending.cognitoSession;

      let outcome;
      try {
        outcome = await rounds.answerCode({ username: pending.username, session: answered }, code);
      } catch (error) {
        if (error instanceof ApiError && (error.code === "session_expired" || error.code === "challenge_failed")) {
          await sessions.clearPending(req, answered);
        } else {
          await releaseRound(req, leaseId);
        }
        throw error;
      }
      if (outcome.type === "tokens") return complete(req, pending, outcome.tokens, passwordAndOtpAmr, pending);

      // A wrong (or expired) code: Cognito issued a new round with a new code-less Session.
      // Counted with a compare-and-set so that a concurrent resend cannot write back a stale
      // count: the attempt allows maxAttempts wrong codes in all (OWASP Authentication Cheat
      // Sheet, "limit the number of attempts"; NIST SP 800-63B §5.2.2).
      const nextRound = outcome.session;
      const merged = await sessions.updatePending(req, (current) => {
        // A resend that landed meanwhile sent a newer code: its round stays the one to answer.
        const cognitoSession = current.cognitoSession === answered ? nextRound : current.cognitoSession;
        const failedCodes = current.failedCodes + 1;
        // The same wrong code sent again on that round gets this answer without a guess spent.
        const kept = keepWrongCode(cognitoSession, code, Math.min(maxAttempts - failedCodes, outcome.attemptsLeft ?? Infinity));
        return { ...withoutLease(current, leaseId), failedCodes, cognitoSession, ...kept };
      });
      if (merged === undefined) throw sessionExpired();
      if (merged.failedCodes >= maxAttempts) {
        await sessions.clearPending(req);
        throw new ApiError(401, "challenge_failed", "Too many wrong codes. Start signing in again.");
      }
      const attemptsLeft = Math.min(maxAttempts - merged.failedCodes, outcome.attemptsLeft ?? Infinity);
      throw codeMismatch(attemptsLeft);
    },
  };
}
