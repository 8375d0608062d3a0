import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { type IncomingMessage, type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  type CognitoIdentityProviderClient,
  InitiateAuthCommand,
  type InitiateAuthCommandOutput,
  RespondToAuthChallengeCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { Match, type Template } from "aws-cdk-lib/assertions";
import type { ALBEvent, ALBResult, Context } from "aws-lambda";
import { passwordClaim, startSrpHandshake } from "../../bff/cognito/srp-client";
import { ChallengeAnswer, ChallengeStep, ClientMetadataKey, computePasskeyProof } from "../../common/custom-auth-protocol";
import type { ChallengeTriggers } from "../../emulator/server";
import { BUNDLE_FILE, type LambdaName, bundleLambda, repoRoot } from "../../infra/bundle-triggers";
import type { BundledFunction } from "../../infra/bundled-function";
import { PASSWORD, type TestEmulator, bff, config, poolId, secretHash, signUpConfirmed, startTestEmulator, uniqueEmail } from "../integration/emulator/support";
import { type SynthesizedApp, logicalId, onlyResource, removeTestBundles, sampleEnvironment, synthesizeTobira, testBundles } from "./support";

/**
 * What deploys is what is tested: the trigger bundles that the CDK app uploads are imported here
 * (by Node, as Lambda imports them), configured with the environment the template gives them, and
 * plugged into the local emulator in place of its in-process handlers. A sign-in with a code and
 * one with a passkey round must pass through them. The code goes out through the bundled SES
 * client, pointed at a local stand-in for SES (the SDK's AWS_ENDPOINT_URL_SESV2 override).
 */

type Handler = (event: unknown, context: Context, callback: () => void) => Promise<unknown>;

interface SentMail {
  FromEmailAddress: string;
  Destination: { ToAddresses: string[] };
  Content: { Simple: { Subject: { Data: string }; Body: { Text: { Data: string } } } };
}

/** Accepts SESv2 SendEmail (POST /v2/email/outbound-emails) and keeps what was sent. */
async function startFakeSes(): Promise<{ url: string; sent: SentMail[]; server: Server }> {
  const sent: SentMail[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (req.method === "POST" && req.url === "/v2/email/outbound-emails") {
        sent.push(JSON.parse(Buffer.concat(chunks).toString("utf8")) as SentMail);
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ MessageId: `fake-${sent.length}` }));
      } else {
        res.writeHead(404, { "content-type": "application/json" }).end("{}");
      }
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sent, server };
}

function lambdaVariables(template: Template, fn: BundledFunction): Record<string, unknown> {
  const [, resource] = onlyResource(template, "AWS::Lambda::Function", { Properties: Match.objectLike({ Role: { "Fn::GetAtt": [logicalId(fn.role), "Arn"] } }) });
  return (resource.Properties!.Environment as { Variables: Record<string, unknown> }).Variables;
}

function stagedBundle(template: Template, synthesized: SynthesizedApp, fn: BundledFunction): Buffer {
  const [, resource] = onlyResource(template, "AWS::Lambda::Function", { Properties: Match.objectLike({ Role: { "Fn::GetAtt": [logicalId(fn.role), "Arn"] } }) });
  const hash = (resource.Properties!.Code as { S3Key: string }).S3Key.replace(/\.zip$/, "");
  return readFileSync(join(synthesized.outdir, `asset.${hash}`, BUNDLE_FILE));
}

const bundleFile = (name: LambdaName) => join(testBundles()[name], BUNDLE_FILE);
const albClientId = "albclientid00000000000000";

let synthesized: SynthesizedApp;
let ses: Awaited<ReturnType<typeof startFakeSes>>;
let t: TestEmulator;
let albLogout: Handler;
let sesFromAddress: string;

