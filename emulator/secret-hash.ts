import { createHmac, timingSafeEqual } from "node:crypto";
import type { AppClientConfig } from "../common/local-config";
import { NotAuthorizedException } from "./errors";

/** SECRET_HASH = Base64(HMAC-SHA256(key = client secret, message = username + client id)) (AWS DG, "Computing secret hash values"). */
export function computeSecretHash(clientSecret: string, username: string, clientId: string): string {
  return createHmac("sha256", clientSecret).update(`${username}${clientId}`, "utf8").digest("base64");
}

/**
 * Where the hash travels: the top-level `SecretHash` member (SignUp, ConfirmSignUp, …) or the
 * `SECRET_HASH` parameter (InitiateAuth, RespondToAuthChallenge). AWS words the "missing" error
 * differently for the two (docs/cognito-behaviour.md, "SECRET_HASH").
 */
export type SecretHashCarrier = "member" | "parameter";

/** Throws NotAuthorizedException when the client has a secret and no hash came with the call. */
export function assertSecretHashPresent(client: AppClientConfig, provided: string | undefined, carrier: SecretHashCarrier): void {
  if (client.clientSecret === undefined || (provided !== undefined && provided !== "")) return;
  throw new NotAuthorizedException(
    carrier === "member"
      ? `Client ${client.clientId} is configured for secret but secret was not received`
      : `Client ${client.clientId} is configured with secret but SECRET_HASH was not received`,
  );
}

/** Throws NotAuthorizedException unless the client has no secret or `provided` is right for `username`. */
export function assertSecretHash(client: AppClientConfig, username: string, provided: string | undefined, carrier: SecretHashCarrier): void {
  assertSecretHashPresent(client, provided, carrier);
  if (client.clientSecret === undefined || provided === undefined) return;
  const expected = Buffer.from(computeSecretHash(client.clientSecret, username, client.clientId));
  const actual = Buffer.from(provided);
  // Constant-time: the hash is a credential (OWASP: compare secrets without timing leaks).
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new NotAuthorizedException(`Unable to verify secret hash for client ${client.clientId}`);
  }
}
