import { randomBytes } from "node:crypto";
import type { AppClientConfig } from "../../common/local-config";
import { InvalidLambdaResponseException, InvalidParameterException, Messages, NotAuthorizedException, PasswordResetRequiredException } from "../errors";
import { isLockedOut, recordFailure } from "../lockout";
import type { PoolContext } from "../pool";
import { assertSecretHash } from "../secret-hash";
import { createSrpVerifier, parseSrpA, parseSrpTimestamp, srpPoolName, startSrpHandshake, verifyPasswordClaim, type SrpVerifier } from "../srp";
import type { StoredUser } from "../state/user-store";
import type { SessionEntry, StringMap } from "../triggers";
import { requireParameter } from "../validation";

/** Who the attempt is about (the same shape as custom-auth.ts's subject, kept here to avoid an import cycle). */
interface SrpSubject {
  userName: string;
  user: StoredUser | undefined;
  client: AppClientConfig;
}

/**
 * The password inside CUSTOM_AUTH (docs/cognito-behaviour.md, "Password inside the custom flow
 * (SRP)"): InitiateAuth with `CHALLENGE_NAME: SRP_A` and `SRP_A` opens the history with an SRP_A
 * entry; when Define answers PASSWORD_VERIFIER, Cognito itself runs the SRP step (no Create, no
 * Verify) and, once the claim proves the password, adds a PASSWORD_VERIFIER entry and asks Define
 * again. A wrong password ends the attempt at once with "Incorrect username or password." and
 * counts towards the lockout, as in USER_SRP_AUTH.
 */

/** How far TIMESTAMP may be from the pool's clock. AWS documents no window [unverified]; 5 minutes. */
export const SRP_TIMESTAMP_SKEW_MS = 5 * 60_000;

/** The SRP_A of an InitiateAuth CUSTOM_AUTH, when the caller asked for the password step. */
export function srpStart(parameters: Record<string, string> | undefined): string | undefined {
  const challengeName = parameters?.CHALLENGE_NAME;
  const srpA = parameters?.SRP_A;
  if (challengeName === undefined && srpA === undefined) return undefined;
  if (challengeName !== "SRP_A") throw new InvalidParameterException("CHALLENGE_NAME must be SRP_A when SRP_A is given");
  if (srpA === undefined) throw new InvalidParameterException("Missing required parameter SRP_A");
  if (parseSrpA(srpA) === undefined) throw new InvalidParameterException("Invalid SRP_A");
  return srpA;
}

/** The history Define first sees for a CUSTOM_AUTH that began with SRP_A. */
export const SRP_A_ENTRY: SessionEntry = { challengeName: "SRP_A", challengeResult: true, challengeMetadata: null } as unknown as SessionEntry;

/**
 * Define answered PASSWORD_VERIFIER: only right after the SRP_A entry. A user without a verifier
 * (unknown, or stored before SRP) gets a random one, so the answer looks the same and no
 * password can match it.
 */
export function passwordVerifierChallenge(ctx: PoolContext, subject: SrpSubject, history: SessionEntry[], srpA: string | undefined): object {
  const last = history[history.length - 1];
  if (srpA === undefined || history.length !== 1 || last?.challengeName !== "SRP_A") {
    throw new InvalidLambdaResponseException("Invalid lambda function output : Invalid JSON");
  }
  const verifier: SrpVerifier = subject.user?.srp ?? createSrpVerifier(srpPoolName(ctx.pool.id), subject.userName, randomBytes(32).toString("hex"));
  const handshake = startSrpHandshake(verifier);
  const secretBlock = randomBytes(96).toString("base64");
  const session = ctx.sessions.issue({
    username: subject.userName,
    userNotFound: subject.user === undefined,
    clientId: subject.client.clientId,
    challengeName: "PASSWORD_VERIFIER",
    history,
    privateChallengeParameters: {},
    challengeMetadata: null,
    srp: { A: srpA, b: handshake.b, B: handshake.B, salt: verifier.salt, verifier: verifier.verifier, secretBlock },
    expiresAt: ctx.now() + ctx.authSessionValidityMs,
  });
  return {
    ChallengeName: "PASSWORD_VERIFIER",
    Session: session,
    ChallengeParameters: { SALT: verifier.salt, SRP_B: handshake.B, SECRET_BLOCK: secretBlock, USER_ID_FOR_SRP: subject.userName, USERNAME: subject.userName },
  };
}

