import type { AppClientConfig } from "../../common/local-config";
import { InvalidLambdaResponseException, Messages, NotAuthorizedException } from "../errors";
import type { PoolContext } from "../pool";
import type { StoredUser } from "../state/user-store";
import type { SessionEntry, StringMap } from "../triggers";
import { passwordVerifierChallenge } from "./srp-custom-auth";

export interface CustomAuthSubject {
  /** The internal username, or the given name of a user that does not exist. */
  userName: string;
  user: StoredUser | undefined;
  client: AppClientConfig;
}

/**
 * One turn of Cognito's CUSTOM_AUTH state machine (docs/cognito-behaviour.md, "Custom authentication (CUSTOM_AUTH)"): Define
 * decides from the completed rounds; on CUSTOM_CHALLENGE, Create issues the next round and a
 * fresh Session; on issueTokens the tokens come back; failAuthentication is a wrong password to
 * the caller. `clientMetadata` is set only on RespondToAuthChallenge: InitiateAuth's never
 * reaches Define or Create (AWS API, InitiateAuth.ClientMetadata).
 */
export async function continueCustomAuth(
  ctx: PoolContext,
  subject: CustomAuthSubject,
  history: SessionEntry[],
  clientMetadata?: StringMap,
  /** SRP_A of an attempt that began with the password step (emulator/operations/srp-custom-auth.ts). */
  srpA?: string,
): Promise<object> {
  const { userName, user, client } = subject;
  const triggerSubject = { userName, user, clientId: client.clientId, ...(clientMetadata ? { clientMetadata } : {}) };
  const decision = await ctx.triggers.define(triggerSubject, history);
  if (decision.failAuthentication) throw new NotAuthorizedException(Messages.incorrectCredentials);
  if (decision.issueTokens) {
    // Never tokens for a user that does not exist, whatever a trigger says.
    if (user === undefined) throw new NotAuthorizedException(Messages.incorrectCredentials);
    return { ChallengeParameters: {}, AuthenticationResult: await ctx.tokens.signIn(user, client) };
  }
  if (decision.challengeName === "PASSWORD_VERIFIER") return passwordVerifierChallenge(ctx, subject, history, srpA);
  if (decision.challengeName !== "CUSTOM_CHALLENGE") {
    throw new InvalidLambdaResponseException("Invalid lambda function output : Invalid JSON");
  }
  const created = await ctx.triggers.create(triggerSubject, "CUSTOM_CHALLENGE", history);
  const session = ctx.sessions.issue({
    username: userName,
    userNotFound: user === undefined,
    clientId: client.clientId,
    challengeName: "CUSTOM_CHALLENGE",
    history,
    privateChallengeParameters: created.privateChallengeParameters,
    challengeMetadata: created.challengeMetadata,
    expiresAt: ctx.now() + ctx.authSessionValidityMs,
  });
  return {
    ChallengeName: "CUSTOM_CHALLENGE",
    Session: session,
    // The public parameters plus USERNAME, the internal username (what clients send back).
    ChallengeParameters: { ...created.publicChallengeParameters, USERNAME: userName },
  };
}
