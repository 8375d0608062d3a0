import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";
import type { Request } from "express";
import type { Passkey, PasskeySignalsResponse } from "../../common/api-contract";
import type { AccountService } from "../account/account-service";
import { hasRecentFactorProof, requireFactorProof, type BindingAction } from "../account/reauth";
import { ApiError } from "../errors";
import type { Logger } from "../logger";
import type { PasswordResets } from "../password/password-resets";
import type { AuthenticatedSession } from "../session/session-records";
import type { ChallengeStore } from "./challenge-store";
import { generatePasskeyRegistrationOptions, userHandleFor } from "./generate-registration-options";
import { PasskeyRejectedError, passkeyMessages } from "./passkey-errors";
import { defaultPasskeyName } from "./passkey-providers";
import { isSuspended, toPasskeyView, type PasskeyRepository, type StoredPasskey } from "./passkey-store";
import type { RelyingParty } from "./relying-party";
import { verifyPasskeyRegistration } from "./verify-registration";

/** The signed-in user's passkeys: list, add (after a factor proved within minutes), rename, delete. */
export interface PasskeyManagement {
  list(req: Request): Promise<Passkey[]>;
  registrationOptions(req: Request): Promise<PublicKeyCredentialCreationOptionsJSON>;
  register(req: Request, input: { credential: unknown; name?: string | undefined }): Promise<Passkey>;
  rename(req: Request, credentialId: string, name: string): Promise<Passkey>;
  /**
   * Confirms a passkey paused by a password reset, so that it signs in again. Like adding one, it
   * needs a factor proved within PASSKEY_STEP_UP_SECONDS: after a reset, the sign-in with the new
   * password and a code, or a step-up.
   */
  confirm(req: Request, credentialId: string): Promise<Passkey>;
  remove(req: Request, credentialId: string): Promise<void>;
  /** What the browser's Signal API calls need about this account (WebAuthn L3 §5.1.10). */
  signals(req: Request): Promise<PasskeySignalsResponse>;
}

const notFound = () => new ApiError(404, "not_found", "There is no such passkey on your account.");

/**
 * Passkeys one account may hold: enough for every device a person uses, few enough that a
 * stolen session cannot plant an unbounded number of them.
 */
export const MAX_PASSKEYS_PER_USER = 10;
const tooManyPasskeys = () =>
  new ApiError(409, "limit_exceeded", `An account can have at most ${MAX_PASSKEYS_PER_USER} passkeys. Delete one you no longer use to add another.`);

