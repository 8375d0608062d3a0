import { InitiateAuthCommand, type InitiateAuthCommandOutput, RespondToAuthChallengeCommand } from "@aws-sdk/client-cognito-identity-provider";
import { passwordClaim, startSrpHandshake } from "../../../bff/cognito/srp-client";
import { computeSignUpProof } from "../../../common/custom-auth-protocol";
import {
  PASSWORD,
  type TestEmulator,
  bff,
  config,
  expectCognitoError,
  latestCode,
  outboxFor,
  poolId,
  secretHash,
  signUpConfirmed,
  startTestEmulator,
  testClock,
  uniqueEmail,
} from "./support";

/**
 * The password inside CUSTOM_AUTH, driven through the AWS SDK with the BFF's SRP helper:
 * InitiateAuth CUSTOM_AUTH + SRP_A → PASSWORD_VERIFIER → the PROVIDE round → the code round.
 * Whoever holds the app client's secret still needs both factors for tokens.
 */

const clock = testClock();
let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator({ now: clock.now });
});
afterAll(async () => {
  await t.stop();
});

async function startWithSrp(email: string) {
  const handshake = startSrpHandshake();
  const output = await t.cognito.send(
    new InitiateAuthCommand({
      AuthFlow: "CUSTOM_AUTH",
      ClientId: bff.clientId,
      AuthParameters: { USERNAME: email, SECRET_HASH: secretHash(email), CHALLENGE_NAME: "SRP_A", SRP_A: handshake.srpA },
    }),
  );
  return { handshake, output };
}

function claimFor(start: Awaited<ReturnType<typeof startWithSrp>>, password: string, at = new Date(clock.now())) {
  const parameters = start.output.ChallengeParameters!;
  return passwordClaim({
    handshake: start.handshake,
    userPoolId: poolId,
    password,
    parameters: { SALT: parameters.SALT!, SRP_B: parameters.SRP_B!, SECRET_BLOCK: parameters.SECRET_BLOCK!, USER_ID_FOR_SRP: parameters.USER_ID_FOR_SRP! },
    at,
  });
}

function answerVerifier(previous: InitiateAuthCommandOutput, claim: ReturnType<typeof claimFor>) {
  const username = previous.ChallengeParameters!.USERNAME!;
  return t.cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: bff.clientId,
      ChallengeName: "PASSWORD_VERIFIER",
      Session: previous.Session,
      ChallengeResponses: { USERNAME: username, SECRET_HASH: secretHash(username), ...claim },
    }),
  );
}

function answerCustom(
  previous: { Session?: string | undefined; ChallengeParameters?: Record<string, string> | undefined },
  value: string,
  clientMetadata?: Record<string, string>,
) {
  const username = previous.ChallengeParameters!.USERNAME!;
  return t.cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: bff.clientId,
      ChallengeName: "CUSTOM_CHALLENGE",
      Session: previous.Session,
      ChallengeResponses: { USERNAME: username, ANSWER: value, SECRET_HASH: secretHash(username) },
      ...(clientMetadata ? { ClientMetadata: clientMetadata } : {}),
    }),
  );
}

