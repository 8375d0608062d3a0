import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type InitiateAuthCommandOutput,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeSecretHash } from "../../../bff/cognito/cognito-client";
import { computePasskeyProof } from "../../../common/custom-auth-protocol";
import { startTestStack, type TestStack } from "../../support/stack";
import { signUpConfirmed } from "../bff/flows";

/**
 * The trigger protocol holds without the BFF: a caller that talks to Cognito (the emulator
 * running the project's triggers) directly with the app client's secret cannot pass the
 * PASSKEY round by claiming WEBAUTHN_SUCCESS; it needs the HMAC proof only the BFF can make.
 */
describe("Cognito (emulator + triggers) refuses WEBAUTHN_SUCCESS without a valid proof", () => {
  let stack: TestStack;
  let cognito: CognitoIdentityProviderClient;
  beforeAll(async () => {
    stack = await startTestStack();
    cognito = new CognitoIdentityProviderClient({
      region: stack.config.cognito.region,
      endpoint: stack.config.cognito.endpoint,
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
  });
  afterAll(async () => {
    cognito.destroy();
    await stack.close();
  });

  const secretHash = (username: string) => computeSecretHash(stack.config.cognito, username);

  async function passkeyRound(email: string): Promise<InitiateAuthCommandOutput> {
    const provide = await cognito.send(
      new InitiateAuthCommand({
        ClientId: stack.config.cognito.clientId,
        AuthFlow: "CUSTOM_AUTH",
        AuthParameters: { USERNAME: email, SECRET_HASH: secretHash(email) },
      }),
    );
    return respond(provide, "PROVIDE", { signInMethod: "PASSKEY" });
  }

  function respond(previous: InitiateAuthCommandOutput, answer: string, clientMetadata?: Record<string, string>) {
    const username = previous.ChallengeParameters!.USERNAME!;
    return cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: stack.config.cognito.clientId,
        ChallengeName: "CUSTOM_CHALLENGE",
        Session: previous.Session,
        ChallengeResponses: { USERNAME: username, ANSWER: answer, SECRET_HASH: secretHash(username) },
        ClientMetadata: clientMetadata,
      }),
    );
  }

  it("issues no tokens for bare WEBAUTHN_SUCCESS answers and ends the attempt after the allowed tries", async () => {
    const { email } = await signUpConfirmed(stack);
    let round = await passkeyRound(email);
    expect(round.ChallengeParameters?.step).toBe("PASSKEY");
    for (let attempt = 1; attempt < stack.config.signIn.maxCodeAttempts; attempt += 1) {
      round = await respond(round, "WEBAUTHN_SUCCESS");
      expect(round.AuthenticationResult).toBeUndefined();
      expect(round.ChallengeParameters?.step).toBe("PASSKEY");
    }
    await expect(respond(round, "WEBAUTHN_SUCCESS")).rejects.toMatchObject({ name: "NotAuthorizedException" });
  });

  it("issues no tokens for a proof made with the wrong secret or for another round", async () => {
    const { email } = await signUpConfirmed(stack);
    const round = await passkeyRound(email);
    const username = round.ChallengeParameters!.USERNAME!;
    const wrongSecret = await respond(round, "WEBAUTHN_SUCCESS", {
      passkeyProof: computePasskeyProof("not-the-shared-secret-0000000000000000", username, round.ChallengeParameters!.nonce!),
    });
    expect(wrongSecret.AuthenticationResult).toBeUndefined();
    const staleNonce = await respond(wrongSecret, "WEBAUTHN_SUCCESS", {
      passkeyProof: computePasskeyProof(stack.config.passkeyProofSecret, username, round.ChallengeParameters!.nonce!),
    });
    expect(staleNonce.AuthenticationResult).toBeUndefined();
  });
});
