import { createHash, randomBytes, randomUUID } from "node:crypto";
import { SignJWT, decodeProtectedHeader, errors as joseErrors, importJWK, jwtVerify, type JWK, type JWTPayload } from "jose";
import type { AppClientConfig } from "../common/local-config";
import { Messages, NotAuthorizedException } from "./errors";
import type { SigningKeys } from "./state/key-store";
import type { SignInRecord, SignInStore } from "./state/sign-in-store";
import { digestToken } from "./state/sign-in-store";
import type { StoredUser } from "./state/user-store";

/** The scope of access tokens issued by the user-pool API (InitiateAuth, RespondToAuthChallenge). */
export const ADMIN_SCOPE = "aws.cognito.signin.user.admin";

export interface AuthenticationResult {
  AccessToken: string;
  ExpiresIn: number;
  TokenType: "Bearer";
  IdToken: string;
  RefreshToken?: string;
}

/** What the managed login's token endpoint issues: no ID token unless `openid` was granted. */
export interface HostedTokenSet {
  AccessToken: string;
  IdToken?: string;
  ExpiresIn: number;
}

/** How the ID token of one issuance looks. */
interface MintOptions {
  /** False when the grant lacks `openid`: the token endpoint then issues no ID token. */
  idToken: boolean;
  /** The authorization request's nonce (OIDC Core §3.1.2.1), echoed in the ID token. */
  nonce?: string;
  /** OIDC Core §3.1.3.6 at_hash: the token endpoint's ID tokens carry it, the user-pool API's do not. */
  atHash: boolean;
}

/** OIDC Core §3.1.3.6: base64url of the left half of SHA-256 over the access token's ASCII. */
export function accessTokenHash(accessToken: string): string {
  const digest = createHash("sha256").update(accessToken, "ascii").digest();
  return digest.subarray(0, digest.length / 2).toString("base64url");
}

export interface AccessTokenClaims extends JWTPayload {
  sub: string;
  client_id: string;
  origin_jti: string;
  token_use: "access";
  scope: string;
  username: string;
}

/** Attributes that are JSON booleans in the ID token (AWS DG, "Understanding the identity (ID) token"). */
const BOOLEAN_CLAIMS = new Set(["email_verified", "phone_number_verified"]);

export interface TokenServiceOptions {
  keys: SigningKeys;
  issuer: string;
  signIns: SignInStore;
  now: () => number;
}

/**
 * Cognito's tokens: RS256 JWTs with Cognito's claim sets, the ID and access tokens under
 * different keys, and an opaque refresh token. Every token of one sign-in shares `origin_jti`,
 * which is what revocation works on (AWS DG, "Revoking tokens").
 */
export class TokenService {
  private readonly accessPublicKey: Promise<CryptoKey>;

  constructor(private readonly options: TokenServiceOptions) {
    this.accessPublicKey = importJWK(options.keys.access.publicJwk, "RS256") as Promise<CryptoKey>;
  }

  get issuer(): string {
    return this.options.issuer;
  }

  /** The public keys, as served at /{poolId}/.well-known/jwks.json. */
  jwks(): { keys: JWK[] } {
    return { keys: [this.options.keys.id.publicJwk, this.options.keys.access.publicJwk] };
  }

  /** A new sign-in: ID, access and refresh token, and the lineage record that revocation uses. */
  async signIn(user: StoredUser, client: AppClientConfig, scope: string = ADMIN_SCOPE): Promise<Required<AuthenticationResult>> {
    const { record, refreshToken } = await this.startLineage(user, client, scope);
    const tokens = await this.mint(user, client, record, { idToken: true, atHash: false });
    return { ...tokens, IdToken: tokens.IdToken!, TokenType: "Bearer", RefreshToken: refreshToken };
  }

  /**
   * A sign-in through the managed login's token endpoint: the ID token only when `openid` was
   * granted, with the request's nonce and at_hash; `authTime` (epoch seconds) is the managed-login
   * session's sign-in when a code was issued silently.
   */
  async signInHosted(
    user: StoredUser,
    client: AppClientConfig,
    grant: { scopes: readonly string[]; nonce?: string; authTime?: number },
  ): Promise<HostedTokenSet & { RefreshToken: string }> {
    const { record, refreshToken } = await this.startLineage(user, client, grant.scopes.join(" "), grant.authTime);
    const options: MintOptions = { idToken: grant.scopes.includes("openid"), atHash: true, ...(grant.nonce === undefined ? {} : { nonce: grant.nonce }) };
    return { ...(await this.mint(user, client, record, options)), RefreshToken: refreshToken };
  }

