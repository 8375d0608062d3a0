import type { Request } from "express";
import type { ConfirmSignUpResponse } from "../../common/api-contract";
import type { CognitoGateway } from "../cognito/cognito-gateway";
import { ApiError } from "../errors";
import type { Logger } from "../logger";
import type { SignInService } from "../signin/sign-in-service";

/**
 * Signing in right after the email is confirmed, so a new user can add a passkey at once
 * (docs/architecture.md, "Signing in at sign-up"). The confirmation request carries the password the person
 * has just chosen, which the SPA held in memory only (never in storage, history or a server-side
 * record). The sign-in is the same CUSTOM_AUTH as any other, so Cognito itself requires both
 * factors: the password by SRP (PASSWORD_VERIFIER), then a SIGN_UP_CONFIRMED round the BFF
 * answers with the sign-up proof — its keyed word, bound to the user and the round's nonce, that
 * ConfirmSignUp has just accepted the emailed code in this very request (RFC 8176 `pwd otp mfa`).
 * The define trigger offers that round only after a correct password, so the proof alone yields
 * nothing. When anything fails here the account is still confirmed: the answer falls back to
 * `{next:"signin"}` and the person signs in as usual.
 */
export type SignInAfterConfirm = (req: Request, input: { email: string; password: string }) => Promise<ConfirmSignUpResponse>;

export function createSignInAfterConfirm(deps: {
  /** Unused since the sign-in runs inside the sign-in service; kept so the wiring stays one line. */
  cognito?: CognitoGateway;
  signIn: Pick<SignInService, "completeAfterSignUp">;
  logger: Logger;
}): SignInAfterConfirm {
  const { signIn, logger } = deps;
  return async (req, input) => {
    try {
      return await signIn.completeAfterSignUp(req, input);
    } catch (error) {
      logger.info({ errorCode: error instanceof ApiError ? error.code : "unknown" }, "sign-in after confirmation failed; the person signs in as usual");
      return { next: "signin" };
    }
  };
}
