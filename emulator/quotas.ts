import { LimitExceededException } from "./errors";

/**
 * Cognito's per-user attempt limits and its default sender's daily mail limit
 * (docs/cognito-behaviour.md, "Quotas"). Counts live in memory: a restart forgets them, which a
 * local stand-in may; the windows are an hour and a day.
 */

/** The operations Cognito limits per user, with their hourly allowance. */
export const userQuotaActions = [
  "ResendConfirmationCode",
  "ConfirmSignUp",
  "ForgotPassword",
  "ConfirmForgotPassword",
  "ChangePassword",
  "GetUserAttributeVerificationCode",
  "VerifyUserAttribute",
] as const;
export type UserQuotaAction = (typeof userQuotaActions)[number];

export interface QuotaSettings {
  /** Per-user attempt limits on (the default) or off. */
  perUser: boolean;
  /** Calls per user per rolling hour, per operation. */
  perUserPerHour: Record<UserQuotaAction, number>;
  /** Mails per rolling 24 hours when Cognito's default sender sends them (emailSendingAccount COGNITO_DEFAULT). */
  defaultSenderEmailsPerDay: number;
}

/**
 * Sending operations allow 5 an hour, checking operations 15 (ResendConfirmationCode,
 * ChangePassword, GetUserAttributeVerificationCode: 5; ConfirmSignUp, VerifyUserAttribute: 15, as
 * reported from the service). ForgotPassword and ConfirmForgotPassword follow the same pattern.
 */
export const defaultQuotaSettings: QuotaSettings = {
  perUser: true,
  perUserPerHour: {
    ResendConfirmationCode: 5,
    ConfirmSignUp: 15,
    ForgotPassword: 5,
    ConfirmForgotPassword: 15,
    ChangePassword: 5,
    GetUserAttributeVerificationCode: 5,
    VerifyUserAttribute: 15,
  },
  defaultSenderEmailsPerDay: 50,
};

export type QuotaOptions = false | { perUser?: boolean; perUserPerHour?: Partial<Record<UserQuotaAction, number>>; defaultSenderEmailsPerDay?: number };

export function quotaSettings(options: QuotaOptions | undefined): QuotaSettings {
  if (options === false) return { ...defaultQuotaSettings, perUser: false, defaultSenderEmailsPerDay: Number.POSITIVE_INFINITY };
  return {
    perUser: options?.perUser ?? defaultQuotaSettings.perUser,
    perUserPerHour: { ...defaultQuotaSettings.perUserPerHour, ...options?.perUserPerHour },
    defaultSenderEmailsPerDay: options?.defaultSenderEmailsPerDay ?? defaultQuotaSettings.defaultSenderEmailsPerDay,
  };
}

export const ATTEMPT_LIMIT_MESSAGE = "Attempt limit exceeded, please try after some time.";
export const DAILY_EMAIL_LIMIT_MESSAGE =
  "Exceeded daily email limit for the operation or the account. If a higher limit is required, please configure your user pool to use your own Amazon SES configuration for sending email.";

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

/** Timestamps in a rolling window; old ones are dropped as new ones are counted. */
class Window {
  private times: number[] = [];

  constructor(private readonly lengthMs: number) {}

  count(now: number): number {
    this.times = this.times.filter((time) => time > now - this.lengthMs);
    return this.times.length;
  }

  add(now: number): void {
    this.times.push(now);
  }
}

export class Quotas {
  private readonly perUser = new Map<string, Window>();
  private readonly defaultSenderMails = new Window(DAY_MS);

  constructor(
    readonly settings: QuotaSettings,
    private readonly now: () => number,
  ) {}

  /**
   * Counts one call of `action` for the user (its `sub`); throws LimitExceededException once the
   * hour's allowance is spent. A refused call does not count.
   */
  takeUserAttempt(sub: string, action: UserQuotaAction): void {
    if (!this.settings.perUser) return;
    const key = `${action}\u0000${sub}`;
    let window = this.perUser.get(key);
    if (window === undefined) this.perUser.set(key, (window = new Window(HOUR_MS)));
    const now = this.now();
    if (window.count(now) >= this.settings.perUserPerHour[action]) throw new LimitExceededException(ATTEMPT_LIMIT_MESSAGE);
    window.add(now);
    this.prune(now);
  }

  /** Counts one mail from Cognito's default sender; throws LimitExceededException past the daily allowance. */
  takeDefaultSenderMail(): void {
    const now = this.now();
    if (this.defaultSenderMails.count(now) >= this.settings.defaultSenderEmailsPerDay) throw new LimitExceededException(DAILY_EMAIL_LIMIT_MESSAGE);
    this.defaultSenderMails.add(now);
  }

  /** Keeps the per-user table bounded: windows with nothing left in them go. */
  private prune(now: number): void {
    if (this.perUser.size < 1000) return;
    for (const [key, window] of this.perUser) if (window.count(now) === 0) this.perUser.delete(key);
  }
}
