import { ApiError } from "../errors";

/**
 * Every failed passkey check answers 400 `passkey_rejected` with a sentence a person can act on;
 * `reason` (never a secret, never the credential) goes to the logs only.
 */
export class PasskeyRejectedError extends ApiError {
  constructor(
    readonly reason: string,
    message = "We couldn't verify your passkey. Try again, or use another way to confirm it's you.",
  ) {
    super(400, "passkey_rejected", message);
    this.name = "PasskeyRejectedError";
  }
}

export const passkeyMessages = {
  expired: "This passkey request has expired or was already used. Try again.",
  unknownCredential: "We don't recognise this passkey. It may have been removed from your account. Use another way to sign in.",
  notYours: "This passkey belongs to a different account. Use a passkey for this account, or the code we can email you.",
  alreadyRegistered: "This passkey is already registered.",
  malformed: "Your browser sent a passkey response we couldn't read. Try again.",
} as const;
