import type { Request } from "express";
import type Provider from "oidc-provider";
import { errors, type KoaContextWithOIDC } from "oidc-provider";
import type { Logger } from "../logger";
import type { EndedProviderSession } from "./back-channel-logout";
import { countFailedProviderRequest } from "./provider-rate-limits";
import { endedProviderSession } from "./provider-sign-out";
import { flushTokenWrites } from "./token-request-store";

/** What the provider's options cannot say: attached to the provider once it is built. */
export interface ProviderHooksDeps {
  logger: Logger;
  /**
   * Runs when the user confirms a sign-out at the provider (RP-initiated logout), with the
   * provider session that ended (undefined when it had no user).
   */
  onProviderLogout(req: Request, ended: EndedProviderSession | undefined): Promise<void>;
}

/**
 * Refusals of client authentication that oidc-provider answers 400 invalid_request: no
 * authentication at all, or a malformed Basic header. RFC 6749 §5.2 calls both invalid_client
 * ("no client authentication included, or unsupported authentication method"). Mixing two
 * methods, or a body client_id other than Basic's, stays invalid_request (a malformed request).
 */
const clientAuthenticationMissingOrMalformed: ReadonlySet<string> = new Set([
  "no client authentication mechanism provided",
  "invalid authorization header value format",
  "client_secret must be provided in the Authorization header",
  "client_id and client_secret in the authorization header are not properly encoded",
]);

/** The endpoints where a client authenticates itself. */
const clientAuthenticatedRoutes: ReadonlySet<string> = new Set(["token", "revocation", "introspection"]);

function isErrorBody(body: unknown): body is { error: string; error_description?: string } {
  return typeof body === "object" && body !== null && typeof (body as { error?: unknown }).error === "string";
}

/**
 * Answers a missing or malformed client authentication as RFC 6749 §5.2 says: 401
 * invalid_client, with a Basic challenge when the client tried the Authorization header.
 */
export function answerMissingClientAuthentication(ctx: KoaContextWithOIDC, issuer: string): void {
  const body: unknown = ctx.body;
  const route = ctx.oidc?.route;
  if (route === undefined || !clientAuthenticatedRoutes.has(route) || ctx.status !== 400 || !isErrorBody(body)) return;
  if (body.error !== "invalid_request" || !clientAuthenticationMissingOrMalformed.has(body.error_description ?? "")) return;
  ctx.status = 401;
  ctx.body = { error: "invalid_client", error_description: "client authentication failed: no valid client authentication was included" };
  if (ctx.get("authorization") !== "") ctx.set("WWW-Authenticate", `Basic realm="${issuer}", error="invalid_client"`);
}

/**
 * Discovery and the JWKS change only with a deployment or a key rotation: caches may keep them a
 * few minutes (RFC 9111 §5.2.2.1). A relying party that meets a token signed by a key it has not
 * seen yet (a rotation) fetches the JWKS again, as OpenID Connect Core §10.1.1 expects of it.
 */
export const metadataCacheControl = "public, max-age=300";

export function setMetadataCaching(ctx: KoaContextWithOIDC): void {
  const route = ctx.oidc?.route;
  if ((route === "discovery" || route === "jwks") && ctx.status === 200) ctx.set("Cache-Control", metadataCacheControl);
}

/**
 * Stores the tokens a successful token request issued before its answer leaves
 * (token-request-store.ts). When they cannot be stored, the tokens are not sent: the store's
 * outage is 503 temporarily_unavailable (RFC 6749 §5.2), anything else 500 server_error.
 */
export async function storeIssuedTokens(ctx: KoaContextWithOIDC, onServerError: (error: unknown) => void): Promise<void> {
  try {
    await flushTokenWrites(ctx, ctx.status === 200);
  } catch (error) {
    const known = error instanceof errors.OIDCProviderError && error.expose;
    if (!known) onServerError(error);
    ctx.status = known ? error.statusCode : 500;
    ctx.body = known ? { error: error.error, error_description: error.error_description } : { error: "server_error", error_description: "oops! something went wrong" };
  }
}

export function attachProviderHooks(provider: Provider, deps: ProviderHooksDeps): void {
  const { logger } = deps;

  // oidc-provider puts `sid` in ID tokens only for back-channel-logout clients or when asked
  // through the claims parameter; Tobira's ID tokens always carry it (docs/architecture.md, "The OpenID Provider").
  Object.defineProperty(provider.Client.prototype, "includeSid", { value: () => true });
  // Back-channel logout is sent by Tobira's sign-out for every scope (session/sign-out.ts,
  // back-channel-logout.ts), in the background. oidc-provider's own end-session would deliver
  // again, and make the user wait for every relying party's answer.
  Object.defineProperty(provider.Client.prototype, "backchannelLogout", { value: async () => {} });

  // The provider reads the host and protocol from X-Forwarded-Host/Proto, which the BFF sets from
  // PUBLIC_URL on every request that reaches it (provider-endpoints.ts, pinToPublicUrl): the
  // issuer's URLs and Secure cookies whatever the request said.
  provider.proxy = true;

  // Signing out at the provider (RP-initiated logout, confirmed) also ends the BFF session and
  // revokes its Cognito refresh token, so neither session outlives the other.
  provider.use(async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    await next();
    await storeIssuedTokens(ctx, (error) => provider.emit("server_error", ctx, error));
    // A refused code, token or secret counts against the network's budget before the answer leaves.
    await countFailedProviderRequest(ctx.req, ctx.status);
    // RFC 6749 §5.1: token answers carry Pragma: no-cache next to Cache-Control: no-store (for HTTP/1.0 caches).
    if (ctx.response.get("cache-control") === "no-store") ctx.set("Pragma", "no-cache");
    answerMissingClientAuthentication(ctx, provider.issuer);
    setMetadataCaching(ctx);
    // A /userinfo call with no token at all also names the error. RFC 6750 §3.1 only
    // advises against it (SHOULD NOT); one challenge shape for every refusal is simpler for RPs.
    const challenge = ctx.response.get("www-authenticate");
    if (ctx.oidc?.route === "userinfo" && ctx.status === 401 && challenge.startsWith("Bearer ") && !challenge.includes("error=")) {
      ctx.set("WWW-Authenticate", `${challenge}, error="invalid_token", error_description="no access token provided"`);
    }
    if (ctx.oidc?.route === "end_session_confirm" && ctx.status === 303 && ctx.oidc.params?.logout) {
      await deps.onProviderLogout(ctx.req as Request, ctx.oidc.session === undefined ? undefined : endedProviderSession(ctx.oidc.session));
    }
  });

  provider.on("server_error", (_ctx, error) => logger.error({ err: error }, "openid provider: server error"));
  const refused = (event: string) => (_ctx: KoaContextWithOIDC, error: Error & { error?: string; error_description?: string }) =>
    logger.debug({ event, error: error.error ?? error.message, description: error.error_description }, "openid provider: request refused");
  provider.on("authorization.error", refused("authorization.error"));
  provider.on("grant.error", refused("grant.error"));
  provider.on("end_session.error", refused("end_session.error"));
  provider.on("userinfo.error", refused("userinfo.error"));
  provider.on("revocation.error", refused("revocation.error"));
}
