import { createHash, randomUUID } from "node:crypto";

/**
 * Authorization codes of the managed login (`/oauth2/authorize` → `/oauth2/token`). Cognito's
 * codes are single-use and valid for five minutes (AWS DG, "The token endpoint"); RFC 6749 §4.1.2
 * binds each to the client and the redirect URI it was issued for. Only a digest of each code is
 * kept, in memory: a code outlives no restart, which its five minutes make harmless.
 */
export const AUTHORIZATION_CODE_TTL_MS = 5 * 60_000;

export interface AuthorizationGrant {
  clientId: string;
  redirectUri: string;
  /** The user's internal username. */
  username: string;
  scopes: string[];
  /** RFC 7636 S256 challenge, when the authorization request carried one. */
  codeChallenge?: string;
  /** The authorization request's nonce, for the ID token (OIDC Core §3.1.3.6). */
  nonce?: string;
  /** When the person signed in (epoch seconds): earlier than now when the managed-login session issued the code. */
  authTime: number;
}

interface StoredGrant extends AuthorizationGrant {
  expiresAt: number;
}

const digest = (code: string) => createHash("sha256").update(code).digest("base64url");

export class AuthorizationCodes {
  private readonly grants = new Map<string, StoredGrant>();

  constructor(private readonly now: () => number) {}

  /** A new code for this grant (a UUID, as Cognito's codes are). */
  issue(grant: AuthorizationGrant): string {
    this.sweep();
    const code = randomUUID();
    this.grants.set(digest(code), { ...grant, expiresAt: this.now() + AUTHORIZATION_CODE_TTL_MS });
    return code;
  }

  /**
   * The grant behind a code, exactly once: the code is gone after the first redemption attempt,
   * whatever its outcome (RFC 6749 §4.1.2: "MUST NOT use the authorization code more than once").
   */
  consume(code: string): AuthorizationGrant | undefined {
    const key = digest(code);
    const grant = this.grants.get(key);
    this.grants.delete(key);
    if (grant === undefined || grant.expiresAt <= this.now()) return undefined;
    const { expiresAt: _expiresAt, ...rest } = grant;
    return rest;
  }

  /** Drops expired codes, so unredeemed ones cannot pile up. */
  private sweep(): void {
    const now = this.now();
    for (const [key, grant] of this.grants) if (grant.expiresAt <= now) this.grants.delete(key);
  }
}
