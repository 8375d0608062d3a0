/**
 * A walk through the local Cognito emulator with nothing but the AWS SDK (plus fetch for the
 * local outbox and jose to check token signatures against the pool's JWKS).
 *
 *   npm run emulator                              # in one terminal
 *   npx tsx examples/emulator-walkthrough.ts      # in another; optional argument: the emulator URL
 *
 * It signs an email user up, confirms them with the emailed code, signs in as the BFF does —
 * CUSTOM_AUTH with the password by SRP (PASSWORD_VERIFIER), then PROVIDE → OTP → tokens
 * (common/custom-auth-protocol.ts) — and shows Cognito's answers to USER_PASSWORD_AUTH (not
 * allowed for this client), a wrong password, a missing or wrong SECRET_HASH, a reused Session,
 * three wrong codes and a bare passkey answer without its proof. Exits non-zero when any step does
 * not go as expected.
 */
import { createHmac } from "node:crypto";
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  type InitiateAuthCommandOutput,
  RespondToAuthChallengeCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { passwordClaim, startSrpHandshake } from "../bff/cognito/srp-client";
import { ChallengeAnswer, ChallengeStep, ClientMetadataKey, type ChallengeMethod } from "../common/custom-auth-protocol";
import { loadLocalConfig } from "../common/local-config";

const config = loadLocalConfig();
const endpoint = process.argv[2] ?? `http://127.0.0.1:${config.ports.emulator}`;
const client = config.userPool.clients[0]!;
const clientSecret = client.clientSecret;
if (clientSecret === undefined) throw new Error("The walkthrough expects the first app client to have a secret");

const cognito = new CognitoIdentityProviderClient({
  region: config.region,
  endpoint,
  maxAttempts: 1,
  credentials: { accessKeyId: "local", secretAccessKey: "local" },
});

/** SECRET_HASH = Base64(HMAC-SHA256(client secret, username + client id)). */
function secretHash(username: string): string {
  return createHmac("sha256", clientSecret!)
    .update(username + client.clientId)
    .digest("base64");
}

let step = 0;
function say(text: string): void {
  step += 1;
  console.log(`\n${step}. ${text}`);
}

/** Runs a call that must fail and prints Cognito's error; throws when it succeeds or fails differently. */
async function expectError(call: Promise<unknown>, name: string): Promise<void> {
  try {
    await call;
  } catch (error) {
    const { name: actual, message } = error as Error;
    console.log(`   → ${actual}: ${message}`);
    if (actual !== name) throw new Error(`expected ${name}, got ${actual}`, { cause: error });
    return;
  }
  throw new Error(`expected ${name}, but the call succeeded`);
}

async function latestCode(to: string): Promise<string> {
  const response = await fetch(`${endpoint}/_local/outbox?to=${encodeURIComponent(to)}`);
  const [latest] = (await response.json()) as { code: string; subject: string }[];
  if (latest === undefined) throw new Error(`no message for ${to} in the outbox`);
  console.log(`   outbox: "${latest.subject}" → code ${latest.code}`);
  return latest.code;
}

/** CUSTOM_AUTH without the password: only a passkey may follow. */
function startCustomAuth(email: string, hash: string | null = secretHash(email)) {
  return cognito.send(
    new InitiateAuthCommand({
      AuthFlow: "CUSTOM_AUTH",
      ClientId: client.clientId,
      AuthParameters: { USERNAME: email, ...(hash === null ? {} : { SECRET_HASH: hash }) },
    }),
  );
}

/** CUSTOM_AUTH with SRP_A, then the PASSWORD_VERIFIER answer: Cognito checks the password itself. */
async function startWithPassword(email: string, password: string) {
  const handshake = startSrpHandshake();
  const started = await cognito.send(
    new InitiateAuthCommand({
      AuthFlow: "CUSTOM_AUTH",
      ClientId: client.clientId,
      AuthParameters: { USERNAME: email, SECRET_HASH: secretHash(email), CHALLENGE_NAME: "SRP_A", SRP_A: handshake.srpA },
    }),
  );
  const { SALT, SRP_B, SECRET_BLOCK, USER_ID_FOR_SRP, USERNAME } = started.ChallengeParameters ?? {};
  const claim = passwordClaim({
    handshake,
    userPoolId: config.userPool.id,
    password,
    parameters: { SALT: SALT!, SRP_B: SRP_B!, SECRET_BLOCK: SECRET_BLOCK!, USER_ID_FOR_SRP: USER_ID_FOR_SRP! },
    at: new Date(),
  });
  return cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: client.clientId,
      ChallengeName: "PASSWORD_VERIFIER",
      Session: started.Session,
      ChallengeResponses: { USERNAME: USERNAME!, SECRET_HASH: secretHash(USERNAME!), ...claim },
    }),
  );
}

function answer(round: Pick<InitiateAuthCommandOutput, "Session" | "ChallengeParameters">, value: string, clientMetadata?: Record<string, string>) {
  const username = round.ChallengeParameters!.USERNAME!;
  return cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: client.clientId,
      ChallengeName: "CUSTOM_CHALLENGE",
      Session: round.Session,
      ChallengeResponses: { USERNAME: username, ANSWER: value, SECRET_HASH: secretHash(username) },
      ...(clientMetadata ? { ClientMetadata: clientMetadata } : {}),
    }),
  );
}