beforeAll(async () => {
  synthesized = synthesizeTobira();
  ses = await startFakeSes();
  const { signIn, albMode } = synthesized.stacks;
  const triggerEnvironment = sampleEnvironment(
    lambdaVariables(synthesized.signIn, signIn.triggers.createAuthChallenge),
    {},
    {
      // The secret CloudFormation resolves at deployment is, locally, the emulator's.
      [logicalId(signIn.secrets.passkeyProofSecret)]: config.triggers.passkeyProofSecret,
    },
  );
  sesFromAddress = triggerEnvironment.SES_FROM_ADDRESS!;
  const logoutEnvironment = sampleEnvironment(lambdaVariables(synthesized.albMode, albMode.logout), { [logicalId(albMode.client)]: albClientId });
  const customMessageEnvironment = sampleEnvironment(lambdaVariables(synthesized.signIn, signIn.customMessage), {});
  const lambdaEnvironment: Record<string, string | undefined> = {
    ...triggerEnvironment,
    ...customMessageEnvironment,
    ...logoutEnvironment,
    // What the Lambda runtime provides, with SES pointed at the stand-in.
    AWS_REGION: config.region,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_ENDPOINT_URL_SESV2: ses.url,
  };
  for (const [name, value] of Object.entries(lambdaEnvironment)) vi.stubEnv(name, value);

  const load = async (name: LambdaName) => ((await import(pathToFileURL(bundleFile(name)).href)) as { handler: Handler }).handler;
  const asTrigger = (handler: Handler) => (event: unknown) => handler(event, {} as Context, () => undefined);
  const triggers = {
    defineAuthChallenge: asTrigger(await load("defineAuthChallenge")),
    createAuthChallenge: asTrigger(await load("createAuthChallenge")),
    verifyAuthChallengeResponse: asTrigger(await load("verifyAuthChallengeResponse")),
    customMessage: asTrigger(await load("customMessage")),
  } as ChallengeTriggers;
  albLogout = await load("albLogout");
  t = await startTestEmulator({ triggers });
}, 240_000);

afterAll(async () => {
  await t?.stop();
  ses?.server.close();
  synthesized?.cleanup();
  removeTestBundles();
  vi.unstubAllEnvs();
});

describe("the bundles the CDK app uploads", () => {
  test("are byte for byte the files this test runs", () => {
    const { signIn, albMode } = synthesized.stacks;
    const pairs: [Template, BundledFunction, LambdaName][] = [
      [synthesized.signIn, signIn.triggers.defineAuthChallenge, "defineAuthChallenge"],
      [synthesized.signIn, signIn.triggers.createAuthChallenge, "createAuthChallenge"],
      [synthesized.signIn, signIn.triggers.verifyAuthChallengeResponse, "verifyAuthChallengeResponse"],
      [synthesized.signIn, signIn.customMessage, "customMessage"],
      [synthesized.albMode, albMode.logout, "albLogout"],
    ];
    for (const [template, fn, name] of pairs) expect(stagedBundle(template, synthesized, fn).equals(readFileSync(bundleFile(name))), name).toBe(true);
  });

  test("come out the same wherever the app bundles them (infra/app.ts uses the same function)", () => {
    const elsewhere = mkdtempSync(join(repoRoot, "node_modules", ".cache", "tobira-lambda-again-"));
    try {
      for (const name of ["defineAuthChallenge", "createAuthChallenge", "verifyAuthChallengeResponse", "customMessage", "albLogout"] as const) {
        expect(readFileSync(join(bundleLambda(name, elsewhere), BUNDLE_FILE)).equals(readFileSync(bundleFile(name))), name).toBe(true);
      }
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});

function start(cognito: CognitoIdentityProviderClient, email: string) {
  return cognito.send(new InitiateAuthCommand({ AuthFlow: "CUSTOM_AUTH", ClientId: bff.clientId, AuthParameters: { USERNAME: email, SECRET_HASH: secretHash(email) } }));
}

/** The password inside CUSTOM_AUTH, as the BFF signs in: SRP_A → PASSWORD_VERIFIER → the PROVIDE round. */
async function startWithPassword(cognito: CognitoIdentityProviderClient, email: string) {
  const handshake = startSrpHandshake();
  const verifier = await cognito.send(
    new InitiateAuthCommand({
      AuthFlow: "CUSTOM_AUTH",
      ClientId: bff.clientId,
      AuthParameters: { USERNAME: email, SECRET_HASH: secretHash(email), CHALLENGE_NAME: "SRP_A", SRP_A: handshake.srpA },
    }),
  );
  const parameters = verifier.ChallengeParameters!;
  const claim = passwordClaim({
    handshake,
    userPoolId: poolId,
    password: PASSWORD,
    parameters: { SALT: parameters.SALT!, SRP_B: parameters.SRP_B!, SECRET_BLOCK: parameters.SECRET_BLOCK!, USER_ID_FOR_SRP: parameters.USER_ID_FOR_SRP! },
    at: new Date(),
  });
  const username = parameters.USERNAME!;
  return cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: bff.clientId,
      ChallengeName: "PASSWORD_VERIFIER",
      Session: verifier.Session,
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
      ...(clientMetadata === undefined ? {} : { ClientMetadata: clientMetadata }),
    }),
  );
}

