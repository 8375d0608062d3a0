import type { Request } from "express";
import type { ConfirmSignUpResponse } from "../../common/api-contract";
import type { CognitoGateway } from "../cognito/cognito-gateway";
import { ApiError } from "../errors";
import type { Logger } from "../logger";
import { passwordAndOtpAmr, type SignInService } from "../signin/sign-in-service";

/**
 * Signing in right after the email is confirmed, so a new user can add a passkey at once
 * (docs/architecture.md, "Signing in at sign-up"). The confirmation request carries the password the person
 * has just chosen, which the SPA held in memory only (never in storage, history or a server-side
 * record): the code that was just verified proves the mailbox and the password is checked by
 * Cognito, the same two factors as a password and an emailed code (RFC 8176 `pwd otp mfa`), so
 * the sign-in is recent enough to register a passkey. The password check's tokens become the
 * session. When anything fails here the account is still confirmed: the answer falls back to
 * `{next:"signin"}` and the person signs in as usual.
 */
export type SignInAfterConfirm = (req: Request, input: { email: string; password: string }) => Promise<ConfirmSignUpResponse>;

export function createSignInAfterConfirm(deps: { cognito: CognitoGateway; signIn: Pick<SignInService, "complete">; logger: Logger }): SignInAfterConfirm {
  const { cognito, signIn, logger } = deps;
  return async (req, { email, password }) => {
    try {
      const tokens = await cognito.passwordAuth({ email, password });
      return await signIn.complete(req, { username: email, email }, tokens, passwordAndOtpAmr);
    } catch (error) {
      logger.info({ errorCode: error instanceof ApiError ? error.code : "unknown" }, "sign-in after confirmation failed; the person signs in as usual");
      return { next: "signin" };
    }
  };
}
