import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CognitoIdentityProviderClient, ConfirmSignUpCommand, InitiateAuthCommand, SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
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
    ],
  },
});

/** The BFF's confidential client (with a secret). */
export const bff: AppClientConfig & { clientSecret: string } = config.userPool.clients[0] as AppClientConfig & { clientSecret: string };
export const publicClientId = "publicclient0000000000000";
export const legacyClientId = "legacyclient0000000000000";
export const customOnlyClientId = "customonlyclient000000000";
export const noRevocationClientId = "norevokeclient00000000000";
export const poolId = config.userPool.id;

export const PASSWORD = "Correct-Horse-9";

export function secretHash(username: string): string {
  return computeSecretHash(bff.clientSecret, username, bff.clientId);
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

export async function passwordSignIn(t: TestEmulator, email: string, password = PASSWORD) {
  const { AuthenticationResult } = await t.cognito.send(
    new InitiateAuthCommand({
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: bff.clientId,
      AuthParameters: { USERNAME: email, PASSWORD: password, SECRET_HASH: secretHash(email) },
    }),
  );
  return AuthenticationResult!;
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
