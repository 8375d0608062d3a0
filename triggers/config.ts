import { z } from "zod";
import { parseEnv, type EnvRecord } from "../common/env";

/**
 * The triggers' runtime configuration, read once per Lambda cold start (the handlers build it
 * lazily) or handed in by the emulator, which runs the same factories in-process.
 */
export type TriggersConfig = {
  /** Shared with the BFF; keys the passkey proof HMAC in common/custom-auth-protocol.ts. */
  passkeyProofSecret: string;
  otpTtlSeconds: number;
  otpMaxAttempts: number;
  /** Sender of sign-in codes by email (SES); required when CODE_DELIVERY is "ses". */
  sesFromAddress?: string;
  region?: string;
};

const positiveInt = (max: number) => z.coerce.number().int().positive().max(max);

/**
 * The Lambda environment. CODE_DELIVERY "ses" sends email through SES and SMS through SNS;
 * "emulator" is for a runtime that injects its own DeliveryPort (the local emulator's outbox),
 * so no sender address is needed.
 */
export const triggersConfigSchema = z
  .object({
    // 32+ characters: an HMAC-SHA256 key should carry at least 256 bits (RFC 2104 §3).
    PASSKEY_PROOF_SECRET: z.string({ error: "is required" }).min(32, "must be at least 32 characters"),
    // Capped: a code that lives long or allows many guesses weakens the 6-digit factor (OWASP MFA cheat sheet).
    OTP_TTL_SECONDS: positiveInt(3600).default(300),
    OTP_MAX_ATTEMPTS: positiveInt(10).default(3),
    CODE_DELIVERY: z.enum(["ses", "emulator"]).default("ses"),
    SES_FROM_ADDRESS: z.email("must be an email address").optional(),
    AWS_REGION: z.string().min(1).optional(),
  })
  .refine((env) => env.CODE_DELIVERY !== "ses" || env.SES_FROM_ADDRESS !== undefined, {
    path: ["SES_FROM_ADDRESS"],
    message: "is required when CODE_DELIVERY is ses",
    // Checked even when other variables are invalid, so one error lists every problem.
    when: (payload) => typeof payload.value === "object" && payload.value !== null,
  })
  .transform((env): TriggersConfig => ({
    passkeyProofSecret: env.PASSKEY_PROOF_SECRET,
    otpTtlSeconds: env.OTP_TTL_SECONDS,
    otpMaxAttempts: env.OTP_MAX_ATTEMPTS,
    ...(env.SES_FROM_ADDRESS === undefined ? {} : { sesFromAddress: env.SES_FROM_ADDRESS }),
    ...(env.AWS_REGION === undefined ? {} : { region: env.AWS_REGION }),
  }));

/** Validates the environment; throws one error listing every problem (never the values). */
export function loadTriggersConfig(env: EnvRecord = process.env): TriggersConfig {
  return parseEnv(triggersConfigSchema, env, "triggers configuration");
}

/** The CustomMessage trigger's configuration (triggers/custom-message.ts). */
export type CustomMessageConfig = {
  /**
   * Who sends the pool's mails. Cognito refuses an emailMessage or emailSubject from the trigger
   * unless the pool sends with its own SES identity (DEVELOPER): the trigger then words SMS only
   * and leaves mails to Cognito's default (docs/cognito-behaviour.md, "CustomMessage trigger").
   */
  emailSendingAccount: "DEVELOPER" | "COGNITO_DEFAULT";
};

export const customMessageConfigSchema = z
  .object({ EMAIL_SENDING_ACCOUNT: z.enum(["DEVELOPER", "COGNITO_DEFAULT"]).default("DEVELOPER") })
  .transform((env): CustomMessageConfig => ({ emailSendingAccount: env.EMAIL_SENDING_ACCOUNT }));

export function loadCustomMessageConfig(env: EnvRecord = process.env): CustomMessageConfig {
  return parseEnv(customMessageConfigSchema, env, "custom message trigger configuration");
}
