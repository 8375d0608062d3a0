import {
  type CognitoIdentityProviderClient,
  InitiateAuthCommand,
  type InitiateAuthCommandOutput,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { CreateAuthChallengeTriggerEvent, DefineAuthChallengeTriggerEvent, VerifyAuthChallengeResponseTriggerEvent } from "aws-lambda";
import { passwordClaim, startSrpHandshake } from "../../../bff/cognito/srp-client";
import { computePasskeyProof } from "../../../common/custom-auth-protocol";
import { createProjectTriggers } from "../../../emulator/triggers";
import {
  PASSWORD,
  type TestEmulator,
  bff,
  config,
  expectCognitoError,
  latestCode,
  legacyClientId,
  noRevocationClientId,
  otherCode,
  outboxFor,
  secretHash,
  signUp,
  signUpConfirmed,
  startTestEmulator,
  testClock,
  uniqueEmail,
} from "./support";

const clock = testClock();
let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator({ now: clock.now });
});
afterAll(async () => {
  await t.stop();
});

/** CUSTOM_AUTH without the password (passkey-first): the PROVIDE round at once. */
function startWithoutPassword(cognito: CognitoIdentityProviderClient, email: string, clientMetadata?: Record<string, string>) {
  return cognito.send(
    new InitiateAuthCommand({
      AuthFlow: "CUSTOM_AUTH",
      ClientId: bff.clientId,
      AuthParameters: { USERNAME: email, SECRET_HASH: secretHash(email) },
      ...(clientMetadata ? { ClientMetadata: clientMetadata } : {}),
    }),
  );
}

/**
 * CUSTOM_AUTH with the password step inside it (SRP_A → PASSWORD_VERIFIER, the BFF's SRP helper):
 * the answer is the first custom round, as the BFF sees it. A code is never offered without it.
 */
async function start(cognito: CognitoIdentityProviderClient, email: string, clientMetadata?: Record<string, string>) {
  const handshake = startSrpHandshake();
  const initiated = await cognito.send(
    new InitiateAuthCommand({
      AuthFlow: "CUSTOM_AUTH",
      ClientId: bff.clientId,
      AuthParameters: { USERNAME: email, SECRET_HASH: secretHash(email), CHALLENGE_NAME: "SRP_A", SRP_A: handshake.srpA },
      ...(clientMetadata ? { ClientMetadata: clientMetadata } : {}),
    }),
  );
  const parameters = initiated.ChallengeParameters!;
  const username = parameters.USERNAME!;
  const claim = passwordClaim({
    handshake,
    userPoolId: config.userPool.id,
    password: PASSWORD,
    parameters: { SALT: parameters.SALT!, SRP_B: parameters.SRP_B!, SECRET_BLOCK: parameters.SECRET_BLOCK!, USER_ID_FOR_SRP: parameters.USER_ID_FOR_SRP! },
    at: new Date(clock.now()),
  });
  return cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: bff.clientId,
      ChallengeName: "PASSWORD_VERIFIER",
      Session: initiated.Session,
      ChallengeResponses: { USERNAME: username, SECRET_HASH: secretHash(username), ...claim },
    }),
  );
}

function answer(
  cognito: CognitoIdentityProviderClient,
  previous: Pick<InitiateAuthCommandOutput, "Session" | "ChallengeParameters">,
  value: string,
  clientMetadata?: Record<string, string>,
) {
  const username = previous.ChallengeParameters!.USERNAME!;
  return cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: bff.clientId,
      ChallengeName: "CUSTOM_CHALLENGE",
      Session: previous.Session,
      ChallengeResponses: { USERNAME: username, ANSWER: value, SECRET_HASH: secretHash(username) },
      ...(clientMetadata ? { ClientMetadata: clientMetadata } : {}),
    }),
  );
}

async function otpRound(cognito: CognitoIdentityProviderClient, email: string) {
  const first = await start(cognito, email);
  return answer(cognito, first, "PROVIDE", { signInMethod: "OTP" });
}

