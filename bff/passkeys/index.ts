import type { RequestHandler, Router } from "express";
import type { SignInMethod } from "../../common/api-contract";
import type { AccountService } from "../account/account-service";
import type { CognitoGateway } from "../cognito/cognito-gateway";
import type { BffConfig } from "../config";
import type { Logger } from "../logger";
import { createPasswordResets } from "../password/password-resets";
import type { SessionManager } from "../session/session-manager";
import { createPendingSignIns } from "../signin/pending-sign-in";
import type { SignInService, SignInUser } from "../signin/sign-in-service";
import type { Store } from "../store/store";
import { createAccountThrottle } from "../throttle/account-throttle";
import { createKnownDevices } from "../throttle/known-device";
import { createChallengeStore } from "./challenge-store";
import { createPasskeyManagement } from "./passkey-management";
import { createPasskeyRouter, createPasskeySignInRouter } from "./passkey-routes";
import { createPasskeySignIn } from "./passkey-sign-in";
import { createPasskeyStepUp } from "./passkey-step-up";
import { createPasskeyRepository, isSuspended } from "./passkey-store";
import { relyingPartyFor } from "./relying-party";

/** The second factors a user may choose: the passkey first when they have one that is not paused by a reset, the code always. */
export function createSignInMethods(deps: { store: Store }): (user: SignInUser) => Promise<SignInMethod[]> {
  const passkeys = createPasskeyRepository(deps.store);
  const resets = createPasswordResets(deps.store);
  return async (user) => {
    const owned = await passkeys.listForUser(user.username);
    const lastReset = owned[0] === undefined ? undefined : await resets.lastForSub(owned[0].sub);
    return owned.some((passkey) => !isSuspended(passkey, lastReset)) ? ["passkey", "otp"] : ["otp"];
  };
}

/** The passkey routers of the BFF, wired to its store, sessions, Cognito gateway and sign-in service. */
export function createPasskeyRouters(deps: {
  config: BffConfig;
  store: Store;
  cognito: CognitoGateway;
  sessions: SessionManager;
  signIn: SignInService;
  account: AccountService;
  logger: Logger;
  limits: RequestHandler[];
  /** For the request options, which the sign-in page fetches on every load (autofill). */
  optionsLimits: RequestHandler[];
}): Router[] {
  const { config, store, cognito, sessions, signIn, account, logger, limits, optionsLimits } = deps;
  const rp = relyingPartyFor(config);
  const passkeys = createPasskeyRepository(store);
  const passwordResets = createPasswordResets(store);
  const challenges = createChallengeStore({ store, ttlSeconds: rp.challengeTtlSeconds });
  const passkeySignIn = createPasskeySignIn({
    rp,
    passkeyProofSecret: config.passkeyProofSecret,
    cognito,
    sessions,
    signIn,
    pendingSignIns: createPendingSignIns({ sessions, config }),
    passkeys,
    challenges,
    logger,
    passwordResets,
  });
  const management = createPasskeyManagement({ rp, account, passkeys, challenges, logger, passwordResets });
  const stepUp = createPasskeyStepUp({
    rp,
    account,
    sessions,
    cognito,
    passkeys,
    challenges,
    // The same per-account budget a sign-in's wrong passwords spend (bff/throttle/account-throttle.ts).
    throttle: createAccountThrottle({ store, limits: config.accountThrottle }),
    knownDevices: createKnownDevices(config),
    logger,
    passwordResets,
  });
  return [createPasskeySignInRouter({ passkeySignIn, limits, optionsLimits }), createPasskeyRouter({ management, stepUp, limits })];
}
