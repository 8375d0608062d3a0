import { createHmac } from "node:crypto";
import { CognitoIdentityProviderClient, type CognitoIdentityProviderClientConfig } from "@aws-sdk/client-cognito-identity-provider";
import type { CognitoSettings, DependencyTimeouts } from "../config";
import { retryOnlyUnsentRequests } from "./retry-policy";

/** Cognito answers in well under a second; a trigger that sends mail takes longer (docs/architecture.md, "Deadlines"). */
export const defaultCognitoTimeouts: DependencyTimeouts = { connectMs: 2_000, totalMs: 8_000 };

/**
 * The one Cognito client of the BFF. Locally `endpoint` points at the emulator; in AWS it is
 * unset and the SDK uses cognito-idp.<region>.amazonaws.com. Every operation the BFF calls is a
 * public ("noAuth") user-pool operation but one: AdminGetUser (the OpenID Provider's live check of
 * a user without a Tobira session) is signed with the task role's credentials in AWS, and with
 * placeholder ones for the emulator (a pool whose issuer is not AWS's), which accepts any signature.
 */
export function createCognitoClient(settings: CognitoSettings): CognitoIdentityProviderClient {
  const timeouts = settings.timeouts ?? defaultCognitoTimeouts;
  const config: CognitoIdentityProviderClientConfig = {
    region: settings.region,
    // One retry, only for a request that never reached Cognito: a call that may have arrived (and
    // sent mail, or counted against a per-user limit) is never sent twice (bff/cognito/retry-policy.ts).
    maxAttempts: 2,
    retryStrategy: retryOnlyUnsentRequests,
    // throwOnRequestTimeout: without it the handler only logs a warning and waits for a hung
    // Cognito forever; with it, a late attempt's socket is destroyed, so the request cannot land
    // (and send a code) after the user was told it failed.
    requestHandler: { connectionTimeout: timeouts.connectMs, requestTimeout: timeouts.totalMs, throwOnRequestTimeout: true },
    // Undefined (AWS) leaves the SDK its regional endpoint, as an absent property does.
    endpoint: settings.endpoint,
  };
  if (!settings.awsIssuer) config.credentials = { accessKeyId: "local", secretAccessKey: "local" };
  const client = new CognitoIdentityProviderClient(config);
  // The whole call, retries and back-off included, ends at the deadline: the caller answers 503.
  client.middlewareStack.add((next) => (args) => withDeadline(timeouts.totalMs, () => next(args)), { step: "initialize", name: "tobiraCognitoDeadline" });
  return client;
}

/** Fails like the SDK's own timeout (name TimeoutError, no HTTP answer), which bff/cognito/cognito-errors.ts maps to 503. */
function withDeadline<T>(ms: number, call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`Cognito did not answer within ${ms} ms`), { name: "TimeoutError", $metadata: {} })), ms);
  });
  return Promise.race([call(), deadline]).finally(() => clearTimeout(timer));
}

/**
 * SECRET_HASH = Base64(HMAC-SHA256(key = client secret, message = username + client id))
 * (Cognito developer guide, "Computing secret hash values"). For challenge answers and refresh,
 * `username` is the internal username, not the email typed at sign-in.
 */
export function computeSecretHash(settings: Pick<CognitoSettings, "clientId" | "clientSecret">, username: string): string {
  return createHmac("sha256", settings.clientSecret).update(`${username}${settings.clientId}`).digest("base64");
}