describe("CUSTOM_AUTH", () => {
  test("signs in with a one-time code: PROVIDE, then OTP, then tokens", async () => {
    const email = uniqueEmail();
    const sub = await signUpConfirmed(t, email);
    const first = await start(t.cognito, email);
    expect(first.ChallengeName).toBe("CUSTOM_CHALLENGE");
    expect(first.Session!.length).toBeGreaterThanOrEqual(20);
    expect(first.ChallengeParameters).toEqual({ USERNAME: sub, step: "PROVIDE_AUTH_PARAMETERS" });

    const otp = await answer(t.cognito, first, "PROVIDE", { signInMethod: "OTP" });
    expect(otp.ChallengeParameters).toEqual({ USERNAME: sub, step: "OTP", destination: "u***@e***", attemptsLeft: "3" });
    expect(otp.Session).not.toBe(first.Session);

    const done = await answer(t.cognito, otp, await latestCode(t.emulator.url, email));
    expect(done.ChallengeName).toBeUndefined();
    expect(done.AuthenticationResult).toMatchObject({ TokenType: "Bearer", ExpiresIn: 3600 });
    expect(done.AuthenticationResult!.RefreshToken).toBeDefined();
  });

  test("sends no code in the PROVIDE round", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const before = (await outboxFor(t.emulator.url, email)).length;
    await start(t.cognito, email);
    expect(await outboxFor(t.emulator.url, email)).toHaveLength(before);
  });

  test("counts wrong codes down and fails the third with NotAuthorizedException", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    let round = await otpRound(t.cognito, email);
    for (const attemptsLeft of ["2", "1"]) {
      round = await answer(t.cognito, round, otherCode(await latestCode(t.emulator.url, email)));
      expect(round.ChallengeParameters).toMatchObject({ step: "OTP", attemptsLeft });
    }
    await expectCognitoError(answer(t.cognito, round, otherCode(await latestCode(t.emulator.url, email))), "NotAuthorizedException", "Incorrect username or password.");
  });

  test("refuses a Session that was already answered", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const first = await start(t.cognito, email);
    await answer(t.cognito, first, "PROVIDE", { signInMethod: "OTP" });
    await expectCognitoError(answer(t.cognito, first, "PROVIDE", { signInMethod: "OTP" }), "NotAuthorizedException", "Invalid session for the user.");
  });

  test("refuses a Session older than the auth session validity", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const first = await start(t.cognito, email);
    clock.advance(config.userPool.authSessionValidityMinutes * 60_000 + 1000);
    await expectCognitoError(answer(t.cognito, first, "PROVIDE", { signInMethod: "OTP" }), "NotAuthorizedException", "Invalid session for the user, session is expired.");
  });

  test("treats a bare WEBAUTHN_SUCCESS as a wrong answer", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const first = await start(t.cognito, email);
    const passkey = await answer(t.cognito, first, "PROVIDE", { signInMethod: "PASSKEY" });
    expect(passkey.ChallengeParameters).toMatchObject({ step: "PASSKEY" });
    const next = await answer(t.cognito, passkey, "WEBAUTHN_SUCCESS");
    expect(next.AuthenticationResult).toBeUndefined();
    expect(next.ChallengeParameters?.step).toBe("PASSKEY");
    expect(next.ChallengeParameters?.nonce).not.toBe(passkey.ChallengeParameters?.nonce);
  });

  test("accepts WEBAUTHN_SUCCESS with a valid passkey proof for this user and round", async () => {
    const email = uniqueEmail();
    const sub = await signUpConfirmed(t, email);
    const first = await start(t.cognito, email);
    const passkey = await answer(t.cognito, first, "PROVIDE", { signInMethod: "PASSKEY" });
    const before = (await outboxFor(t.emulator.url, email)).length;
    const proof = computePasskeyProof(config.triggers.passkeyProofSecret, sub, passkey.ChallengeParameters!.nonce!);
    const done = await answer(t.cognito, passkey, "WEBAUTHN_SUCCESS", { passkeyProof: proof });
    expect(done.AuthenticationResult?.AccessToken).toBeDefined();
    expect(await outboxFor(t.emulator.url, email)).toHaveLength(before);
  });

  test("does not let InitiateAuth's ClientMetadata skip the PROVIDE round", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const before = (await outboxFor(t.emulator.url, email)).length;
    const first = await start(t.cognito, email, { signInMethod: "OTP" });
    expect(first.ChallengeParameters?.step).toBe("PROVIDE_AUTH_PARAMETERS");
    expect(await outboxFor(t.emulator.url, email)).toHaveLength(before);
  });

  test("answers an unknown user like a wrong password", async () => {
    await expectCognitoError(start(t.cognito, uniqueEmail("ghost")), "NotAuthorizedException", "Incorrect username or password.");
  });

  test("reveals an unknown user on a LEGACY client", async () => {
    await expectCognitoError(
      t.cognito.send(new InitiateAuthCommand({ AuthFlow: "CUSTOM_AUTH", ClientId: legacyClientId, AuthParameters: { USERNAME: uniqueEmail("ghost") } })),
      "UserNotFoundException",
      "User does not exist.",
    );
  });

  test("refuses an unconfirmed user", async () => {
    const email = uniqueEmail();
    await signUp(t, email);
    await expectCognitoError(start(t.cognito, email), "UserNotConfirmedException", "User is not confirmed.");
  });

  test("refuses the flow on a client that does not enable it", async () => {
    await expectCognitoError(
      t.cognito.send(new InitiateAuthCommand({ AuthFlow: "CUSTOM_AUTH", ClientId: noRevocationClientId, AuthParameters: { USERNAME: uniqueEmail() } })),
      "InvalidParameterException",
      "CUSTOM_AUTH flow not enabled for this client",
    );
  });

  test("refuses an answer without SECRET_HASH", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const first = await start(t.cognito, email);
    await expectCognitoError(
      t.cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: bff.clientId,
          ChallengeName: "CUSTOM_CHALLENGE",
          Session: first.Session,
          ChallengeResponses: { USERNAME: first.ChallengeParameters!.USERNAME!, ANSWER: "PROVIDE" },
        }),
      ),
      "NotAuthorizedException",
      `Client ${bff.clientId} is configured with secret but SECRET_HASH was not received`,
    );
  });

  test("refuses an answer naming another user than the session's", async () => {
    const email = uniqueEmail();
    const other = uniqueEmail();
    await signUpConfirmed(t, email);
    const otherSub = await signUpConfirmed(t, other);
    const first = await start(t.cognito, email);
    await expectCognitoError(
      t.cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: bff.clientId,
          ChallengeName: "CUSTOM_CHALLENGE",
          Session: first.Session,
          ChallengeResponses: { USERNAME: otherSub, ANSWER: "PROVIDE", SECRET_HASH: secretHash(otherSub) },
          ClientMetadata: { signInMethod: "OTP" },
        }),
      ),
      "NotAuthorizedException",
      "Invalid session for the user.",
    );
  });

  test("requires ANSWER in the challenge responses", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const first = await start(t.cognito, email);
    const username = first.ChallengeParameters!.USERNAME!;
    await expectCognitoError(
      t.cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: bff.clientId,
          ChallengeName: "CUSTOM_CHALLENGE",
          Session: first.Session,
          ChallengeResponses: { USERNAME: username, SECRET_HASH: secretHash(username) },
        }),
      ),
      "InvalidParameterException",
      "Missing required parameter ANSWER",
    );
  });
});

