/**
 * Per-account throttling (docs/architecture.md, "Per-account throttling"; README, "Limits,
 * deadlines and outages"): how many failures of each kind an account takes, counted apart for
 * clients the account signed in from before (a device cookie) and for everybody else, who are
 * counted per client network and per account. Each counter has tiers that fill in turn, so a
 * stranger's failures buy longer and longer waits — a delay that escalates, not a flat lock
 * (OWASP Authentication Cheat Sheet, "Account Lockout"; OWASP Credential Stuffing Prevention Cheat
 * Sheet, "Device Fingerprinting"/"Multi-Factor Authentication"; NIST SP 800-63B §5.2.2, "Rate
 * Limiting (Throttling)": at most 100 consecutive failures per account).
 */

/** At most `limit` events per fixed window of `windowSeconds`. */
export interface ThrottleTier {
  limit: number;
  windowSeconds: number;
}

/** Tiers per scope; an empty list means the scope is not counted for this action. */
export interface ThrottleRule {
  /** This account on a client it signed in from before (the device cookie). */
  knownDevice: ThrottleTier[];
  /** This account from one client network (IPv4 address, IPv6 /64), without the device cookie. */
  network: ThrottleTier[];
  /** This account from every client without the device cookie together, whatever the network. */
  account: ThrottleTier[];
}

export type ThrottledAction = "password" | "signInCode" | "codeSent" | "resetCode" | "resetSent";

export type AccountThrottleLimits = Record<ThrottledAction, ThrottleRule>;

const minute = 60;
const hour = 60 * minute;
const day = 24 * hour;

export const defaultAccountThrottleLimits: AccountThrottleLimits = {
  // Wrong passwords (and unknown accounts: the answer must not tell them apart). The account-wide
  // budget stays under Cognito's own lockout (five free failures, then 2^(n−5) s, reset by 15
  // quiet minutes; docs/cognito-behaviour.md): strangers' failures reach Cognito at most four an
  // hour, so they cannot keep the owner locked out of Cognito either.
  password: {
    knownDevice: [
      { limit: 5, windowSeconds: minute },
      { limit: 10, windowSeconds: 15 * minute },
      { limit: 20, windowSeconds: day },
    ],
    network: [{ limit: 3, windowSeconds: minute }],
    account: [
      { limit: 4, windowSeconds: hour },
      { limit: 10, windowSeconds: day },
    ],
  },
  // Wrong sign-in codes, across every sign-in attempt: with the password known, a stranger gets
  // at most 10 code guesses per account per day, however many addresses they use.
  signInCode: {
    knownDevice: [
      { limit: 6, windowSeconds: 15 * minute },
      { limit: 20, windowSeconds: day },
    ],
    network: [
      { limit: 3, windowSeconds: 15 * minute },
      { limit: 6, windowSeconds: day },
    ],
    account: [{ limit: 10, windowSeconds: day }],
  },
  // Sign-in codes mailed (the first code of a sign-in and every resend): no mail bombing.
  codeSent: {
    knownDevice: [{ limit: 10, windowSeconds: hour }],
    network: [
      { limit: 4, windowSeconds: 15 * minute },
      { limit: 10, windowSeconds: day },
    ],
    account: [
      { limit: 6, windowSeconds: hour },
      { limit: 12, windowSeconds: day },
    ],
  },
  // Wrong password-reset codes, and reset mails asked for. Per network only: an account-wide
  // budget would let a stranger block the owner's way back in (Cognito limits reset codes itself).
  resetCode: {
    knownDevice: [],
    network: [
      { limit: 5, windowSeconds: 15 * minute },
      { limit: 10, windowSeconds: day },
    ],
    account: [],
  },
  resetSent: {
    knownDevice: [],
    network: [
      { limit: 5, windowSeconds: 15 * minute },
      { limit: 10, windowSeconds: day },
    ],
    account: [],
  },
};

/**
 * Every limit multiplied by `factor` (ACCOUNT_THROTTLE_FACTOR): more room behind a shared address
 * or for load tests; the windows stay as they are.
 */
export function scaledAccountThrottleLimits(factor: number, limits: AccountThrottleLimits = defaultAccountThrottleLimits): AccountThrottleLimits {
  const scale = (tiers: ThrottleTier[]) => tiers.map((tier) => ({ ...tier, limit: tier.limit * factor }));
  const scaled = {} as AccountThrottleLimits;
  for (const [action, rule] of Object.entries(limits) as [ThrottledAction, ThrottleRule][]) {
    scaled[action] = { knownDevice: scale(rule.knownDevice), network: scale(rule.network), account: scale(rule.account) };
  }
  return scaled;
}
