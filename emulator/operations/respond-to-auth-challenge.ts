import { z } from "zod";
import { InvalidParameterException, Messages, NotAuthorizedException } from "../errors";
import { type Operation, requireClient } from "../pool";
import { assertSecretHash } from "../secret-hash";
import type { SessionEntry } from "../triggers";
import { Fields, awsEnum, parseInput, requireParameter } from "../validation";
import { continueCustomAuth } from "./custom-auth";
import { verifyPasswordVerifierAnswer } from "./srp-custom-auth";

const CHALLENGE_NAMES = [
  "SMS_MFA",
  "EMAIL_OTP",
  "SOFTWARE_TOKEN_MFA",
  "SELECT_MFA_TYPE",
  "MFA_SETUP",
  "PASSWORD_VERIFIER",
  "CUSTOM_CHALLENGE",
  "SELECT_CHALLENGE",
  "DEVICE_SRP_AUTH",
  "DEVICE_PASSWORD_VERIFIER",
  "ADMIN_NO_SRP_AUTH",
  "NEW_PASSWORD_REQUIRED",
  "SMS_OTP",
  "PASSWORD",
  "WEB_AUTHN",
  "PASSWORD_SRP",
] as const;

const input = z.object({
  ClientId: Fields.clientId,
  ChallengeName: awsEnum(CHALLENGE_NAMES),
  Session: Fields.session.optional(),
  ChallengeResponses: Fields.stringMap.optional(),
  ClientMetadata: Fields.stringMap.optional(),
  AnalyticsMetadata: z.unknown().optional(),
  UserContextData: z.unknown().optional(),
});

/**
 * RespondToAuthChallenge for CUSTOM_CHALLENGE: the Session is used up by this call whatever
 * its outcome; Verify judges the answer (with this call's ClientMetadata), the round joins the
 * history as one entry, and Define decides what comes next.
 */
export const respondToAuthChallenge: Operation = async (ctx, raw) => {
  const request = parseInput(input, raw);
  const client = requireClient(ctx, request.ClientId);
  if (request.ChallengeName === "PASSWORD_VERIFIER") {
    const { subject, history } = await verifyPasswordVerifierAnswer(ctx, client, request);
    return continueCustomAuth(ctx, subject, history, request.ClientMetadata);
  }
  const responses = request.ChallengeResponses;
  const username = requireParameter(responses, "USERNAME");
  if (request.ChallengeName !== "CUSTOM_CHALLENGE") {
    throw new InvalidParameterException(`${request.ChallengeName} is not supported by the local emulator.`);
  }
  const answer = requireParameter(responses, "ANSWER");
  if (request.Session === undefined) throw new InvalidParameterException("Missing required parameter Session");

  const lookup = ctx.sessions.take(request.Session);
  if (lookup.kind === "unknown") throw new NotAuthorizedException(Messages.invalidSession);
  if (lookup.kind === "expired") throw new NotAuthorizedException(Messages.expiredSession);
  const session = lookup.session;
  if (session.clientId !== client.clientId || session.challengeName !== "CUSTOM_CHALLENGE") throw new NotAuthorizedException(Messages.invalidSession);
  assertSecretHash(client, username, responses?.SECRET_HASH, "parameter");

  // USERNAME may be the internal name or an alias, but it must name the session's user.
  const user = session.userNotFound ? undefined : ctx.users.find(session.username);
  const named = session.userNotFound ? username.toLowerCase() === session.username.toLowerCase() : ctx.users.find(username) === user;
  if (!named) throw new NotAuthorizedException(Messages.invalidSession);
  if (!session.userNotFound && user === undefined) throw new NotAuthorizedException(Messages.incorrectCredentials);

  const subject = { userName: session.username, user, clientId: client.clientId, ...(request.ClientMetadata ? { clientMetadata: request.ClientMetadata } : {}) };
  const answerCorrect = await ctx.triggers.verify(subject, session.privateChallengeParameters, answer);
  const round = {
    challengeName: "CUSTOM_CHALLENGE",
    challengeResult: answerCorrect,
    // null when Create gave none, as in real events.
    challengeMetadata: session.challengeMetadata,
  } as SessionEntry;
  return continueCustomAuth(ctx, { userName: session.username, user, client }, [...session.history, round], request.ClientMetadata);
};
