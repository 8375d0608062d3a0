import { GlobalSignOutCommand, ResendConfirmationCodeCommand, SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import type { OutboxMessage } from "../../../emulator/state/outbox";
import { type TestEmulator, bff, passwordSignIn, secretHash, signUp, signUpConfirmed, startTestEmulator, uniqueEmail } from "./support";

let t: TestEmulator;
beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(async () => {
  await t.stop();
});

function userInfo(accessToken: string | undefined, method: "GET" | "POST" = "GET") {
  return fetch(`${t.emulator.url}/oauth2/userInfo`, { method, headers: accessToken === undefined ? {} : { authorization: `Bearer ${accessToken}` } });
}

describe("/oauth2/userInfo", () => {
  test("returns the user's claims for an access token with the openid scope", async () => {
    const email = uniqueEmail();
    const sub = await signUpConfirmed(t, email);
    const tokens = await t.emulator.issueHostedTokens({ username: email, clientId: bff.clientId, scopes: ["openid", "email"] });
    const response = await userInfo(tokens.AccessToken);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ sub, email, email_verified: "true", username: sub });
  });

  test("answers POST as well as GET", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const tokens = await t.emulator.issueHostedTokens({ username: email, clientId: bff.clientId, scopes: ["openid"] });
    expect((await userInfo(tokens.AccessToken, "POST")).status).toBe(200);
  });

  test("refuses an access token from InitiateAuth, which has no openid scope", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const tokens = await passwordSignIn(t, email);
    const response = await userInfo(tokens.AccessToken);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('error="invalid_token", error_description="Access token does not contain openid scope"');
    expect(await response.json()).toEqual({ error: "invalid_token", error_description: "Access token does not contain openid scope" });
  });

  test("refuses a request without a bearer token", async () => {
    const response = await userInfo(undefined);
    expect(response.status).toBe(400);
    expect(response.headers.get("www-authenticate")).toContain('error="invalid_request"');
  });

  test("refuses a token of a user who signed out globally", async () => {
    const email = uniqueEmail();
    await signUpConfirmed(t, email);
    const hosted = await t.emulator.issueHostedTokens({ username: email, clientId: bff.clientId, scopes: ["openid"] });
    const api = await passwordSignIn(t, email);
    await t.cognito.send(new GlobalSignOutCommand({ AccessToken: api.AccessToken! }));
    const response = await userInfo(hosted.AccessToken);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe(
      'error="invalid_token", error_description="Access token is expired, disabled, or deleted, or the user has globally signed out."',
    );
  });
});

describe("/logout", () => {
  function logout(query: string) {
    return fetch(`${t.emulator.url}/logout?${query}`, { redirect: "manual" });
  }

  test("redirects to a registered sign-out URL", async () => {
    const target = bff.logoutUrls[1]!;
    const response = await logout(`client_id=${bff.clientId}&logout_uri=${encodeURIComponent(target)}`);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(target);
  });

  test("shows an error page and does not redirect to an unregistered URL", async () => {
    const response = await logout(`client_id=${bff.clientId}&logout_uri=${encodeURIComponent("https://evil.example/")}`);
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(await response.text()).toContain("redirect_mismatch");
  });

  test("does not match a sign-out URL by prefix", async () => {
    const response = await logout(`client_id=${bff.clientId}&logout_uri=${encodeURIComponent(`${bff.logoutUrls[0]!}extra`)}`);
    expect(response.status).toBe(400);
  });

  test("shows an error page for an unknown client", async () => {
    const response = await logout(`client_id=nosuchclient&logout_uri=${encodeURIComponent(bff.logoutUrls[0]!)}`);
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
  });

  test("shows an error page when neither logout_uri nor redirect_uri is given", async () => {
    const response = await logout(`client_id=${bff.clientId}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Required String parameter &#39;redirect_uri&#39; is not present");
  });
});

describe("local outbox", () => {
  test("lists messages as JSON, newest first, filtered case-insensitively by recipient", async () => {
    const email = uniqueEmail("outbox");
    await signUp(t, email);
    const [signUpMessage] = (await (await fetch(`${t.emulator.url}/_local/outbox?to=${encodeURIComponent(email)}`)).json()) as OutboxMessage[];
    await signUp(t, uniqueEmail("someone-else"));
    await t.cognito.send(new ResendConfirmationCodeCommand({ ClientId: bff.clientId, Username: email, SecretHash: secretHash(email) }));

    const response = await fetch(`${t.emulator.url}/_local/outbox?to=${encodeURIComponent(email.toUpperCase())}`);
    expect(response.headers.get("content-type")).toContain("application/json");
    const messages = (await response.json()) as OutboxMessage[];
    expect(messages).toHaveLength(2);
    for (const message of messages) expect(Object.keys(message).sort()).toEqual(["code", "html", "sentAt", "subject", "text", "to"]);
    // The resend came last, so the sign-up message is second.
    expect(messages[1]).toEqual(signUpMessage);
    expect(new Date(messages[0]!.sentAt).toISOString()).toBe(messages[0]!.sentAt);
  });

  test("lists every message when no recipient is given", async () => {
    const first = uniqueEmail("all");
    const second = uniqueEmail("all");
    await signUp(t, first);
    await signUp(t, second);
    const messages = (await (await fetch(`${t.emulator.url}/_local/outbox`)).json()) as { to: string }[];
    expect(messages.map((message) => message.to)).toEqual(expect.arrayContaining([first, second]));
    expect(messages[0]!.to).toBe(second);
  });

  test("shows a mailbox page with every value escaped", async () => {
    const email = `a<script>x.${Date.now()}@example.com`;
    await t.cognito.send(new SignUpCommand({ ClientId: bff.clientId, Username: email, Password: "Correct-Horse-9", SecretHash: secretHash(email) }));
    const response = await fetch(`${t.emulator.url}/_local/mailbox?to=${encodeURIComponent(email)}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await response.text();
    expect(html).not.toContain("<script>");
    expect(html).toContain("a&#60;script&#62;x");
    expect(html).toContain(t.emulator.outbox.list(email)[0]!.code);
  });
});