describe("emulator: the password inside CUSTOM_AUTH (SRP)", () => {
  it("answers SRP_A with PASSWORD_VERIFIER and Cognito's parameters", async () => {
    const email = uniqueEmail("srp-params");
    const sub = await signUpConfirmed(t, email);
    const { output } = await startWithSrp(email);
    expect(output.ChallengeName).toBe("PASSWORD_VERIFIER");
    expect(output.Session!.length).toBeGreaterThanOrEqual(20);
    expect(output.ChallengeParameters).toMatchObject({ USER_ID_FOR_SRP: sub, USERNAME: sub });
    expect(output.ChallengeParameters!.SRP_B).toMatch(/^[0-9a-f]+$/);
    expect(output.ChallengeParameters!.SALT).toMatch(/^[0-9a-f]+$/);
  });

  it("with the right password and then the right code, issues tokens", async () => {
    const email = uniqueEmail("srp-right");
    await signUpConfirmed(t, email);
    const start = await startWithSrp(email);
    const provide = await answerVerifier(start.output, claimFor(start, PASSWORD));
    expect(provide.ChallengeName).toBe("CUSTOM_CHALLENGE");
    expect(provide.ChallengeParameters!.step).toBe("PROVIDE_AUTH_PARAMETERS");
    const otp = await answerCustom(provide, "PROVIDE", { signInMethod: "OTP" });
    expect(otp.ChallengeParameters!.step).toBe("OTP");
    const done = await answerCustom(otp, await latestCode(t.emulator.url, email));
    expect(done.AuthenticationResult?.IdToken).toBeDefined();
  });

  it("refuses a wrong password with NotAuthorizedException, before any code is sent", async () => {
    const email = uniqueEmail("srp-wrong");
    await signUpConfirmed(t, email);
    const mailsBefore = (await outboxFor(t.emulator.url, email)).length;
    const start = await startWithSrp(email);
    await expectCognitoError(answerVerifier(start.output, claimFor(start, "Wrong-Horse-9")), "NotAuthorizedException", "Incorrect username or password.");
    expect((await outboxFor(t.emulator.url, email)).length).toBe(mailsBefore);
  });

  it("refuses a claim whose TIMESTAMP is far from the pool's clock", async () => {
    const email = uniqueEmail("srp-skew");
    await signUpConfirmed(t, email);
    const start = await startWithSrp(email);
    const stale = claimFor(start, PASSWORD, new Date(clock.now() - 60 * 60_000));
    await expectCognitoError(answerVerifier(start.output, stale), "NotAuthorizedException", "Incorrect username or password.");
  });

  it("refuses a TIMESTAMP changed after signing", async () => {
    const email = uniqueEmail("srp-altered");
    await signUpConfirmed(t, email);
    const start = await startWithSrp(email);
    const claim = claimFor(start, PASSWORD, new Date(Date.UTC(2030, 0, 1, 10, 0, 0)));
    const real = claimFor(start, PASSWORD);
    await expectCognitoError(answerVerifier(start.output, { ...claim, TIMESTAMP: real.TIMESTAMP }), "NotAuthorizedException");
  });

  it("refuses a TIMESTAMP not in Cognito's format with InvalidParameterException", async () => {
    const email = uniqueEmail("srp-format");
    await signUpConfirmed(t, email);
    const start = await startWithSrp(email);
    const claim = claimFor(start, PASSWORD);
    await expectCognitoError(answerVerifier(start.output, { ...claim, TIMESTAMP: new Date(clock.now()).toISOString() }), "InvalidParameterException");
  });

  it("refuses a PASSWORD_VERIFIER session used a second time", async () => {
    const email = uniqueEmail("srp-reuse");
    await signUpConfirmed(t, email);
    const start = await startWithSrp(email);
    const claim = claimFor(start, PASSWORD);
    await answerVerifier(start.output, claim);
    await expectCognitoError(answerVerifier(start.output, claim), "NotAuthorizedException", "Invalid session for the user.");
  });

  it("refuses an SRP_A that is zero modulo N", async () => {
    const email = uniqueEmail("srp-zero");
    await signUpConfirmed(t, email);
    await expectCognitoError(
      t.cognito.send(
        new InitiateAuthCommand({
          AuthFlow: "CUSTOM_AUTH",
          ClientId: bff.clientId,
          AuthParameters: { USERNAME: email, SECRET_HASH: secretHash(email), CHALLENGE_NAME: "SRP_A", SRP_A: "00" },
        }),
      ),
      "InvalidParameterException",
    );
  });
});

describe("with only the app client's secret, one factor never yields Cognito tokens", () => {
  it("the password alone: after PASSWORD_VERIFIER Cognito asks for a second round, never tokens", async () => {
    const email = uniqueEmail("one-factor-password");
    await signUpConfirmed(t, email);
    const start = await startWithSrp(email);
    const provide = await answerVerifier(start.output, claimFor(start, PASSWORD));
    expect(provide.AuthenticationResult).toBeUndefined();
    expect(provide.ChallengeName).toBe("CUSTOM_CHALLENGE");
  });

  it("the code alone: CUSTOM_AUTH without the password refuses to send a code", async () => {
    const email = uniqueEmail("one-factor-code");
    await signUpConfirmed(t, email);
    const mailsBefore = (await outboxFor(t.emulator.url, email)).length;
    const provide = await t.cognito.send(
      new InitiateAuthCommand({ AuthFlow: "CUSTOM_AUTH", ClientId: bff.clientId, AuthParameters: { USERNAME: email, SECRET_HASH: secretHash(email) } }),
    );
    await expectCognitoError(answerCustom(provide, "PROVIDE", { signInMethod: "OTP" }), "NotAuthorizedException", "Incorrect username or password.");
    expect((await outboxFor(t.emulator.url, email)).length).toBe(mailsBefore);
  });

  it("the password alone through USER_PASSWORD_AUTH: the BFF's client no longer allows that flow", async () => {
    const email = uniqueEmail("one-factor-upa");
    await signUpConfirmed(t, email);
    await expectCognitoError(
      t.cognito.send(
        new InitiateAuthCommand({
          AuthFlow: "USER_PASSWORD_AUTH",
          ClientId: bff.clientId,
          AuthParameters: { USERNAME: email, PASSWORD, SECRET_HASH: secretHash(email) },
        }),
      ),
      "InvalidParameterException",
    );
  });
});

