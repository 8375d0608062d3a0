import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetUserCommand, InitiateAuthCommand, RevokeTokenCommand } from "@aws-sdk/client-cognito-identity-provider";
import { bff, expectCognitoError, poolId, passwordSignIn, secretHash, signUpConfirmed, startTestEmulator, uniqueEmail } from "./support";

// Fixed: the default issuer contains the port, and port 0 gives each start a new one.
const issuer = `https://cognito-idp.us-east-1.amazonaws.com/${poolId}`;
let dataDir: string;
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), "tobira-emulator-persist-"));
});
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

test("users, keys, refresh tokens, revocations and the outbox survive a restart", async () => {
  const email = uniqueEmail();
  const first = await startTestEmulator({ dataDir, issuer });
  const sub = await signUpConfirmed(first, email);
  const kept = await passwordSignIn(first, email);
  const revoked = await passwordSignIn(first, email);
  await first.cognito.send(new RevokeTokenCommand({ Token: revoked.RefreshToken!, ClientId: bff.clientId, ClientSecret: bff.clientSecret }));
  const jwksBefore = await (await fetch(`${first.emulator.url}/${poolId}/.well-known/jwks.json`)).json();
  await first.stop();

  const second = await startTestEmulator({ dataDir, issuer });
  try {
    // The same keys: tokens from before the restart still verify at the user calls.
    expect(await (await fetch(`${second.emulator.url}/${poolId}/.well-known/jwks.json`)).json()).toEqual(jwksBefore);
    expect((await second.cognito.send(new GetUserCommand({ AccessToken: kept.AccessToken! }))).Username).toBe(sub);
    expect((await passwordSignIn(second, email)).IdToken).toBeDefined();
    const refreshed = await second.cognito.send(
      new InitiateAuthCommand({
        AuthFlow: "REFRESH_TOKEN_AUTH",
        ClientId: bff.clientId,
        AuthParameters: { REFRESH_TOKEN: kept.RefreshToken!, SECRET_HASH: secretHash(sub) },
      }),
    );
    expect(refreshed.AuthenticationResult?.AccessToken).toBeDefined();
    await expectCognitoError(second.cognito.send(new GetUserCommand({ AccessToken: revoked.AccessToken! })), "NotAuthorizedException", "Access Token has been revoked");
    // The sign-up code and the three sign-in codes (newest first), two of them sent before the restart.
    expect(second.emulator.outbox.list(email).map((message) => message.subject)).toEqual([
      "Your Tobira sign-in code",
      "Your Tobira sign-in code",
      "Your Tobira sign-in code",
      "Confirm your Tobira account",
    ]);
  } finally {
    await second.stop();
  }
});
