import path from "node:path";
import { fileURLToPath } from "node:url";
import type { BffEnv } from "./env-schema";
import type { ModeDefaults } from "./mode-defaults";
import type { CognitoIssuerSettings, ServerSettings } from "./types";
import { awsIssuerFor, parseTrustProxy, splitList, stripTrailingSlash } from "./values";

/** What the sign-in and ALB-mode builders share: the server, its public URL and the pool's issuer. */

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

export function serverSettings(vars: BffEnv, defaults: ModeDefaults, givenPublicUrl: string): ServerSettings {
  const publicUrl = stripTrailingSlash(givenPublicUrl);
  return {
    mode: defaults.mode,
    port: vars.PORT ?? defaults.port,
    host: vars.HOST ?? defaults.host,
    logLevel: vars.LOG_LEVEL ?? "info",
    publicUrl,
    trustedOrigins: [new URL(publicUrl).origin, ...splitList(vars.TRUSTED_ORIGINS).map((origin) => new URL(origin).origin)],
    trustProxy: parseTrustProxy(vars.TRUST_PROXY ?? defaults.trustProxy),
    web: { serve: vars.SERVE_WEB, distDir: path.resolve(vars.WEB_DIST_DIR ?? path.join(repoRoot, "dist/web")) },
  };
}

/** In AWS the public URL must be https: our cookies and the ALB's are Secure. */
export function publicUrlProblems(defaults: ModeDefaults, publicUrl: string | undefined): string[] {
  return defaults.mode === "aws" && publicUrl !== undefined && new URL(publicUrl).protocol !== "https:"
    ? ["PUBLIC_URL: must be an https URL when TOBIRA_MODE=aws (Secure cookies)"]
    : [];
}

const loopbackHosts = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * In AWS, the URLs keys are fetched from (the pool's JWKS, the ALB's public keys) and the managed
 * login the access token is sent to must be https: over plain http anyone on the path could serve
 * their own key, and a token they signed would verify. Plain http stays allowed to this machine
 * (a sidecar, the tests' emulator), where no network is crossed.
 */
export function plainHttpUrlProblems(defaults: ModeDefaults, urls: Record<string, string | undefined>): string[] {
  if (defaults.mode !== "aws") return [];
  return Object.entries(urls)
    .filter(([, url]) => url !== undefined && URL.canParse(url) && !httpsOrLoopback(new URL(url)))
    .map(([name]) => `${name}: must be an https URL when TOBIRA_MODE=aws (keys and tokens cross the network); plain http only to localhost`);
}

/** Where the pool's JWKS is fetched from, under the variable that sets it (COGNITO_JWKS_URI, else COGNITO_ISSUER's). */
export function jwksUrlVariables(vars: BffEnv): Record<string, string | undefined> {
  return vars.COGNITO_JWKS_URI !== undefined
    ? { COGNITO_JWKS_URI: vars.COGNITO_JWKS_URI }
    : { COGNITO_ISSUER: vars.COGNITO_ISSUER === undefined ? undefined : `${vars.COGNITO_ISSUER}/.well-known/jwks.json` };
}

function httpsOrLoopback(url: URL): boolean {
  return url.protocol === "https:" || (url.protocol === "http:" && loopbackHosts.has(url.hostname));
}

export function cognitoEndpointOf(vars: BffEnv, defaults: ModeDefaults): string | undefined {
  const endpoint = vars.COGNITO_ENDPOINT ?? defaults.cognitoEndpoint;
  return endpoint === undefined ? undefined : stripTrailingSlash(endpoint);
}

export function cognitoIssuerSettings(
  vars: BffEnv,
  defaults: ModeDefaults,
  pool: { region: string; userPoolId: string; endpoint: string | undefined },
): CognitoIssuerSettings {
  const { region, userPoolId, endpoint } = pool;
  const issuer = vars.COGNITO_ISSUER ?? (defaults.issuerAtEndpoint && endpoint !== undefined ? `${endpoint}/${userPoolId}` : awsIssuerFor(region, userPoolId));
  return {
    region,
    userPoolId,
    issuer,
    jwksUri: vars.COGNITO_JWKS_URI ?? `${issuer}/.well-known/jwks.json`,
    awsIssuer: issuer === awsIssuerFor(region, userPoolId),
  };
}