/** The answer to the PROVIDE round that chooses the method. */
function choose(round: Pick<InitiateAuthCommandOutput, "Session" | "ChallengeParameters">, method: ChallengeMethod) {
  return answer(round, ChallengeAnswer.provide, { [ClientMetadataKey.challengeMethod]: method });
}

async function otpRound(email: string, password: string) {
  return choose(await startWithPassword(email, password), ChallengeStep.otp);
}

function wrong(code: string): string {
  return code === "000000" ? "111111" : "000000";
}

async function main(): Promise<void> {
  console.log(`Cognito emulator at ${endpoint}, user pool ${config.userPool.id}, app client ${client.clientId}`);
  const email = `walkthrough.${Date.now()}@example.com`;
  const password = "Walkthrough-Pass-1";

  say(`SignUp ${email} (with SECRET_HASH)`);
  const signUp = await cognito.send(new SignUpCommand({ ClientId: client.clientId, Username: email, Password: password, SecretHash: secretHash(email) }));
  console.log(`   UserSub ${signUp.UserSub}, code sent to ${signUp.CodeDeliveryDetails?.Destination}`);

  say("ConfirmSignUp with the code from the outbox");
  await cognito.send(new ConfirmSignUpCommand({ ClientId: client.clientId, Username: email, ConfirmationCode: await latestCode(email), SecretHash: secretHash(email) }));
  console.log("   confirmed");

  say("InitiateAuth USER_PASSWORD_AUTH: the BFF's client does not allow the password alone");
  await expectError(
    cognito.send(
      new InitiateAuthCommand({
        AuthFlow: "USER_PASSWORD_AUTH",
        ClientId: client.clientId,
        AuthParameters: { USERNAME: email, PASSWORD: password, SECRET_HASH: secretHash(email) },
      }),
    ),
    "InvalidParameterException",
  );

  say("InitiateAuth CUSTOM_AUTH with SRP_A, then PASSWORD_VERIFIER");
  const provide = await startWithPassword(email, password);
  console.log(`   ${provide.ChallengeName} ${JSON.stringify(provide.ChallengeParameters)}`);

  say(`RespondToAuthChallenge ANSWER "${ChallengeAnswer.provide}" with ClientMetadata {${ClientMetadataKey.challengeMethod}: "${ChallengeStep.otp}"}`);
  const otp = await choose(provide, ChallengeStep.otp);
  console.log(`   ${otp.ChallengeName} ${JSON.stringify(otp.ChallengeParameters)}`);

  say("RespondToAuthChallenge with the sign-in code from the outbox");
  const done = await answer(otp, await latestCode(email));
  const tokens = done.AuthenticationResult;
  if (tokens?.IdToken === undefined || tokens.AccessToken === undefined) throw new Error("no tokens after the right code");
  console.log("   tokens issued");

  say("Verify the tokens' signatures against the pool's JWKS");
  const discovery = (await (await fetch(`${endpoint}/${config.userPool.id}/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string };
  const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
  const id = await jwtVerify(tokens.IdToken, jwks, { issuer: discovery.issuer, audience: client.clientId });
  const access = await jwtVerify(tokens.AccessToken, jwks, { issuer: discovery.issuer });
  console.log(`   ID token (kid ${id.protectedHeader.kid}): email ${String(id.payload.email)}, cognito:username ${String(id.payload["cognito:username"])}`);
  console.log(`   access token (kid ${access.protectedHeader.kid}): scope ${String(access.payload.scope)}`);

  say("A wrong password");
  await expectError(startWithPassword(email, "Not-The-Password-1"), "NotAuthorizedException");

  say("A missing SECRET_HASH");
  await expectError(startCustomAuth(email, null), "NotAuthorizedException");

  say("A wrong SECRET_HASH");
  await expectError(startCustomAuth(email, secretHash(`someone-else-${email}`)), "NotAuthorizedException");

  say("A code without the password: no code round is offered");
  await expectError(choose(await startCustomAuth(email), ChallengeStep.otp), "NotAuthorizedException");

  say("A reused Session");
  await expectError(choose(provide, ChallengeStep.otp), "NotAuthorizedException");

  say("Three wrong codes");
  let round = await otpRound(email, password);
  for (let attempt = 1; attempt <= 2; attempt += 1) {
    round = await answer(round, wrong(await latestCode(email)));
    console.log(`   wrong code ${attempt}: attemptsLeft ${round.ChallengeParameters?.attemptsLeft}`);
  }
  await expectError(answer(round, wrong(await latestCode(email))), "NotAuthorizedException");

  say(`A bare ${ChallengeAnswer.passkey} (no passkey proof)`);
  const passkey = await choose(await startCustomAuth(email), ChallengeStep.passkey);
  const afterBare = await answer(passkey, ChallengeAnswer.passkey);
  if (afterBare.AuthenticationResult !== undefined) throw new Error(`a bare ${ChallengeAnswer.passkey} was accepted`);
  console.log(`   refused: no tokens; the next challenge is ${JSON.stringify({ step: afterBare.ChallengeParameters?.step })}`);

  console.log("\nAll steps behaved as Cognito does.");
}

main().then(
  () => cognito.destroy(),
  (error: unknown) => {
    console.error(`\nWalkthrough failed: ${error instanceof Error ? error.message : String(error)}`);
    cognito.destroy();
    process.exitCode = 1;
  },
);
