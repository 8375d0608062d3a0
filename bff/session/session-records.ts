import type { Delivery, SignInMethod } from "../../common/api-contract";

/**
 * What the BFF keeps server-side for one browser. The cookie holds only an opaque id; these
 * records live in the store with a TTL (OWASP Session Management Cheat Sheet: the session id is
 * meaningless, all session data stays on the server).
 */

/** A sign-in between the password step and the second factor. */
export interface PendingSignIn {
  email: string;
  /** Cognito's internal username (ChallengeParameters.USERNAME): keys every answer's SECRET_HASH. */
  username: string;
  /** The Cognito Session string the next answer needs. */
  cognitoSession: string;
  /** "choose": the PROVIDE round is unanswered (no code sent yet); "otp": a code was sent. */
  step: "choose" | "otp";
  methods: SignInMethod[];
  delivery?: Delivery;
  /** Wrong codes over the whole attempt; resending a code does not reset it. */
  failedCodes: number;
  resends: number;
  /** Epoch seconds the last code was sent: the next waits OTP_RESEND_COOLDOWN_SECONDS after it. */
  codeSentAt?: number;
  /** Epoch seconds. */
  passwordVerifiedAt: number;
  startedAt: number;
  /**
   * Epoch milliseconds taken before the password went to Cognito: a password reset recorded at or
   * after it ends this sign-in (bff/signin/sign-in-service.ts). Absent on older records.
   */
  passwordCheckStartedAtMs?: number;
  /**
   * Bumped by every update (SessionManager.updatePending, a compare-and-set on it): concurrent
   * requests of one attempt (a wrong code, a resend) cannot overwrite each other's counts.
   */
  version: number;
  /**
   * Whether the password step moved this browser's signed-in session under this sign-in's id (it
   * ends when the sign-in completes). Absent on older records: the completion then looks for one.
   */
  signedInUnderId?: boolean;
}

export interface StoredCognitoTokens {
  idToken: string;
  accessToken: string;
  refreshToken: string;
  /** Epoch seconds. */
  accessTokenExpiresAt: number;
}

/** A signed-in browser session; the Cognito tokens never leave the server. */
export interface AuthenticatedSession {
  sub: string;
  email: string;
  /** Cognito's internal username (cognito:username). */
  username: string;
  /** RFC 8176 authentication method references. */
  amr: string[];
  /** Epoch seconds of the sign-in. */
  authTime: number;
  /**
   * Epoch seconds when this session last proved a factor itself: the sign-in that started it, or a
   * step-up with the password or a passkey (bff/passkeys/passkey-step-up.ts). Adding a passkey
   * needs it recent (bff/account/reauth.ts). Absent on records written before it existed: they
   * must step up.
   */
  factorProvedAt?: number;
  tokens: StoredCognitoTokens;
  createdAt: number;
  /** Epoch seconds: absolute end of the session. */
  expiresAt: number;
  /**
   * The browser that signed in, as it said (User-Agent, at most 512 characters) and its address
   * as the BFF saw it: the account page's "where you're signed in". Absent on older records.
   */
  client?: { userAgent: string; ip: string };
}

/** A signed-in session without its tokens: what anything but its own browser may see of it. */
export type SessionSummary = Omit<AuthenticatedSession, "tokens">;

/**
 * What the table holds for a signed-in session (bff/session/token-sealing.ts): the tokens sealed
 * under a key from the raw session id, the refresh token also under the cookie keys' (revocation).
 */
export interface StoredSession extends SessionSummary {
  sealedTokens: string;
  sealedRefreshToken: string;
  /** Only on records written before tokens were sealed; never read as a session. */
  tokens?: StoredCognitoTokens;
}

/** A session ended (or checked) from elsewhere: its refresh token, if it opens, for RevokeToken or a refresh. */
export interface EndedSession extends SessionSummary {
  refreshToken: string | undefined;
}

/** One of a user's signed-in sessions as the account page lists it (bff/account/). */
export interface ListedSession {
  /** A public name for the session: derived from the store key, never the cookie's id. */
  id: string;
  session: SessionSummary;
  /** Epoch seconds of the last request seen with it (at most a few minutes stale). */
  lastActiveAt: number;
}
