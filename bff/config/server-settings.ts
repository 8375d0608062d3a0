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
