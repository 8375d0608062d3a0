import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { passwordClaim, startSrpHandshake } from "../../../bff/cognito/srp-client";
import { type AppClientConfig, type LocalConfig, loadLocalConfig, localConfigSchema } from "../../../common/local-config";
import { computeSecretHash } from "../../../emulator/secret-hash";
import { type EmulatorOptions, type RunningEmulator, startEmulator } from "../../../emulator/server";
import type { OutboxMessage } from "../../../emulator/state/outbox";

const base = loadLocalConfig();

/** The project's local pool, plus clients that exercise other client settings. */
export const config: LocalConfig = localConfigSchema.parse({
  ...base,
  userPool: {
    ...base.userPool,
    clients: [
      ...base.userPool.clients,
      {
        clientId: "publicclient0000000000000",
        name: "public",
        explicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        preventUserExistenceErrors: "ENABLED",
      },
      {
        clientId: "legacyclient0000000000000",
        name: "legacy",
        explicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        preventUserExistenceErrors: "LEGACY",
      },
      { clientId: "customonlyclient000000000", name: "custom-only", explicitAuthFlows: ["ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
      {
        clientId: "norevokeclient00000000000",
        name: "no-revocation",
        explicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        enableTokenRevocation: false,
      },
      {
        // The BFF's client allows no USER_PASSWORD_AUTH (the password runs inside CUSTOM_AUTH):
        // Cognito's password-only flow is tested on a confidential client of its own.
        clientId: "passwordclient00000000000",
        clientSecret: "test-password-client-secret-not-for-production-0",
        name: "password-flow",
        explicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        preventUserExistenceErrors: "ENABLED",
      },
    ],
  },
});

/** The BFF's confidential client (with a secret). */
export const bff: AppClientConfig & { clientSecret: string } = config.userPool.clients[0] as AppClientConfig & { clientSecret: string };
export const publicClientId = "publicclient0000000000000";
export const legacyClientId = "legacyclient0000000000000";
export const customOnlyClientId = "customonlyclient000000000";
export const noRevocationClientId = "norevokeclient00000000000";
/** A confidential client that allows USER_PASSWORD_AUTH, for tests of that flow itself. */
export const passwordClient = config.userPool.clients.find((client) => client.name === "password-flow") as AppClientConfig & { clientSecret: string };
export const poolId = config.userPool.id;

export const PASSWORD = "Correct-Horse-9";

export function secretHash(username: string): string {
  return computeSecretHash(bff.clientSecret, username, bff.clientId);
}

/** SECRET_HASH for `passwordClient`. */
export function passwordClientSecretHash(username: string): string {
  return computeSecretHash(passwordClient.clientSecret, username, passwordClient.clientId);
}

let counter = 0;
/** A fresh address per test, so tests sharing an emulator never meet. */
export function uniqueEmail(label = "user"): string {
  counter += 1;
  return `${label}.${process.pid}.${counter}.${Date.now().toString(36)}@example.com`;
}

export interface TestEmulator {
  emulator: RunningEmulator;
  cognito: CognitoIdentityProviderClient;
  dataDir: string;
  /** The emulator's clock, when a test moves it (the SRP claim's TIMESTAMP must agree with it). */
  now?: () => number;
  stop(): Promise<void>;
}

export function sdkClient(url: string): CognitoIdentityProviderClient {
  // maxAttempts 1: the SDK would otherwise retry throttling errors and inflate attempt counters.
  return new CognitoIdentityProviderClient({
    region: config.region,
    endpoint: url,
    maxAttempts: 1,
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  });
}

export async function startTestEmulator(options: Partial<EmulatorOptions> = {}): Promise<TestEmulator> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "tobira-emulator-"));
  const emulator = await startEmulator({ config, dataDir, port: 0, ...options });
  const cognito = sdkClient(emulator.url);
  return {
    emulator,
    cognito,
    dataDir,
    now: options.now ?? Date.now,
    async stop() {
      cognito.destroy();
      await emulator.close();
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The outbox over plain HTTP, as other tools read it. */
export async function outboxFor(url: string, to: string): Promise<OutboxMessage[]> {
  const response = await fetch(`${url}/_local/outbox?to=${encodeURIComponent(to)}`);
  return (await response.json()) as OutboxMessage[];
}

export async function latestCode(url: string, to: string): Promise<string> {
  const [latest] = await outboxFor(url, to);
  if (latest === undefined) throw new Error(`No message for ${to}`);
  return latest.code;
}

/** A code that is not `code` (for wrong-code cases). */
export function otherCode(code: string): string {
  return code === "000000" ? "111111" : "000000";
}

export async function signUp(t: TestEmulator, email: string, password = PASSWORD) {
  return t.cognito.send(new SignUpCommand({ ClientId: bff.clientId, Username: email, Password: password, SecretHash: secretHash(email) }));
}

/** Signs a user up and confirms them with the emailed code. */
export async function signUpConfirmed(t: TestEmulator, email: string, password = PASSWORD): Promise<string> {
  const { UserSub } = await signUp(t, email, password);
  const code = await latestCode(t.emulator.url, email);
  await t.cognito.send(new ConfirmSignUpCommand({ ClientId: bff.clientId, Username: email, ConfirmationCode: code, SecretHash: secretHash(email) }));
  return UserSub!;
}

/**
 * The BFF's password step through its client: CUSTOM_AUTH with SRP_A, the password claim
 * (PASSWORD_VERIFIER), then the PROVIDE round answered with the code method, which makes the
 * create trigger send a code. Resolves to the code round and a way to answer it.
 */
export async function passwordStepToCode(t: TestEmulator, username: string, password = PASSWORD) {
  const handshake = startSrpHandshake();
  const started = await t.cognito.send(
    new InitiateAuthCommand({
      AuthFlow: "CUSTOM_AUTH",
      ClientId: bff.clientId,
      AuthParameters: { USERNAME: username, SECRET_HASH: secretHash(username), CHALLENGE_NAME: "SRP_A", SRP_A: handshake.srpA },
    }),
  );
  const parameters = started.ChallengeParameters!;
  const internal = parameters.USERNAME!;
  const claim = passwordClaim({
    handshake,
    userPoolId: poolId,
    password,
    parameters: { SALT: parameters.SALT!, SRP_B: parameters.SRP_B!, SECRET_BLOCK: parameters.SECRET_BLOCK!, USER_ID_FOR_SRP: parameters.USER_ID_FOR_SRP! },
    at: new Date((t.now ?? Date.now)()),
  });
  const respond = (
    challengeName: "PASSWORD_VERIFIER" | "CUSTOM_CHALLENGE",
    session: string | undefined,
    responses: Record<string, string>,
    metadata?: Record<string, string>,
  ) =>
    t.cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: bff.clientId,
        ChallengeName: challengeName,
        Session: session,
        ChallengeResponses: { USERNAME: internal, SECRET_HASH: secretHash(internal), ...responses },
        ...(metadata ? { ClientMetadata: metadata } : {}),
      }),
    );
  const provide = await respond("PASSWORD_VERIFIER", started.Session, { ...claim });
  const otp = await respond("CUSTOM_CHALLENGE", provide.Session, { ANSWER: "PROVIDE" }, { signInMethod: "OTP" });
  return { otp, answer: (code: string) => respond("CUSTOM_CHALLENGE", otp.Session, { ANSWER: code }) };
}

/**
 * Signs in through the BFF's client as the BFF does: the password step (passwordStepToCode),
 * then the mailed code. The client allows no USER_PASSWORD_AUTH, so these are the tokens of a
 * two-factor sign-in.
 */
export async function passwordSignIn(t: TestEmulator, email: string, password = PASSWORD) {
  const { answer } = await passwordStepToCode(t, email, password);
  const done = await answer(await latestCode(t.emulator.url, email));
  return done.AuthenticationResult!;
}

/** Asserts that `promise` fails with the named Cognito exception (and message, when given). */
export async function expectCognitoError(promise: Promise<unknown>, name: string, message?: string | RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } },
  );
  expect(error, `expected ${name}`).toBeDefined();
  expect(error?.name).toBe(name);
  if (message !== undefined) expect(error?.message).toMatch(typeof message === "string" ? new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) : message);
}

/** A clock the tests can move forward; the emulator reads it for every expiry. */
export function testClock() {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    advance(ms: number) {
      offset += ms;
    },
  };
}
