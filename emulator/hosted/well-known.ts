import express, { type Router } from "express";
import type { PoolContext } from "../pool";

/**
 * `/{poolId}/.well-known/jwks.json` and `/{poolId}/.well-known/openid-configuration`, as
 * cognito-idp serves them next to the issuer (AWS DG, "Verifying a JSON web token").
 * The managed-login endpoints are listed as Cognito lists them; only the flows the emulator
 * implements are advertised (the authorization code, not the implicit flow).
 */
export function createWellKnownRouter(ctx: () => PoolContext, baseUrl: () => string): Router {
  const router = express.Router();
  router.get("/:poolId/.well-known/jwks.json", (req, res) => {
    if (req.params.poolId !== ctx().pool.id) {
      res.status(404).json({ message: "User pool not found" });
      return;
    }
    res.set("Cache-Control", "public, max-age=300").json(ctx().tokens.jwks());
  });
  router.get("/:poolId/.well-known/openid-configuration", (req, res) => {
    const { pool, tokens } = ctx();
    if (req.params.poolId !== pool.id) {
      res.status(404).json({ message: "User pool not found" });
      return;
    }
    res.json({
      issuer: tokens.issuer,
      jwks_uri: `${baseUrl()}/${pool.id}/.well-known/jwks.json`,
      authorization_endpoint: `${baseUrl()}/oauth2/authorize`,
      token_endpoint: `${baseUrl()}/oauth2/token`,
      userinfo_endpoint: `${baseUrl()}/oauth2/userInfo`,
      response_types_supported: ["code"],
      scopes_supported: ["openid", "email", "phone", "profile"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    });
  });
  return router;
}
