import express, { Router, type Express, type Request, type Response } from "express";
import { albSessionCookieNames, expiredAlbCookies } from "../../common/alb-logout";
import { emptyRequestSchema, type AccountClaimsResponse, type SessionResponse } from "../../common/api-contract";
import type { AlbModeConfig } from "../config";
import { ApiError, errorMiddleware, notFoundMiddleware } from "../errors";
import { createLogger, type Logger } from "../logger";
import { crossSiteGuard } from "../middleware/cross-site-guard";
import { parseJsonBody, requireJsonContentType } from "../middleware/json-body";
import { noStore } from "../middleware/no-store";
import { requestLogging } from "../middleware/request-logging";
import { securityHeaders } from "../middleware/security-headers";
import { createClientConfigRouter } from "../web/client-config";
import { createSpaRouter } from "../web/spa";
import { createHostedUserInfoFetcher, type FetchUserInfo } from "./hosted-user-info";
import { AlbAuthError, createAlbRequestVerifier, type AlbRequestVerifier, type AlbVerifiedRequest } from "./verify-alb-request";

/**
 * The BFF behind an Application Load Balancer doing authenticate-cognito (docs/architecture.md,
 * "ALB mode"). The ALB signs people in with Cognito's managed login; this app trusts nothing but
 * the headers it can verify (bff/alb/verify-alb-request.ts) and keeps no session or store of its
 * own (AlbModeConfig has none to give). It serves the same SPA and the part of the JSON contract
 * the account page uses:
 *
 * - `GET /api/session`, `GET /api/account/claims`: from verified headers only; without valid
 *   headers 401 `unauthenticated` (503 `service_unavailable` when the keys cannot be fetched).
 * - `POST /api/logout` (JSON, same-origin) and `GET /logout` (for plain links): expire every
 *   `AWSELBAuthSessionCookie-N` shard and send the browser to Cognito's `/logout`, which ends the
 *   managed-login session and returns to a registered sign-out URL (AWS ELB guide,
 *   "Authentication logout and session timeout").
 *
 * Sign-up, sign-in and the other routes of the normal BFF answer 404: the ALB owns sign-in.
 */

export interface AlbModeAppDeps {
  config: AlbModeConfig;
  logger?: Logger;
  /** Replaces the verifier built from `config.alb` (tests). */
  verifier?: AlbRequestVerifier;
  /** Replaces the call to Cognito's hosted `/oauth2/userInfo` (tests). */
  fetchUserInfo?: FetchUserInfo;
}

export function createAlbRequestVerifierFromConfig(config: AlbModeConfig): AlbRequestVerifier {
  const { alb } = config;
  return createAlbRequestVerifier({
    albArn: alb.albArn,
    clientId: alb.clientId,
    region: config.cognito.region,
    issuer: config.cognito.issuer,
    albKeysEndpoint: alb.keysEndpoint,
    cognitoJwksUri: config.cognito.jwksUri,
  });
}

const stringClaim = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

/** RFC 8176 `amr` when the IdP sent one; Cognito's managed login sends none, and its one method is the password. */
function amrOf(verified: AlbVerifiedRequest): string[] {
  const amr = verified.oidcData.amr ?? verified.accessToken.amr;
  return Array.isArray(amr) && amr.length > 0 && amr.every((value) => typeof value === "string") ? (amr as string[]) : ["pwd"];
}

function sessionOf(verified: AlbVerifiedRequest): SessionResponse {
  const { oidcData, accessToken, identity } = verified;
  const authTime = [accessToken.auth_time, oidcData.auth_time, accessToken.iat].find((value): value is number => Number.isInteger(value));
  return {
    authenticated: true,
    user: {
      sub: identity,
      email: stringClaim(oidcData.email) ?? "",
      username: stringClaim(oidcData.username) ?? stringClaim(accessToken.username) ?? identity,
    },
    amr: amrOf(verified),
    authTime: authTime ?? 0,
  };
}

export function createAlbModeApp(deps: AlbModeAppDeps): Express {
  const { config } = deps;
  const { alb } = config;
  const logger = deps.logger ?? createLogger(config.logLevel);
  const verifier = deps.verifier ?? createAlbRequestVerifierFromConfig(config);
  const fetchUserInfo = deps.fetchUserInfo ?? createHostedUserInfoFetcher({ url: alb.userInfoUrl });

  /** The verified sign-in of this request; an AlbAuthError becomes the contract's 401 or 503. */
  async function signedIn(req: Request): Promise<AlbVerifiedRequest> {
    try {
      return await verifier.verify(req.headers);
    } catch (error) {
      if (!(error instanceof AlbAuthError)) throw error;
      // The reason and which header failed, never the header's value (OWASP Logging Cheat Sheet).
      req.log?.info({ albAuthFailure: error.reason, failedHeader: error.token ?? null }, "ALB sign-in headers refused");
      throw new ApiError(error.status, error.code, error.message, { expose: true, cause: error });
    }
  }

  /** Expires every ALB session shard the browser shows (and -0, -1 always): HttpOnly, Secure, Path=/. */
  function expireAlbSession(req: Request, res: Response): void {
    res.setHeader("Set-Cookie", expiredAlbCookies(albSessionCookieNames(req.get("cookie"), alb.sessionCookieName)));
    res.setHeader("Cache-Control", "no-store");
  }

  const app = express();
  // Stryker disable next-line StringLiteral: securityHeaders (helmet) removes X-Powered-By too; this keeps it off if that changes
  app.disable("x-powered-by");
  app.set("trust proxy", config.trustProxy);
  app.use(requestLogging(logger));
  app.use(securityHeaders(config));
  // Liveness for the target group's health check, which the ALB sends without signing anyone in.
  app.get("/healthz", (_req, res) => {
    res.set("Cache-Control", "no-store").json({ status: "ok" });
  });

  // A plain link (a "Log out" button in a page). Same answer as POST /api/logout, as a redirect.
  // A GET from another site can end the session here, as it can at Cognito's own /logout; it
  // discloses nothing and changes nothing else, so no Origin check (unlike POST /api/logout).
  app.get("/logout", (req, res) => {
    expireAlbSession(req, res);
    res.redirect(302, alb.logoutUrl);
  });

  const api = Router();
  api.use(noStore, crossSiteGuard(config.trustedOrigins), requireJsonContentType, parseJsonBody);

  api.use(createClientConfigRouter("alb"));

  api.get("/session", async (req, res) => {
    res.json(sessionOf(await signedIn(req)));
  });

  api.get("/account/claims", async (req, res) => {
    const verified = await signedIn(req);
    const userInfo = await fetchUserInfo(verified.rawAccessToken);
    if (userInfo.sub !== verified.identity) throw new ApiError(401, "unauthenticated", "Your sign-in is no longer valid. Sign in again.");
    const body: AccountClaimsResponse = { idToken: { ...verified.oidcData }, accessToken: { ...verified.accessToken }, userInfo };
    res.json(body);
  });

  // Works without valid headers too: a half-expired session must still be able to leave.
  api.post("/logout", (req, res) => {
    emptyRequestSchema.parse(req.body ?? {});
    expireAlbSession(req, res);
    res.json({ redirectTo: alb.logoutUrl });
  });

  api.use(notFoundMiddleware);
  app.use("/api", api);

  if (config.web.serve) app.use(createSpaRouter(config.web.distDir));
  app.use(notFoundMiddleware);
  app.use(errorMiddleware(logger));
  return app;
}