describe("CUSTOM_AUTH trigger events", () => {
  type Recorded = DefineAuthChallengeTriggerEvent | CreateAuthChallengeTriggerEvent | VerifyAuthChallengeResponseTriggerEvent;
  const events: Recorded[] = [];
  let recording: TestEmulator;

  beforeAll(async () => {
    // The project's handlers, wrapped to record what the emulator hands them.
    const project = createProjectTriggers(config, { send: async () => undefined }, Date.now);
    recording = await startTestEmulator({
      triggers: {
        defineAuthChallenge: async (event) => {
          events.push(structuredClone(event));
          return project.defineAuthChallenge(event);
        },
        createAuthChallenge: async (event) => {
          events.push(structuredClone(event));
          return project.createAuthChallenge(event);
        },
        verifyAuthChallengeResponse: async (event) => {
          events.push(structuredClone(event));
          return project.verifyAuthChallengeResponse(event);
        },
      },
    });
  });
  afterAll(async () => {
    await recording.stop();
  });

  test("passes ClientMetadata to the challenge triggers only from RespondToAuthChallenge", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(recording, email);
    events.length = 0;
    const first = await startWithoutPassword(recording.cognito, email, { signInMethod: "OTP", fromInitiate: "yes" });
    const initiateEvents = events.splice(0);
    expect(initiateEvents.map((event) => event.triggerSource)).toEqual(["DefineAuthChallenge_Authentication", "CreateAuthChallenge_Authentication"]);
    for (const event of initiateEvents) expect(event.request).not.toHaveProperty("clientMetadata");

    await answer(recording.cognito, first, "PROVIDE", { signInMethod: "PASSKEY" });
    const respondEvents = events.splice(0);
    expect(respondEvents.map((event) => event.triggerSource)).toEqual([
      "VerifyAuthChallengeResponse_Authentication",
      "DefineAuthChallenge_Authentication",
      "CreateAuthChallenge_Authentication",
    ]);
    for (const event of respondEvents) expect(event.request.clientMetadata).toEqual({ signInMethod: "PASSKEY" });
  });

  test("builds Cognito-shaped events with the internal username and merged session history", async () => {
    const email = uniqueEmail();
    const sub = await signUpConfirmed(recording, email);
    const first = await startWithoutPassword(recording.cognito, email);
    events.length = 0;
    await answer(recording.cognito, first, "PROVIDE", { signInMethod: "PASSKEY" });
    const [verify, define] = events as [VerifyAuthChallengeResponseTriggerEvent, DefineAuthChallengeTriggerEvent];
    expect(verify).toMatchObject({
      version: "1",
      region: config.region,
      userPoolId: config.userPool.id,
      userName: sub,
      callerContext: { awsSdkVersion: expect.any(String), clientId: bff.clientId },
      request: { privateChallengeParameters: { step: "PROVIDE_AUTH_PARAMETERS" }, challengeAnswer: "PROVIDE" },
    });
    expect(verify.request.userAttributes).toEqual({
      sub,
      email,
      email_verified: "true",
      "cognito:user_status": "CONFIRMED",
      "cognito:email_alias": email,
    });
    expect(verify.request).not.toHaveProperty("userNotFound");
    expect(define.request.session).toEqual([
      { challengeName: "CUSTOM_CHALLENGE", challengeResult: true, challengeMetadata: expect.stringMatching(/^PROVIDE_AUTH_PARAMETERS:[\w-]{22}$/) },
    ]);
  });
});

describe("CUSTOM_AUTH trigger failures", () => {
  test("maps a throwing trigger to UserLambdaValidationException with the trigger's name", async () => {
    const failing = await startTestEmulator({
      triggers: {
        defineAuthChallenge: async () => {
          throw new Error("boom");
        },
      },
    });
    try {
      const email = uniqueEmail();
      await signUpConfirmed(failing, email);
      await expectCognitoError(start(failing.cognito, email), "UserLambdaValidationException", "DefineAuthChallenge failed with error boom.");
    } finally {
      await failing.stop();
    }
  });

  test("maps unusable trigger output to InvalidLambdaResponseException", async () => {
    const broken = await startTestEmulator({
      triggers: {
        createAuthChallenge: async (event) => ({ ...event, response: { publicChallengeParameters: "not a map" } }) as unknown as CreateAuthChallengeTriggerEvent,
      },
    });
    try {
      const email = uniqueEmail();
      await signUpConfirmed(broken, email);
      await expectCognitoError(startWithoutPassword(broken.cognito, email), "InvalidLambdaResponseException", "Invalid lambda function output : Invalid JSON");
    } finally {
      await broken.stop();
    }
  });
});
