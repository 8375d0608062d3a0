import { InitiateAuthCommand, RespondToAuthChallengeCommand } from "@aws-sdk/client-cognito-identity-provider";
import { createSrpSession, signSrpSession, wrapAuthChallenge, wrapInitiateAuth } from "cognito-srp-helper";
import { PASSWORD, type TestEmulator, bff, expectCognitoError, latestCode, poolId, secretHash, signUpConfirmed, startTestEmulator, uniqueEmail } from "./support";

/**
 * The emulator's SRP checked against an implementation that is not ours: cognito-srp-helper, a
 * published client written and tested against real Cognito (its group, hashing, the
 * PASSWORD_CLAIM_SIGNATURE over pool name, USER_ID_FOR_SRP, SECRET_BLOCK and TIMESTAMP). The
 * BFF's own client (bff/cognito/srp-client.ts) is tested against the emulator elsewhere; if both
 * sign in, the emulator and the BFF agree with Cognito's SRP, not only with each other.
 */

let t: TestEmulator;
beforeAll(async () => {
  // The public client stamps TIMESTAMP from the real clock, so the emulator keeps real time here.
  t = await startTestEmulator();
});
afterAll(async () => {
  await t.stop();
});

async function passwordVerifierRound(email: string, password: string) {
  const session = createSrpSession(email, password, poolId, false);
  const started = await t.cognito.send(
    new InitiateAuthCommand(
      wrapInitiateAuth(session, {
        AuthFlow: "CUSTOM_AUTH",
        ClientId: bff.clientId,
        AuthParameters: { USERNAME: email, SECRET_HASH: secretHash(email), CHALLENGE_NAME: "SRP_A" },
      }),
    ),
  );
  expect(started.ChallengeName).toBe("PASSWORD_VERIFIER");
  const signed = signSrpSession(session, started);
  const username = started.ChallengeParameters!.USERNAME!;
  return t.cognito.send(
    new RespondToAuthChallengeCommand(
      wrapAuthChallenge(signed, {
        ClientId: bff.clientId,
        ChallengeName: "PASSWORD_VERIFIER",
        Session: started.Session,
        ChallengeResponses: { USERNAME: username, SECRET_HASH: secretHash(username) },
      }),
    ),
  );
}

describe("emulator: SRP inside CUSTOM_AUTH with a public Cognito SRP client (cognito-srp-helper)", () => {
  it("accepts that client's password claim, then the code round issues tokens", async () => {
    const email = uniqueEmail("srp-public");
    await signUpConfirmed(t, email);
    const provide = await passwordVerifierRound(email, PASSWORD);
    expect(provide.ChallengeName).toBe("CUSTOM_CHALLENGE");
    expect(provide.ChallengeParameters!.step).toBe("PROVIDE_AUTH_PARAMETERS");
    const username = provide.ChallengeParameters!.USERNAME!;
    const otp = await t.cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: bff.clientId,
        ChallengeName: "CUSTOM_CHALLENGE",
        Session: provide.Session,
        ChallengeResponses: { USERNAME: username, ANSWER: "PROVIDE", SECRET_HASH: secretHash(username) },
        ClientMetadata: { signInMethod: "OTP" },
      }),
    );
    expect(otp.ChallengeParameters!.step).toBe("OTP");
    const done = await t.cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: bff.clientId,
        ChallengeName: "CUSTOM_CHALLENGE",
        Session: otp.Session,
        ChallengeResponses: { USERNAME: username, ANSWER: await latestCode(t.emulator.url, email), SECRET_HASH: secretHash(username) },
      }),
    );
    expect(done.AuthenticationResult?.IdToken).toBeDefined();
  });

  it("refuses that client's claim for a wrong password with NotAuthorizedException", async () => {
    const email = uniqueEmail("srp-public-wrong");
    await signUpConfirmed(t, email);
    await expectCognitoError(passwordVerifierRound(email, "Wrong-Horse-9"), "NotAuthorizedException", "Incorrect username or password.");
  });
});