  /** REFRESH_TOKEN_AUTH: new ID and access tokens of the same lineage; no new refresh token. */
  async refresh(record: SignInRecord, user: StoredUser, client: AppClientConfig): Promise<AuthenticationResult> {
    const tokens = await this.mint(user, client, record, { idToken: true, atHash: false });
    return { ...tokens, IdToken: tokens.IdToken!, TokenType: "Bearer" };
  }

  /** The token endpoint's refresh_token grant: an ID token only for lineages granted `openid`. */
  refreshHosted(record: SignInRecord, user: StoredUser, client: AppClientConfig): Promise<HostedTokenSet> {
    return this.mint(user, client, record, { idToken: record.scope.split(" ").includes("openid"), atHash: true });
  }

  private async startLineage(user: StoredUser, client: AppClientConfig, scope: string, authTime?: number): Promise<{ record: SignInRecord; refreshToken: string }> {
    const nowMs = this.options.now();
    const refreshToken = randomBytes(96).toString("base64url");
    const record: SignInRecord = {
      originJti: randomUUID(),
      username: user.username,
      clientId: client.clientId,
      refreshTokenDigest: digestToken(refreshToken),
      authTime: authTime ?? Math.floor(nowMs / 1000),
      eventId: randomUUID(),
      scope,
      refreshExpiresAt: nowMs + client.refreshTokenValidityDays * 24 * 3600_000,
    };
    await this.options.signIns.add(record);
    return { record, refreshToken };
  }

  private async mint(user: StoredUser, client: AppClientConfig, record: SignInRecord, options: MintOptions): Promise<HostedTokenSet & { TokenType: "Bearer" }> {
    const iat = Math.floor(this.options.now() / 1000);
    const { keys, issuer } = this.options;
    const attributeClaims: Record<string, string | boolean> = {};
    for (const [name, value] of Object.entries(user.attributes)) {
      attributeClaims[name] = BOOLEAN_CLAIMS.has(name) ? value === "true" : value;
    }
    const { email, email_verified, ...otherAttributes } = attributeClaims;
    const accessLifetime = client.accessTokenValidityMinutes * 60;
    const accessClaims = {
      sub: user.sub,
      iss: issuer,
      client_id: client.clientId,
      origin_jti: record.originJti,
      event_id: record.eventId,
      token_use: "access",
      scope: record.scope,
      auth_time: record.authTime,
      exp: iat + accessLifetime,
      iat,
      jti: randomUUID(),
      username: user.username,
    };
    const AccessToken = await new SignJWT(accessClaims).setProtectedHeader({ kid: keys.access.kid, alg: "RS256" }).sign(keys.access.privateKey);
    if (!options.idToken) return { AccessToken, ExpiresIn: accessLifetime, TokenType: "Bearer" };
    const idClaims = {
      ...(options.atHash ? { at_hash: accessTokenHash(AccessToken) } : {}),
      sub: user.sub,
      ...(email_verified === undefined ? {} : { email_verified }),
      iss: issuer,
      "cognito:username": user.username,
      origin_jti: record.originJti,
      aud: client.clientId,
      event_id: record.eventId,
      token_use: "id",
      auth_time: record.authTime,
      exp: iat + client.idTokenValidityMinutes * 60,
      iat,
      ...(options.nonce === undefined ? {} : { nonce: options.nonce }),
      jti: randomUUID(),
      ...otherAttributes,
      ...(email === undefined ? {} : { email }),
    };
    const IdToken = await new SignJWT(idClaims).setProtectedHeader({ kid: keys.id.kid, alg: "RS256" }).sign(keys.id.privateKey);
    return { AccessToken, ExpiresIn: accessLifetime, TokenType: "Bearer", IdToken };
  }

  /**
   * The check every user-pool call and userInfo make: signature, issuer, expiry, token_use, and
   * that the lineage is not revoked (revoked tokens fail only at Cognito's own endpoints).
   */
  async verifyAccessToken(token: string): Promise<AccessTokenClaims> {
    let kid: string | undefined;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      throw new NotAuthorizedException(Messages.invalidAccessToken);
    }
    if (kid !== this.options.keys.access.kid) throw new NotAuthorizedException(Messages.invalidAccessToken);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, await this.accessPublicKey, {
        algorithms: ["RS256"],
        issuer: this.options.issuer,
        currentDate: new Date(this.options.now()),
      }));
    } catch (error) {
      throw new NotAuthorizedException(error instanceof joseErrors.JWTExpired ? Messages.accessTokenExpired : Messages.invalidAccessToken);
    }
    if (payload.token_use !== "access" || typeof payload.origin_jti !== "string" || typeof payload.username !== "string") {
      throw new NotAuthorizedException(Messages.invalidAccessToken);
    }
    const lineage = this.options.signIns.get(payload.origin_jti);
    if (lineage === undefined || lineage.revokedAt !== undefined) throw new NotAuthorizedException(Messages.accessTokenRevoked);
    return payload as AccessTokenClaims;
  }
}