describe("the bundled triggers in the emulator", () => {
  test("the bundled CustomMessage trigger words a Japanese user's sign-up mail in Japanese, the code in place", async () => {
    const email = uniqueEmail("bundle-ja");
    await t.cognito.send(
      new SignUpCommand({
        ClientId: bff.clientId,
        Username: email,
        Password: PASSWORD,
        SecretHash: secretHash(email),
        UserAttributes: [{ Name: "locale", Value: "ja" }],
      }),
    );
    const [message] = t.emulator.outbox.list(email);
    expect(message!.subject).toBe("Tobira アカウントの確認コード");
    expect(message!.html).toContain(`>${message!.code}<`);
  });

  test("sign a user in with a code they send through SES from the configured address", async () => {
    const email = uniqueEmail("bundle-otp");
    await signUpConfirmed(t, email);
    const first = await startWithPassword(t.cognito, email);
    expect(first.ChallengeParameters?.step).toBe(ChallengeStep.provide);
    const sentBefore = ses.sent.length;
    const otp = await answer(t.cognito, first, ChallengeAnswer.provide, { [ClientMetadataKey.challengeMethod]: ChallengeStep.otp });
    expect(otp.ChallengeParameters).toMatchObject({ step: ChallengeStep.otp, attemptsLeft: String(config.triggers.otpMaxAttempts) });

    expect(ses.sent).toHaveLength(sentBefore + 1);
    const mail = ses.sent.at(-1)!;
    expect(mail.FromEmailAddress).toBe(sesFromAddress);
    expect(mail.Destination.ToAddresses).toEqual([email]);
    const code = /\b(\d{6})\b/.exec(mail.Content.Simple.Body.Text.Data)![1]!;

    const wrong = await answer(t.cognito, otp, code === "000000" ? "111111" : "000000");
    expect(wrong.ChallengeParameters).toMatchObject({ step: ChallengeStep.otp, attemptsLeft: String(config.triggers.otpMaxAttempts - 1) });
    const done = await answer(t.cognito, wrong, code);
    expect(done.AuthenticationResult?.AccessToken).toBeDefined();
    expect(done.AuthenticationResult?.RefreshToken).toBeDefined();
  });

  test("sign a user in with a passkey round, and send no code for it", async () => {
    const email = uniqueEmail("bundle-passkey");
    const sub = await signUpConfirmed(t, email);
    const first = await start(t.cognito, email);
    const sentBefore = ses.sent.length;
    const passkey = await answer(t.cognito, first, ChallengeAnswer.provide, { [ClientMetadataKey.challengeMethod]: ChallengeStep.passkey });
    expect(passkey.ChallengeParameters).toMatchObject({ step: ChallengeStep.passkey, nonce: expect.any(String) });

    // A bare claim is not enough: the bundled verify trigger wants the proof.
    const bare = await answer(t.cognito, passkey, ChallengeAnswer.passkey);
    expect(bare.AuthenticationResult).toBeUndefined();
    expect(bare.ChallengeParameters?.step).toBe(ChallengeStep.passkey);

    const proof = computePasskeyProof(config.triggers.passkeyProofSecret, sub, bare.ChallengeParameters!.nonce!);
    const done = await answer(t.cognito, bare, ChallengeAnswer.passkey, { [ClientMetadataKey.passkeyProof]: proof });
    expect(done.AuthenticationResult?.AccessToken).toBeDefined();
    expect(ses.sent).toHaveLength(sentBefore);
  });
});

describe("the bundled ALB-logout Lambda", () => {
  test("expires every session shard in one multi-value answer and sends the browser to Cognito's /logout", async () => {
    const event: ALBEvent = {
      requestContext: { elb: { targetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/logout/0123456789abcdef" } },
      httpMethod: "GET",
      path: "/logout",
      multiValueQueryStringParameters: {},
      multiValueHeaders: { cookie: ["AWSELBAuthSessionCookie-0=a; AWSELBAuthSessionCookie-1=b; AWSELBAuthSessionCookie-2=c"] },
      body: "",
      isBase64Encoded: false,
    };
    const result = (await albLogout(event, {} as Context, () => undefined)) as ALBResult;
    expect(result.statusCode).toBe(302);
    const location = new URL(result.multiValueHeaders!.Location![0] as string);
    expect(`${location.origin}${location.pathname}`).toBe(`https://tobira-test.auth.${config.region}.amazoncognito.com/logout`);
    expect(location.searchParams.get("client_id")).toBe(albClientId);
    expect(location.searchParams.get("logout_uri")).toBe("https://alb.example.org/");
    const cookies = result.multiValueHeaders!["Set-Cookie"] as string[];
    for (const shard of [0, 1, 2]) expect(cookies.some((cookie) => cookie.startsWith(`AWSELBAuthSessionCookie-${shard}=;`))).toBe(true);
  });
});
