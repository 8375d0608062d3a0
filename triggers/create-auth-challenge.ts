import { createHmac, hkdfSync, randomBytes, randomInt } from "node:crypto";
import type { CreateAuthChallengeTriggerEvent, CreateAuthChallengeTriggerHandler } from "aws-lambda";
import {
  ChallengeStep,
  ClientMetadataKey,
  asChallengeMethod,
  type ChallengeMethod,
  type OtpRoundParameters,
  type PasskeyRoundParameters,
  type ProvideRoundParameters,
  type SignUpRoundParameters,
} from "../common/custom-auth-protocol";
import { loadTriggersConfig, type TriggersConfig } from "./config";
import { createAwsDelivery } from "./delivery/aws-delivery";
import type { DeliveryPort, OutgoingMessage } from "./delivery/delivery-port";
import {
  countTries,
  customRounds,
  otpCodeMac,
  otpMacKey,
  otpRoundMetadata,
  parseOtpRoundMetadata,
  parseProvideRoundNonce,
  provideRoundMetadata,
  roundStep,
  type OtpRoundSeal,
} from "./round-metadata";
import { signInCodeMessage, languageOf } from "./user-messages";

export type CreateAuthChallengeDeps = {
  config: TriggersConfig;
  delivery: DeliveryPort;
  now?: () => number;
  /**
   * How long a send may take before the round is answered without waiting for it (default 3 s).
   * Cognito gives the trigger 5 seconds and invokes it again when it has not answered
   * (docs/cognito-behaviour.md, "Custom authentication (CUSTOM_AUTH)").
   */
  deliveryBudgetMs?: number;
  /** Told when a send outlives the budget (never the code or the address). */
  onSlowDelivery?: () => void;
};

export const DELIVERY_BUDGET_MS = 3000;

/** The English subject of the sign-in code mail (triggers/user-messages.ts words both languages). */
export const OTP_SUBJECT = "Your Tobira sign-in code";

/** Masks like Cognito's CodeDeliveryDetails.Destination: "a***@e***" (nothing of the top-level domain). */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  return `${email.charAt(0)}***@${email.charAt(at + 1)}***`;
}

/** Masks like Cognito's CodeDeliveryDetails.Destination: "+*******1234" (fixed width: the length is not revealed). */
export function maskPhone(phone: string): string {
  return `+*******${phone.replace(/\D/g, "").slice(-4)}`;
}

/**
 * Where the code goes: a verified address only (`email_verified` / `phone_number_verified`, which
 * Cognito sets when the owner proves the address). An address that was changed but not yet
 * proven could be anyone's, and a code sent there would turn the password alone into a sign-in
 * (docs/cognito-behaviour.md, "Changing the email"). With none, no code is sent at all.
 */
export function chooseDestination(attributes: Record<string, string>): Pick<OutgoingMessage, "channel" | "to"> {
  if (attributes.email && attributes.email_verified === "true") return { channel: "EMAIL", to: attributes.email };
  if (attributes.phone_number && attributes.phone_number_verified === "true") return { channel: "SMS", to: attributes.phone_number };
  throw new Error("The user has no verified email address or phone number to send a sign-in code to");
}

/**
 * Issues each round's challenge (Cognito CreateAuthChallenge): first the PROVIDE round that asks
 * for the ChallengeMethod, then an OTP round (a code is sent) or a PASSKEY round (a nonce the
 * BFF's proof must bind to). A retry after a wrong answer keeps the method with a fresh secret.
 */