describe("right after sign-up: the password, then the BFF's sign-up proof", () => {
  const proofSecret = () => config.triggers.passkeyProofSecret;

  it("issues tokens for the password (SRP) and a sign-up proof bound to the round", async () => {
    const email = uniqueEmail("signup-proof");
    await signUpConfirmed(t, email);
    const start = await startWithSrp(email);
    const provide = await answerVerifier(start.output, claimFor(start, PASSWORD));
    const round = await answerCustom(provide, "PROVIDE", { signInMethod: "SIGN_UP_CONFIRMED" });
    expect(round.ChallengeParameters!.step).toBe("SIGN_UP_CONFIRMED");
    const username = round.ChallengeParameters!.USERNAME!;
    const done = await answerCustom(round, "SIGN_UP_CONFIRMED", { signUpProof: computeSignUpProof(proofSecret(), username, round.ChallengeParameters!.nonce!) });
    expect(done.AuthenticationResult?.IdToken).toBeDefined();
  });

  it("refuses the sign-up proof without the password: no round is even offered", async () => {
    const email = uniqueEmail("signup-proof-alone");
    await signUpConfirmed(t, email);
    const provide = await t.cognito.send(
      new InitiateAuthCommand({ AuthFlow: "CUSTOM_AUTH", ClientId: bff.clientId, AuthParameters: { USERNAME: email, SECRET_HASH: secretHash(email) } }),
    );
    await expectCognitoError(answerCustom(provide, "PROVIDE", { signInMethod: "SIGN_UP_CONFIRMED" }), "NotAuthorizedException");
  });

  it("ends the attempt on a wrong sign-up proof", async () => {
    const email = uniqueEmail("signup-proof-wrong");
    await signUpConfirmed(t, email);
    const start = await startWithSrp(email);
    const provide = await answerVerifier(start.output, claimFor(start, PASSWORD));
    const round = await answerCustom(provide, "PROVIDE", { signInMethod: "SIGN_UP_CONFIRMED" });
    const username = round.ChallengeParameters!.USERNAME!;
    await expectCognitoError(
      answerCustom(round, "SIGN_UP_CONFIRMED", { signUpProof: computeSignUpProof(proofSecret(), username, "not-this-round") }),
      "NotAuthorizedException",
    );
  });
});

describe("after the password step, the code round", () => {
  it("counts wrong codes down and fails the third; a resend sends a fresh code without costing a try", async () => {
    const email = uniqueEmail("srp-count");
    await signUpConfirmed(t, email);
    const start = await startWithSrp(email);
    const provide = await answerVerifier(start.output, claimFor(start, PASSWORD));
    const otp = await answerCustom(provide, "PROVIDE", { signInMethod: "OTP" });
    const first = await latestCode(t.emulator.url, email);
    const wrong = first === "000000" ? "111111" : "000000";
    const resent = await answerCustom(otp, "RESEND", { codeResend: "true" });
    expect(resent.ChallengeParameters!.attemptsLeft).toBe("3");
    const second = await latestCode(t.emulator.url, email);
    expect(second).not.toBe(first);
    const once = await answerCustom(resent, wrong === second ? "222222" : wrong);
    expect(once.ChallengeParameters!.attemptsLeft).toBe("2");
    const twice = await answerCustom(once, wrong === second ? "222222" : wrong);
    expect(twice.ChallengeParameters!.attemptsLeft).toBe("1");
    await expectCognitoError(answerCustom(twice, wrong === second ? "222222" : wrong), "NotAuthorizedException");
  });
});
