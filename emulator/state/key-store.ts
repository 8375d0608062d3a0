import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import { JsonFile } from "./json-file";

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  /** The public half as published in the JWKS. */
  publicJwk: JWK;
}

/** Cognito signs ID and access tokens with different keys (different `kid`), both in the JWKS. */
export interface SigningKeys {
  id: SigningKey;
  access: SigningKey;
}

interface KeysDocument {
  version: 1;
  id: JWK;
  access: JWK;
}

async function generate(): Promise<JWK> {
  const { privateKey } = await generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
  return exportJWK(privateKey);
}

async function toSigningKey(privateJwk: JWK): Promise<SigningKey> {
  const { kty, n, e } = privateJwk;
  if (kty !== "RSA" || !n || !e) throw new Error("The stored signing key is not an RSA key");
  // RFC 7638 thumbprint as kid: stable across restarts and derived from the public key only.
  const kid = await calculateJwkThumbprint({ kty, n, e });
  const privateKey = (await importJWK(privateJwk, "RS256")) as CryptoKey;
  return { kid, privateKey, publicJwk: { kty, n, e, kid, alg: "RS256", use: "sig" } };
}

/** The pool's RS256 keys: generated on first start, then read from the data folder. */
export async function loadSigningKeys(path: string): Promise<SigningKeys> {
  const file = new JsonFile<KeysDocument>(path);
  let stored = file.read();
  if (stored === undefined) {
    stored = { version: 1, id: await generate(), access: await generate() };
    await file.write(stored);
  }
  return { id: await toSigningKey(stored.id), access: await toSigningKey(stored.access) };
}
