import { createHmac } from "node:crypto";
import { CognitoIdentityProviderClient, type CognitoIdentityProviderClientConfig } from "@aws-sdk/client-cognito-identity-provider";
import type { CognitoSettings } from "../config";

/**
 * The one Cognito client of the BFF. Locally `endpoint` points at the emulator; in AWS it is
 * unset and the SDK uses cognito-idp.<region>.amazonaws.com. Every operation the BFF calls is a
 * public ("noAuth") user-pool operation, so no AWS credentials are needed or resolved.
 */
export function createCognitoClient(settings: CognitoSettings): CognitoIdentityProviderClient {
  const config: CognitoIdentityProviderClientConfig = {
    region: settings.region,
    // One retry for a dropped connection; throttling is answered to the user, not retried in a loop.
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 },
  };
  if (settings.endpoint !== undefined) config.endpoint = settings.endpoint;
  return new CognitoIdentityProviderClient(config);
}

/**
 * SECRET_HASH = Base64(HMAC-SHA256(key = client secret, message = username + client id))
 * (Cognito developer guide, "Computing secret hash values"). For challenge answers and refresh,
 * `username` is the internal username, not the email typed at sign-in.
 */
export function computeSecretHash(settings: Pick<CognitoSettings, "clientId" | "clientSecret">, username: string): string {
  return createHmac("sha256", settings.clientSecret).update(`${username}${settings.clientId}`).digest("base64");
}
