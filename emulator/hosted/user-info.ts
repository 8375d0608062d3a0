import express, { type Request, type Response, type Router } from "express";
import { CognitoError } from "../errors";
import type { PoolContext } from "../pool";

const PROFILE_CLAIMS = [
  "name",
  "family_name",
  "given_name",
  "middle_name",
  "nickname",
  "preferred_username",
  "profile",
  "picture",
  "website",
  "gender",
  "birthdate",
  "zoneinfo",
  "locale",
  "updated_at",
];
const EMAIL_CLAIMS = ["email", "email_verified"];
const PHONE_CLAIMS = ["phone_number", "phone_number_verified"];

/** OAuth 2.0 bearer-token errors (RFC 6750 §3) with the descriptions Cognito's endpoint uses. */
function refuse(res: Response, status: 400 | 401, error: string, description: string): void {
  res
    .status(status)
    .set({ "WWW-Authenticate": `error="${error}", error_description="${description}"`, "Cache-Control": "no-store" })
    .json({ error, error_description: description });
}

/** Claims the token's scopes allow (AWS DG, "The user attributes endpoint"): `openid` alone means every attribute. */
function claimsFor(scopes: string[], attributes: Record<string, string>): Record<string, string> {
  const groups = [
    ...(scopes.includes("profile") ? PROFILE_CLAIMS : []),
    ...(scopes.includes("email") ? EMAIL_CLAIMS : []),
    ...(scopes.includes("phone") ? PHONE_CLAIMS : []),
  ];
  const narrowed = scopes.some((scope) => ["profile", "email", "phone"].includes(scope));
  return Object.fromEntries(
    Object.entries(attributes).filter(([name]) => !narrowed || groups.includes(name) || (scopes.includes("profile") && name.startsWith("custom:"))),
  );
}

/**
 * `GET|POST /oauth2/userInfo`: user attributes for an access token with the `openid` scope.
 * Tokens from InitiateAuth/RespondToAuthChallenge carry no OAuth scope and are refused, as by Cognito.
 */
export function createUserInfoRouter(ctx: () => PoolContext): Router {
  const router = express.Router();
  const handle = async (req: Request, res: Response) => {
    const match = /^Bearer ([A-Za-z0-9\-_=.]+)$/.exec(req.get("authorization") ?? "");
    if (match === null) {
      refuse(res, 400, "invalid_request", "Bad OAuth2 request at UserInfo Endpoint");
      return;
    }
    const { tokens, users } = ctx();
    let claims;
    try {
      claims = await tokens.verifyAccessToken(match[1]!);
    } catch (error) {
      if (!(error instanceof CognitoError)) throw error;
      refuse(res, 401, "invalid_token", "Access token is expired, disabled, or deleted, or the user has globally signed out.");
      return;
    }
    const scopes = claims.scope.split(" ");
    if (!scopes.includes("openid")) {
      refuse(res, 401, "invalid_token", "Access token does not contain openid scope");
      return;
    }
    const user = users.find(claims.username);
    if (user === undefined || !user.enabled) {
      refuse(res, 401, "invalid_token", "Access token is expired, disabled, or deleted, or the user has globally signed out.");
      return;
    }
    res.set("Cache-Control", "no-store").json({ sub: user.sub, ...claimsFor(scopes, user.attributes), username: user.username });
  };
  router.get("/oauth2/userInfo", handle);
  router.post("/oauth2/userInfo", handle);
  return router;
}
