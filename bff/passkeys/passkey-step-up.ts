import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import type { Request } from "express";
import type { StepUpRequest, StepUpResponse } from "../../common/api-contract";
import type { AccountService } from "../account/account-service";
import type { CognitoGateway } from "../cognito/cognito-gateway";
import { ApiError } from "../errors";
import type { Logger } from "../logger";
import type { PasswordResets } from "../password/password-resets";
import { nowSeconds, type SessionManager } from "../session/session-manager";
import type { AuthenticatedSession } from "../session/session-records";
import { createCustomAuthRounds } from "../signin/custom-auth-rounds";
import type { AccountThrottle } from "../throttle/account-throttle";
import { clientNetworkOf } from "../throttle/client-network";
import type { KnownDevices } from "../throttle/known-device";
import type { ChallengeStore } from "./challenge-store";
import { parseAuthenticationResponse } from "./credential-schemas";
import { generatePasskeyAuthenticationOptions } from "./generate-authentication-options";
import { usablePasskeyFor, verifyAndRecordUse } from "./passkey-assertion";
import { PasskeyRejectedError, passkeyMessages } from "./passkey-errors";
import { isSuspended, type PasskeyRepository } from "./passkey-store";
import type { RelyingParty } from "./relying-party";

/**
 * The step-up before adding a passkey (docs/architecture.md, "Adding a passkey: the step-up";
 * NIST SP 800-63B §6.1.2.1: binding an authenticator needs authentication at that level). The
 * signed-in user proves a factor again, in this session:
 * - the password, checked by Cognito exactly as at sign-in (SRP inside CUSTOM_AUTH: a successful
 *   PASSWORD_VERIFIER round proves it). The attempt is then abandoned at its PROVIDE round, which
 *   issues no tokens and lapses by itself. A wrong password counts in the per-account throttle as
 *   a failed sign-in does (bff/throttle/), so the step-up is no way around it;
 * - or an existing, active passkey of this user: an assertion over a single-use challenge issued
 *   for this purpose (passkey-assertion.ts, the checks a passkey sign-in makes).
 * Success stamps `factorProvedAt` on the session and moves it to a new id, so a copy of the cookie
 * taken before the step-up does not get what it proved (OWASP Session Management Cheat Sheet,
 * "Renew the Session ID After Any Privilege Level Change").
 */
export interface PasskeyStepUp {
  /** Request options listing the user's active passkeys; 400 bad_request when there are none. */
  options(req: Request): Promise<PublicKeyCredentialRequestOptionsJSON>;
  prove(req: Request, input: StepUpRequest): Promise<StepUpResponse>;
}

const wrongPassword = () => new ApiError(400, "invalid_credentials", "That password is not right.", { extra: { fields: { password: "That password is not right." } } });

export function createPasskeyStepUp(deps: {
  rp: RelyingParty;
  account: Pick<AccountService, "requireSession">;
  sessions: Pick<SessionManager, "renewAuthenticated">;
  cognito: CognitoGateway;
  passkeys: PasskeyRepository;
  challenges: ChallengeStore;
  throttle: Pick<AccountThrottle, "reserve">;
  knownDevices: Pick<KnownDevices, "deviceFor">;
  logger: Logger;
  passwordResets?: Pick<PasswordResets, "lastForSub">;
}): PasskeyStepUp {
  const { rp, account, sessions, cognito, passkeys, challenges, throttle, knownDevices, logger, passwordResets } = deps;
  const rounds = createCustomAuthRounds({ cognito, logger });

  async function activePasskeysOf(session: AuthenticatedSession) {
    const owned = await passkeys.listForUser(session.username);
    const lastReset = owned.length === 0 ? undefined : await passwordResets?.lastForSub(session.sub);
    return owned.filter((passkey) => !isSuspended(passkey, lastReset));
  }

  async function provePassword(req: Request, session: AuthenticatedSession, password: string): Promise<void> {
    const subject = { email: session.email, network: clientNetworkOf(req.ip), knownDevice: knownDevices.deviceFor(req, session.email) };
    // Reserved before Cognito is asked, as at sign-in: parallel guesses cannot slip past the limit.
    const attempt = await throttle.reserve("password", subject);
    let provide;
    try {
      provide = await rounds.startWithPassword(session.email, password);
    } catch (error) {
      // A wrong password stays counted; anything else (an outage, a reset required) is no guess.
      if (error instanceof ApiError && error.code === "invalid_credentials" && error.status === 401) throw wrongPassword();
      await attempt.refund();
      throw error;
    }
    // The address now names another Cognito user (never expected): no proof for this session.
    if (provide.username !== session.username) throw wrongPassword();
    await attempt.refund();
    // The attempt waits at its PROVIDE round; nothing answers it, so it issues no tokens and lapses.
  }

  async function provePasskey(req: Request, session: AuthenticatedSession, credential: unknown): Promise<void> {
    // Spent first, whatever follows: a challenge answers one ceremony only.
    const issued = await challenges.consume(req, "stepUp");
    const response = parseAuthenticationResponse(credential);
    if (issued === undefined || issued.username !== session.username) {
      throw new PasskeyRejectedError("no live step-up challenge for this session", passkeyMessages.expired);
    }
    const passkey = await usablePasskeyFor({ passkeys, passwordResets }, response);
    if (passkey.username !== session.username) {
      throw new PasskeyRejectedError(
        "step-up with another user's credential",
        "This passkey belongs to a different account. Use a passkey of this account, or your password.",
      );
    }
    await verifyAndRecordUse({ rp, passkeys }, { response, expectedChallenge: issued.challenge, passkey });
  }

  return {
    async options(req) {
      const session = await account.requireSession(req);
      const allow = await activePasskeysOf(session);
      if (allow.length === 0) throw new ApiError(400, "bad_request", "Your account has no passkey that can confirm it's you. Use your password.");
      const options = await generatePasskeyAuthenticationOptions({ rp, allow });
      await challenges.issue(req, { challenge: options.challenge, purpose: "step-up", username: session.username, sub: session.sub });
      return options;
    },

    async prove(req, input) {
      const session = await account.requireSession(req);
      if ("password" in input) await provePassword(req, session, input.password);
      else await provePasskey(req, session, input.credential);
      const now = nowSeconds();
      await sessions.renewAuthenticated(req, { ...session, factorProvedAt: now });
      logger.info({ sub: session.sub, factor: "password" in input ? "password" : "passkey" }, "step-up: factor proved");
      return { factorProvedUntil: now + rp.stepUpWindowSeconds };
    },
  };
}