/**
 * RespondToAuthChallenge PASSWORD_VERIFIER inside CUSTOM_AUTH: checks the claim and returns the
 * subject and the history with the PASSWORD_VERIFIER entry, for Define to decide what follows.
 */
export async function verifyPasswordVerifierAnswer(
  ctx: PoolContext,
  client: AppClientConfig,
  request: { Session?: string | undefined; ChallengeResponses?: StringMap | undefined },
): Promise<{ subject: SrpSubject; history: SessionEntry[] }> {
  const responses = request.ChallengeResponses;
  const username = requireParameter(responses, "USERNAME");
  const signature = requireParameter(responses, "PASSWORD_CLAIM_SIGNATURE");
  const secretBlock = requireParameter(responses, "PASSWORD_CLAIM_SECRET_BLOCK");
  const timestamp = requireParameter(responses, "TIMESTAMP");
  if (request.Session === undefined) throw new InvalidParameterException("Missing required parameter Session");
  const issuedAt = parseSrpTimestamp(timestamp);
  if (issuedAt === undefined) throw new InvalidParameterException("TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.");

  const lookup = ctx.sessions.take(request.Session);
  if (lookup.kind === "unknown") throw new NotAuthorizedException(Messages.invalidSession);
  if (lookup.kind === "expired") throw new NotAuthorizedException(Messages.expiredSession);
  const session = lookup.session;
  if (session.clientId !== client.clientId || session.challengeName !== "PASSWORD_VERIFIER" || session.srp === undefined) {
    throw new NotAuthorizedException(Messages.invalidSession);
  }
  assertSecretHash(client, username, responses?.SECRET_HASH, "parameter");
  const user = session.userNotFound ? undefined : ctx.users.find(session.username);
  const named = session.userNotFound ? username.toLowerCase() === session.username.toLowerCase() : ctx.users.find(username) === user;
  if (!named) throw new NotAuthorizedException(Messages.invalidSession);
  if (user === undefined) throw new NotAuthorizedException(Messages.incorrectCredentials);

  const now = ctx.now();
  if (isLockedOut(user.failedSignIns, now)) throw new NotAuthorizedException(Messages.passwordAttemptsExceeded);
  const { srp } = session;
  const claimValid =
    Math.abs(issuedAt - now) <= SRP_TIMESTAMP_SKEW_MS &&
    secretBlock === srp.secretBlock &&
    verifyPasswordClaim(
      BigInt(`0x${srp.A}`),
      { b: srp.b, B: srp.B },
      { salt: srp.salt, verifier: srp.verifier },
      {
        poolName: srpPoolName(ctx.pool.id),
        userIdForSrp: session.username,
        secretBlock,
        timestamp,
        signature,
      },
    );
  if (!claimValid) {
    user.failedSignIns = recordFailure(user.failedSignIns, now);
    await ctx.users.save();
    throw new NotAuthorizedException(Messages.incorrectCredentials);
  }
  if (user.failedSignIns !== undefined) {
    delete user.failedSignIns;
    await ctx.users.save();
  }
  if (user.status === "RESET_REQUIRED") throw new PasswordResetRequiredException("Password reset required for the user");
  const verified = { challengeName: "PASSWORD_VERIFIER", challengeResult: true, challengeMetadata: null } as unknown as SessionEntry;
  return { subject: { userName: session.username, user, client }, history: [...session.history, verified] };
}