export function createPasskeyManagement(deps: {
  rp: RelyingParty;
  account: AccountService;
  passkeys: PasskeyRepository;
  challenges: ChallengeStore;
  logger: Logger;
  passwordResets?: Pick<PasswordResets, "lastForSub">;
}): PasskeyManagement {
  const { rp, account, passkeys, challenges, logger } = deps;
  const lastResetOf = async (sub: string) => deps.passwordResets?.lastForSub(sub);

  /**
   * Adding a sign-in method binds a new authenticator: the session must have proved a factor
   * itself (its sign-in, or a step-up with the password or a passkey) within
   * PASSKEY_STEP_UP_SECONDS; a merely recent session is not enough (NIST SP 800-63B §6.1.2.1;
   * the rule: bff/account/reauth.ts, the step-up: passkey-step-up.ts).
   */
  async function factorRecentlyProved(req: Request, action: BindingAction = "add_passkey"): Promise<AuthenticatedSession> {
    const session = await account.requireSession(req);
    // Stryker disable next-line ConditionalExpression: requireFactorProof lets the same sessions through; this only skips the passkey lookups
    if (hasRecentFactorProof(session, rp.stepUpWindowSeconds)) return session;
    const [owned, lastReset] = await Promise.all([passkeys.listForUser(session.username), lastResetOf(session.sub)]);
    requireFactorProof(
      session,
      rp.stepUpWindowSeconds,
      owned.some((passkey) => !isSuspended(passkey, lastReset)),
      action,
    );
    return session;
  }

  /** A passkey of the signed-in user; another user's answers exactly like a missing one. */
  async function ownPasskey(session: AuthenticatedSession, credentialId: string): Promise<StoredPasskey> {
    const passkey = await passkeys.find(credentialId);
    if (passkey === undefined || passkey.username !== session.username) throw notFound();
    return passkey;
  }

  return {
    async list(req) {
      const session = await account.requireSession(req);
      const lastReset = await lastResetOf(session.sub);
      return (await passkeys.listForUser(session.username)).map((passkey) => toPasskeyView(passkey, lastReset));
    },

    async registrationOptions(req) {
      const session = await factorRecentlyProved(req);
      const existing = await passkeys.listForUser(session.username);
      if (existing.length >= MAX_PASSKEYS_PER_USER) throw tooManyPasskeys();
      const options = await generatePasskeyRegistrationOptions({ rp, user: session, existing });
      await challenges.issue(req, { challenge: options.challenge, purpose: "registration", username: session.username, sub: session.sub });
      return options;
    },

    async register(req, { credential, name }) {
      const session = await factorRecentlyProved(req);
      const issued = await challenges.consume(req, "registration");
      if (issued === undefined || issued.username !== session.username) {
        throw new PasskeyRejectedError("no live registration challenge for this session", passkeyMessages.expired);
      }
      const verified = await verifyPasskeyRegistration({ rp, credential, expectedChallenge: issued.challenge });
      if ((await passkeys.find(verified.credentialId)) !== undefined) {
        throw new PasskeyRejectedError("credential id already registered", passkeyMessages.alreadyRegistered);
      }
      const existing = await passkeys.listForUser(session.username);
      if (existing.length >= MAX_PASSKEYS_PER_USER) throw tooManyPasskeys();
      const facts = { ...verified, userAgent: req.get("user-agent") };
      const passkey: StoredPasskey = {
        ...verified,
        name:
          name ??
          defaultPasskeyName(
            facts,
            existing.map((other) => other.name),
          ),
        createdAt: new Date().toISOString(),
        lastUsedAt: null,
        sub: session.sub,
        username: session.username,
        userHandle: Buffer.from(userHandleFor(session.sub)).toString("base64url"),
      };
      // Registered by a concurrent request meanwhile (the lookup above is only the common case).
      if (!(await passkeys.save(passkey))) throw new PasskeyRejectedError("credential id already registered", passkeyMessages.alreadyRegistered);
      logger.info({ sub: session.sub, deviceType: passkey.deviceType }, "passkey registered");
      return toPasskeyView(passkey);
    },

    async rename(req, credentialId, name) {
      const session = await account.requireSession(req);
      const passkey = { ...(await ownPasskey(session, credentialId)), name };
      // Deleted since the lookup (a concurrent DELETE): it stays deleted.
      if (!(await passkeys.update(passkey))) throw notFound();
      return toPasskeyView(passkey, await lastResetOf(session.sub));
    },

    async confirm(req, credentialId) {
      // It lets a passkey sign in again: as binding as adding one (after a reset, the sign-in with
      // the new password and a code is that proof for its first minutes).
      const session = await factorRecentlyProved(req, "confirm_passkey");
      const passkey = { ...(await ownPasskey(session, credentialId)), confirmedAt: new Date().toISOString() };
      if (!(await passkeys.update(passkey))) throw notFound();
      logger.info({ sub: session.sub }, "passkey confirmed after a password reset");
      return toPasskeyView(passkey, await lastResetOf(session.sub));
    },

    async remove(req, credentialId) {
      // Removing a sign-in method is as sensitive as adding one: the same step-up (OWASP Authentication
      // Cheat Sheet, "Reauthentication After Risk Events"; NIST SP 800-63B §6.1.2.3).
      const session = await factorRecentlyProved(req, "remove_passkey");
      await ownPasskey(session, credentialId);
      await passkeys.remove(credentialId);
      logger.info({ sub: session.sub }, "passkey deleted");
    },

    async signals(req) {
      const session = await account.requireSession(req);
      const stored = await passkeys.listForUser(session.username);
      return {
        rpId: rp.id,
        userId: Buffer.from(userHandleFor(session.sub)).toString("base64url"),
        allAcceptedCredentialIds: stored.map((passkey) => passkey.credentialId),
        // The same name and display name the creation options give (generate-registration-options.ts).
        name: session.email,
        displayName: session.email,
      };
    },
  };
}
