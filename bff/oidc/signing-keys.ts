import { createHash, generateKeyPairSync, type KeyObject } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * The provider's ID-token signing keys (a private JWKS: RS256 and ES256).
 *
 * In AWS mode they come from configuration (OIDC_JWKS), so every instance signs with the same
 * keys. Locally they are generated on first start and kept under the data folder (mode 0600),
 * so tokens stay verifiable across restarts. oidc-provider signs with the first key of each
 * algorithm and publishes the public halves of all of them: rotation = prepend a new key and keep
 * the old ones until the tokens they signed have expired (OpenID Connect Core §10.1.1).
 */

export type PrivateJwk = Record<string, unknown> & { kty: string; kid?: string; alg?: string; d?: string };
export interface PrivateJwks {
  keys: PrivateJwk[];
}

export const jwksFileName = "oidc-signing-keys.json";

/** RFC 7638 JWK thumbprint (SHA-256): a stable, unique `kid`. */
function thumbprint(jwk: Record<string, unknown>): string {
  const members = jwk.kty === "RSA" ? ["e", "kty", "n"] : ["crv", "kty", "x", "y"];
  const canonical = JSON.stringify(Object.fromEntries(members.map((name) => [name, jwk[name]])));
  return createHash("sha256").update(canonical).digest("base64url");
}

function toJwk(privateKey: KeyObject, alg: string): PrivateJwk {
  const jwk = privateKey.export({ format: "jwk" }) as PrivateJwk;
  return { ...jwk, kid: thumbprint(jwk), alg, use: "sig" };
}

/** A fresh private JWKS with one RS256 (2048-bit) and one ES256 (P-256) key. */
export function generateSigningKeys(): PrivateJwks {
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return { keys: [toJwk(rsa.privateKey, "RS256"), toJwk(ec.privateKey, "ES256")] };
}

function isPrivateJwks(value: unknown): value is PrivateJwks {
  return (
    typeof value === "object" &&
    value !== null &&
    Array.isArray((value as PrivateJwks).keys) &&
    (value as PrivateJwks).keys.length > 0 &&
    (value as PrivateJwks).keys.every((key) => typeof key === "object" && key !== null && typeof key.kty === "string" && typeof key.d === "string")
  );
}

/**
 * The keys kept in `<dataDir>/oidc-signing-keys.json`, created on first use. Sync on purpose:
 * the provider needs them when the app is built. Two processes starting at once agree on the
 * first file written (exclusive create).
 */
export function loadOrCreateLocalSigningKeys(dataDir: string): PrivateJwks {
  const file = path.join(dataDir, jwksFileName);
  const read = (): PrivateJwks => {
    const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
    if (!isPrivateJwks(parsed)) throw new Error(`${file} does not hold a private JWKS`);
    return parsed;
  };
  try {
    return read();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(dataDir, { recursive: true });
  const jwks = generateSigningKeys();
  try {
    writeFileSync(file, `${JSON.stringify(jwks, null, 2)}\n`, { flag: "wx", mode: 0o600 });
    return jwks;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return read();
    throw error;
  }
}
