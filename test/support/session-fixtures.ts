import type { AuthenticatedSession, PendingSignIn, StoredCognitoTokens } from "../../bff/session/session-records";

/** The session manager's unit tests' records (bff/session/session-records.ts), with the fields each test varies. */

const epochSeconds = (): number => Math.floor(Date.now() / 1000);

/** A sign-in past its password step, waiting for the emailed code, begun at `at` (epoch seconds). */
export function pendingSignInRecord(options: { email?: string; username?: string; at?: number } = {}): Omit<PendingSignIn, "version"> {
  const at = options.at ?? epochSeconds();
  return {
    email: options.email ?? "a@example.com",
    username: options.username ?? "internal-1",
    cognitoSession: "round-1",
    step: "otp",
    methods: ["otp"],
    failedCodes: 0,
    resends: 0,
    passwordVerifiedAt: at,
    startedAt: at,
  };
}

/** A session signed in with password and code at `at`, for `lifetimeSeconds` (an hour unless given). */
export function signedInRecord(
  options: { sub?: string; email?: string; username?: string; tokens?: Partial<StoredCognitoTokens>; at?: number; authTime?: number; lifetimeSeconds?: number } = {},
): AuthenticatedSession {
  const sub = options.sub ?? "sub-1";
  const at = options.at ?? epochSeconds();
  return {
    sub,
    email: options.email ?? `${sub}@example.com`,
    username: options.username ?? `internal-${sub}`,
    amr: ["pwd", "otp", "mfa"],
    authTime: options.authTime ?? at,
    tokens: { idToken: "id", accessToken: "access", refreshToken: "refresh", accessTokenExpiresAt: at + 3600, ...options.tokens },
    createdAt: at,
    expiresAt: at + (options.lifetimeSeconds ?? 3600),
  };
}