export function createCreateAuthChallengeHandler(deps: CreateAuthChallengeDeps) {
  const { config, delivery } = deps;
  const now = deps.now ?? Date.now;
  const deliveryBudgetMs = deps.deliveryBudgetMs ?? DELIVERY_BUDGET_MS;

  const macKey = otpMacKey(config.passkeyProofSecret);
  const codeKey = Buffer.from(hkdfSync("sha256", config.passkeyProofSecret, "tobira", "tobira otp round code v1", 32));

  /**
   * The round's code. Cognito invokes Create again when an invocation is slow, with the same
   * session, while the first one keeps running: the code is therefore a function of the round —
   * HMAC(key, user, attempt nonce, round number), HOTP-style (RFC 4226 §5.3, six digits) — so
   * every invocation of one round mails the same code, and a new round or a new sign-in another.
   * Sessions without an attempt nonce get a code from the CSPRNG (NIST SP 800-63B §5.1.3.1).
   */
  function roundCode(event: CreateAuthChallengeTriggerEvent): string {
    const rounds = customRounds(event.request.session);
    // Stryker disable next-line OptionalChaining: only OTP rounds draw a code, and they come after the PROVIDE round, so rounds[0] exists
    const attempt = parseProvideRoundNonce(rounds[0]?.challengeMetadata);
    if (attempt === undefined) return String(randomInt(0, 1_000_000)).padStart(6, "0");
    const mac = createHmac("sha256", codeKey).update(`${event.userName}.${attempt}.${rounds.length}`).digest();
    return String(mac.readBigUInt64BE(0) % 1_000_000n).padStart(6, "0");
  }

  /**
   * Sends, but answers the round once the budget is spent even if the provider has not: a slow
   * provider must not make Cognito give up on (or re-invoke) the round. A send that fails in
   * time still fails the round.
   */
  async function sendWithinBudget(message: OutgoingMessage): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const sending = delivery.send(message);
    const late = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), deliveryBudgetMs);
    });
    try {
      if ((await Promise.race([sending, late])) === "late") {
        sending.catch(() => undefined);
        deps.onSlowDelivery?.();
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /** A new code: sent to the user, then kept only as a MAC bound to the user and its expiry. */
  async function sendNewCode(event: CreateAuthChallengeTriggerEvent, destination: Pick<OutgoingMessage, "channel" | "to">): Promise<OtpRoundSeal> {
    const code = roundCode(event);
    const expiresAt = now() + config.otpTtlSeconds * 1000;
    // In the user's language (their `locale` attribute); a mail has a text and an HTML part, an SMS text only.
    const message = signInCodeMessage(languageOf(event.request.userAttributes.locale), code, config.otpTtlSeconds);
    await sendWithinBudget({
      ...destination,
      subject: message.subject,
      text: message.text,
      ...(destination.channel === "EMAIL" ? { html: message.html } : {}),
      code,
    });
    return { expiresAt, codeMac: otpCodeMac(macKey, event.userName, expiresAt, code) };
  }

  /**
   * An OTP round. After a wrong answer the same code stays valid until it expires (a typo must not
   * cost a new email); once it has expired, or when the answer asked for a resend, a fresh one is sent.
   */
  async function issueOtp(event: CreateAuthChallengeTriggerEvent, previous: OtpRoundSeal | undefined): Promise<void> {
    const destination = chooseDestination(event.request.userAttributes);
    const resend = event.request.clientMetadata?.[ClientMetadataKey.codeResend] === "true";
    const seal = previous !== undefined && !resend && now() < previous.expiresAt ? previous : await sendNewCode(event, destination);
    const attemptsLeft = config.otpMaxAttempts - countTries(customRounds(event.request.session), resend).wrongAnswers;
    const masked = destination.channel === "EMAIL" ? maskEmail(destination.to) : maskPhone(destination.to);
    event.response.publicChallengeParameters = {
      step: ChallengeStep.otp,
      destination: masked,
      attemptsLeft: String(attemptsLeft),
    } satisfies OtpRoundParameters;
    event.response.privateChallengeParameters = { step: ChallengeStep.otp, codeMac: seal.codeMac, expiresAt: String(seal.expiresAt) };
    event.response.challengeMetadata = otpRoundMetadata(seal, resend);
  }

  /** The round right after sign-up: a fresh nonce the BFF's sign-up proof must bind to. */
  function issueSignUp(event: CreateAuthChallengeTriggerEvent): void {
    const nonce = randomBytes(32).toString("base64url");
    event.response.publicChallengeParameters = { step: ChallengeStep.signUp, nonce } satisfies SignUpRoundParameters;
    event.response.privateChallengeParameters = { step: ChallengeStep.signUp, nonce };
    event.response.challengeMetadata = ChallengeStep.signUp;
  }

  function issuePasskey(event: CreateAuthChallengeTriggerEvent): void {
    // A fresh 256-bit nonce per round, so a proof for one round is useless in any other.
    const nonce = randomBytes(32).toString("base64url");
    event.response.publicChallengeParameters = { step: ChallengeStep.passkey, nonce } satisfies PasskeyRoundParameters;
    event.response.privateChallengeParameters = { step: ChallengeStep.passkey, nonce };
    event.response.challengeMetadata = ChallengeStep.passkey;
  }

  return async (event: CreateAuthChallengeTriggerEvent): Promise<CreateAuthChallengeTriggerEvent> => {
    if (event.request.challengeName !== "CUSTOM_CHALLENGE") {
      throw new Error(`Unsupported challenge ${event.request.challengeName}; only CUSTOM_CHALLENGE is issued`);
    }
    // The password step (SRP_A, PASSWORD_VERIFIER) is Cognito's own: only custom rounds count here.
    const session = customRounds(event.request.session);
    if (session.length === 0) {
      event.response.publicChallengeParameters = { step: ChallengeStep.provide } satisfies ProvideRoundParameters;
      event.response.privateChallengeParameters = { step: ChallengeStep.provide };
      // 128 random bits naming this sign-in attempt; they stay in Cognito's session, never with the client.
      event.response.challengeMetadata = provideRoundMetadata(randomBytes(16).toString("base64url"));
      return event;
    }

    const lastMetadata = session[session.length - 1]!.challengeMetadata;
    const previous = asChallengeMethod(roundStep(lastMetadata));
    const method: ChallengeMethod | undefined = previous ?? asChallengeMethod(event.request.clientMetadata?.[ClientMetadataKey.challengeMethod]);
    if (method === undefined) {
      throw new Error(`ClientMetadata.${ClientMetadataKey.challengeMethod} must be "${ChallengeStep.otp}", "${ChallengeStep.passkey}" or "${ChallengeStep.signUp}"`);
    }
    if (method === ChallengeStep.passkey) issuePasskey(event);
    else if (method === ChallengeStep.signUp) issueSignUp(event);
    else await issueOtp(event, parseOtpRoundMetadata(lastMetadata));
    return event;
  };
}

let coldStartHandler: ReturnType<typeof createCreateAuthChallengeHandler> | undefined;

/** Lambda entry point; configuration and AWS clients are built on the first invocation. */
export const handler: CreateAuthChallengeTriggerHandler = async (event) => {
  if (coldStartHandler === undefined) {
    const config = loadTriggersConfig();
    coldStartHandler = createCreateAuthChallengeHandler({
      config,
      delivery: createAwsDelivery(config),
      onSlowDelivery: () => console.warn("create-auth-challenge: the code's delivery outlived its budget; the round was answered without waiting"),
    });
  }
  return coldStartHandler(event);
};
