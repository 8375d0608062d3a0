import { ApiError } from "../errors";

/**
 * Every failed passkey check answers 400 `passkey_rejected` with a sentence a person can act on;
 * `reason` (never a secret, never the credential) goes to the logs only.
 */
export class PasskeyRejectedError extends ApiError {
  constructor(
    readonly reason: string,
    message = "We couldn't verify your passkey. Try again, or use another way to confirm it's you.",
    /** Sent as `error.reason` where the browser should act on it (see unknownCredential). */
    publicReason?: "unknown_credential",
  ) {
    super(400, "passkey_rejected", message, publicReason === undefined ? {} : { extra: { reason: publicReason } });
    this.name = "PasskeyRejectedError";
  }
}

/**
 * The account does not know this credential (never registered, or deleted): the answer says so
 * in `error.reason`, so the SPA can tell the browser's passkey provider with the Signal API
 * (signalUnknownCredential, WebAuthn L3 §5.1.10) and it stops offering a dead passkey. That the
 * credential id is unknown tells the caller nothing about any account.
 */
export function unknownCredential(reason: string): PasskeyRejectedError {
  return new PasskeyRejectedError(reason, passkeyMessages.unknownCredential, "unknown_credential");
}

export const passkeyMessages = {
  expired: "This passkey request has expired or was already used. Try again.",
  unknownCredential: "We don't recognise this passkey. It may have been removed from your account. Use another way to sign in.",
  notYours: "This passkey belongs to a different account. Use a passkey for this account, or the code we can email you.",
  alreadyRegistered: "This passkey is already registered.",
  suspended: "This passkey was paused when your password was reset. Sign in with your password and code, then confirm the passkey on your account page.",
  malformed: "Your browser sent a passkey response we couldn't read. Try again.",
} as const;
