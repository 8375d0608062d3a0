import { createHash } from "node:crypto";
import { JsonFile } from "./json-file";

/**
 * One sign-in lineage: the refresh token a sign-in produced and every token descended from it,
 * all sharing `originJti` (the tokens' `origin_jti`). Revoking the lineage is how RevokeToken
 * and GlobalSignOut reach access tokens (AWS DG, "Revoking tokens").
 */
export interface SignInRecord {
  originJti: string;
  username: string;
  clientId: string;
  /** SHA-256 of the refresh token: the token itself is never stored. */
  refreshTokenDigest: string;
  /** The original sign-in (epoch seconds), kept unchanged on refresh. */
  authTime: number;
  eventId: string;
  /** Space-separated scopes of the access tokens of this lineage. */
  scope: string;
  /** Epoch milliseconds. */
  refreshExpiresAt: number;
  revokedAt?: number;
}

interface SignInsDocument {
  version: 1;
  signIns: SignInRecord[];
}

export function digestToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

export class SignInStore {
  private readonly byOrigin = new Map<string, SignInRecord>();
  private readonly byRefreshDigest = new Map<string, SignInRecord>();
  private readonly file: JsonFile<SignInsDocument>;

  constructor(
    path: string,
    private readonly now: () => number,
  ) {
    this.file = new JsonFile<SignInsDocument>(path);
    for (const record of this.file.read()?.signIns ?? []) this.index(record);
  }

  private index(record: SignInRecord): void {
    this.byOrigin.set(record.originJti, record);
    this.byRefreshDigest.set(record.refreshTokenDigest, record);
  }

  get(originJti: string): SignInRecord | undefined {
    return this.byOrigin.get(originJti);
  }

  findByRefreshToken(refreshToken: string): SignInRecord | undefined {
    return this.byRefreshDigest.get(digestToken(refreshToken));
  }

  async add(record: SignInRecord): Promise<void> {
    this.index(record);
    await this.save();
  }

  async revoke(record: SignInRecord): Promise<void> {
    record.revokedAt ??= this.now();
    await this.save();
  }

  /** GlobalSignOut: every lineage of the user ends. */
  async revokeAllOf(username: string): Promise<void> {
    const at = this.now();
    for (const record of this.byOrigin.values()) if (record.username === username) record.revokedAt ??= at;
    await this.save();
  }

  flush(): Promise<void> {
    return this.file.flush();
  }

  /**
   * Persists, dropping the lineages no token can use any more: a day past their refresh token's
   * expiry, or a day after their revocation — by then every access token of the lineage has
   * expired too (access validity is at most 1 day). The file stays as large as the sign-ins
   * still alive, however long the local stack has been used.
   */
  private save(): Promise<void> {
    const now = this.now();
    for (const [origin, record] of this.byOrigin) {
      const usableUntil = Math.min(record.refreshExpiresAt, record.revokedAt ?? Number.POSITIVE_INFINITY);
      if (usableUntil < now - 24 * 3600_000) {
        this.byOrigin.delete(origin);
        this.byRefreshDigest.delete(record.refreshTokenDigest);
      }
    }
    return this.file.write({ version: 1, signIns: [...this.byOrigin.values()] });
  }
}
