import { z } from "zod";
import { ALB_SESSION_COOKIE_NAME } from "../common/alb-logout";
import { parseEnv, type EnvRecord } from "../common/env";

/**
 * Configuration of the ALB logout Lambda (triggers/alb-logout.ts). Read once per cold start;
 * nothing else in the Lambda reads the environment.
 */
export type AlbLogoutConfig = {
  /** A sign-out URL registered on the app client: where Cognito sends the browser afterwards. */
  appLogoutUrl: string;
  /** The app client of the ALB's authenticate-cognito action. */
  clientId: string;
  /** The user pool's prefix domain: `<prefix>.auth.<region>.amazoncognito.com`. */
  domainPrefix: string;
  region: string;
  /** The action's SessionCookieName (default AWSELBAuthSessionCookie); shards are `<name>-N`. */
  sessionCookieName: string;
  /** Replaces the Cognito domain (a local emulator); never set from the Lambda environment. */
  cognitoBaseUrl?: string;
};

const isLocalhost = (url: URL) => url.hostname === "localhost" || url.hostname === "127.0.0.1" || url.hostname === "[::1]";

export const albLogoutConfigSchema = z
  .object({
    // Cognito accepts sign-out URLs over https, and http only for localhost (Cognito DG, app client
    // "Allowed sign-out URLs"); a fragment has no place in a redirect target (RFC 6749 §3.1.2).
    APP_LOGOUT_URL: z.url({ protocol: /^https?$/, error: (issue) => (issue.input === undefined ? "is required" : "must be an http(s) URL") }).refine((value) => {
      // Not a URL at all: z.url() has said so already; only a parsed URL has a scheme and fragment to judge.
      if (!URL.canParse(value)) return true;
      const url = new URL(value);
      return url.hash === "" && (url.protocol === "https:" || isLocalhost(url));
    }, "must be https (http only for localhost) and carry no fragment"),
    COGNITO_USER_POOL_DOMAIN_PREFIX: z
      .string({ error: "is required" })
      .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, "is not a Cognito domain prefix (lowercase letters, digits, hyphens)"),
    COGNITO_CLIENT_ID: z.string({ error: "is required" }).regex(/^[\w+]{1,128}$/, "is not an app client id"),
    // Set by the Lambda runtime itself.
    AWS_REGION: z.string({ error: "is required" }).regex(/^[a-z]{2,4}(?:-[a-z]+)+-\d{1,2}$/, "is not an AWS region"),
    ALB_SESSION_COOKIE_NAME: z
      .string()
      .regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, "is not a cookie name")
      .default(ALB_SESSION_COOKIE_NAME),
  })
  .transform((env): AlbLogoutConfig => ({
    appLogoutUrl: env.APP_LOGOUT_URL,
    clientId: env.COGNITO_CLIENT_ID,
    domainPrefix: env.COGNITO_USER_POOL_DOMAIN_PREFIX,
    region: env.AWS_REGION,
    sessionCookieName: env.ALB_SESSION_COOKIE_NAME,
  }));

/** Validates the environment; throws one error listing every problem (never the values). */
export function loadAlbLogoutConfig(env: EnvRecord = process.env): AlbLogoutConfig {
  return parseEnv(albLogoutConfigSchema, env, "ALB logout configuration");
}
