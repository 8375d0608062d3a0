import { timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { UnauthorizedException, UnsupportedOperationException, UnsupportedTokenTypeException } from "../errors";
import { type Operation } from "../pool";
import { Fields, parseInput } from "../validation";

const input = z.object({
  Token: Fields.token,
  ClientId: Fields.clientId,
  ClientSecret: Fields.clientSecret.optional(),
  ClientMetadata: Fields.stringMap.optional(),
});

function sameSecret(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * RevokeToken: ends one refresh token and the access tokens descended from it; the user's other
 * sign-ins are untouched (AWS DG, "Revoking tokens"). Takes the client secret itself, not a hash.
 */
export const revokeToken: Operation = async (ctx, raw) => {
  const request = parseInput(input, raw);
  const client = ctx.pool.clients.find((candidate) => candidate.clientId === request.ClientId);
  if (client === undefined) throw new UnauthorizedException("Invalid client credentials.");
  if (client.clientSecret !== undefined && !sameSecret(request.ClientSecret, client.clientSecret)) {
    throw new UnauthorizedException("Invalid client credentials.");
  }
  if (!client.enableTokenRevocation) throw new UnsupportedOperationException("Token revocation is not enabled for this client.");
  // ID and access tokens are JWTs; only refresh tokens can be revoked.
  if (request.Token.split(".").length === 3) throw new UnsupportedTokenTypeException("Only refresh tokens can be revoked.");

  const lineage = ctx.signIns.findByRefreshToken(request.Token);
  // An unknown or already revoked token is not an error (RFC 7009 §2.2).
  if (lineage === undefined) return {};
  // RFC 7009 §2.1: a client may revoke only tokens issued to it.
  if (lineage.clientId !== client.clientId) throw new UnauthorizedException("The token was not issued to this client.");
  await ctx.signIns.revoke(lineage);
  return {};
};
