import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The BFF's word to the verify-auth-challenge trigger that it verified a passkey assertion for
 * this user in this challenge round: base64url(HMAC-SHA256(secret, `${userName}.${nonce}`)).
 * `userName` is Cognito's internal username (ChallengeParameters.USERNAME), `nonce` the round's
 * fresh nonce, so a proof cannot be replayed for another user or another round.
 */
export function computePasskeyProof(secret: string, userName: string, nonce: string): string {
  return createHmac("sha256", secret).update(`${userName}.${nonce}`).digest("base64url");
}

/** Constant-time check of a presented proof (OWASP: compare secrets without timing leaks). */
export function isValidPasskeyProof(secret: string, userName: string, nonce: string, presented: unknown): boolean {
  if (typeof presented !== "string" || presented.length === 0) return false;
  const expected = Buffer.from(computePasskeyProof(secret, userName, nonce));
  const actual = Buffer.from(presented);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
