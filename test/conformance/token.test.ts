import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpClient } from "../support/http-client";
import type { TestStack } from "../support/stack";
import {
  authorizationRequest,
  authorizeInBrowser,
  awkwardSecret,
  basicAuth,
  codeFlow,
  discover,
  newUser,
  redirectUri,
  startOidcStack,
  testClients,
  tokenRequest,
  type TestUser,
} from "./support";

/** The token endpoint with authorization_code (RFC 6749 §4.1.3) and client authentication (RFC 6749 §2.3). */

let stack: TestStack;
let user: TestUser;
let browser: HttpClient;

beforeAll(async () => {
  stack = await startOidcStack();
  user = await newUser(stack);
  browser = stack.client();
  await codeFlow(stack, browser, user); // signs the browser in: later codes need no sign-in
});

afterAll(async () => {
  await stack?.close();
});

const confidential = testClients.confidential;

/** A fresh code for the confidential client, with its verifier. */
async function freshCode(client = confidential): Promise<{ code: string; verifier: string; redirectUri: string }> {
  const config = await discover(stack, client);
  const request = await authorizationRequest(config, {}, client);
  const callback = await authorizeInBrowser(stack, browser, request.url);
  const code = callback.searchParams.get("code");
  if (code === null) throw new Error(`no code in ${callback.href}`);
  return { code, verifier: request.verifier, redirectUri: client.redirectUris[0]! };
}

function codeGrant(code: { code: string; verifier: string; redirectUri: string }, extra: Record<string, string> = {}): URLSearchParams {
  return new URLSearchParams({ grant_type: "authorization_code", code: code.code, code_verifier: code.verifier, redirect_uri: code.redirectUri, ...extra });
}

const confidentialBasic = { authorization: basicAuth(confidential.clientId, confidential.clientSecret) };

async function expectTokenError(response: Response, error: string, status = 400): Promise<Record<string, unknown>> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/application\/json/);
  expect(response.headers.get("cache-control")).toBe("no-store");
  expect(response.headers.get("pragma")).toBe("no-cache");
  const body = (await response.json()) as Record<string, unknown>;
  expect(body.error).toBe(error);
  expect(typeof body.error_description).toBe("string");
  return body;
}

async function userInfoStatus(accessToken: string): Promise<number> {
  const response = await fetch(`${stack.bffUrl}/oidc/me`, { headers: { authorization: `Bearer ${accessToken}` } });
  return response.status;
}

describe("requests: POST, form-encoded, well-formed", () => {
  it("refuses GET", async () => {
    const response = await fetch(`${stack.bffUrl}/oidc/token?grant_type=authorization_code`, { headers: confidentialBasic });
    expect([404, 405]).toContain(response.status);
  });

  it("refuses a JSON body with invalid_request", async () => {
    const response = await fetch(`${stack.bffUrl}/oidc/token`, {
      method: "POST",
      headers: { "content-type": "application/json", ...confidentialBasic },
      body: JSON.stringify({ grant_type: "authorization_code" }),
    });
    await expectTokenError(response, "invalid_request");
  });

  it("missing grant_type → invalid_request", async () => {
    await expectTokenError(await tokenRequest(stack, "code=x", confidentialBasic), "invalid_request");
  });

  it("unknown grant_type → unsupported_grant_type", async () => {
    await expectTokenError(await tokenRequest(stack, "grant_type=password&username=a&password=b", confidentialBasic), "unsupported_grant_type");
  });

  it("repeated parameters → invalid_request", async () => {
    const code = await freshCode();
    const body = `${codeGrant(code).toString()}&code=${encodeURIComponent(code.code)}`;
    await expectTokenError(await tokenRequest(stack, body, confidentialBasic), "invalid_request");
  });
});

describe("a successful answer", () => {
  it("is 200 JSON, not cacheable, with the tokens, Bearer, expires_in and scope", async () => {
    const response = await tokenRequest(stack, codeGrant(await freshCode()), confidentialBasic);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("pragma")).toBe("no-cache");
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: "Bearer", scope: "openid email" });
    expect(typeof body.access_token).toBe("string");
    expect(typeof body.id_token).toBe("string");
    expect(typeof body.refresh_token).toBe("string"); // first-party clients always get one
    expect(body.expires_in).toBeGreaterThan(0);
  });
});

describe("errors", () => {
  it("are 400 JSON {error, error_description} with the same cache headers", async () => {
    await expectTokenError(await tokenRequest(stack, codeGrant({ code: "not-a-code", verifier: "x".repeat(43), redirectUri }), confidentialBasic), "invalid_grant");
  });
});

describe("codes: single use, bound to the client, short-lived", () => {
  it("refuses an unknown code with invalid_grant", async () => {
    await expectTokenError(await tokenRequest(stack, codeGrant({ code: "unknown-code", verifier: "y".repeat(43), redirectUri }), confidentialBasic), "invalid_grant");
  });

  it("refuses another client's code with invalid_grant", async () => {
    const code = await freshCode();
    const other = testClients.other;
    await expectTokenError(
      await tokenRequest(stack, codeGrant({ ...code, redirectUri: other.redirectUris[0]! }), { authorization: basicAuth(other.clientId, other.clientSecret) }),
      "invalid_grant",
    );
  });

  it("refuses an expired code with invalid_grant", async () => {
    const code = await freshCode();
    const stored = await stack.store.get<Record<string, unknown>>("oidc-AuthorizationCode", code.code);
    expect(stored).toBeDefined();
    await stack.store.put("oidc-AuthorizationCode", code.code, { ...stored, exp: Math.floor(Date.now() / 1000) - 1 }, { ttlSeconds: 60 });
    await expectTokenError(await tokenRequest(stack, codeGrant(code), confidentialBasic), "invalid_grant");
  });

  it("lives at most 60 seconds", async () => {
    const code = await freshCode();
    const stored = await stack.store.get<{ iat: number; exp: number }>("oidc-AuthorizationCode", code.code);
    expect(stored!.exp - stored!.iat).toBeLessThanOrEqual(60);
  });
});

describe("redirect_uri", () => {
  it("must equal the authorization request's, else invalid_grant", async () => {
    const code = await freshCode();
    await expectTokenError(await tokenRequest(stack, codeGrant({ ...code, redirectUri: `${redirectUri}/x` }), confidentialBasic), "invalid_grant");
  });
});

describe("replay", () => {
  it("a second redemption → invalid_grant, and the tokens of the first are revoked", async () => {
    const code = await freshCode();
    const first = await tokenRequest(stack, codeGrant(code), confidentialBasic);
    expect(first.status).toBe(200);
    const tokens = (await first.json()) as { access_token: string; refresh_token: string };
    expect(await userInfoStatus(tokens.access_token)).toBe(200);

    await expectTokenError(await tokenRequest(stack, codeGrant(code), confidentialBasic), "invalid_grant");
    expect(await userInfoStatus(tokens.access_token)).toBe(401);
    await expectTokenError(
      await tokenRequest(stack, new URLSearchParams({ grant_type: "refresh_token", refresh_token: tokens.refresh_token }), confidentialBasic),
      "invalid_grant",
    );
  });

  it("of concurrent redemptions of one code, exactly one succeeds", async () => {
    const code = await freshCode();
    const responses = await Promise.all(Array.from({ length: 6 }, () => tokenRequest(stack, codeGrant(code), confidentialBasic)));
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 400)).toHaveLength(5);
  });
});

describe("PKCE", () => {
  it("a missing code_verifier → invalid_grant", async () => {
    const code = await freshCode();
    const body = codeGrant(code);
    body.delete("code_verifier");
    await expectTokenError(await tokenRequest(stack, body, confidentialBasic), "invalid_grant");
  });

  it("a wrong code_verifier → invalid_grant", async () => {
    const code = await freshCode();
    await expectTokenError(await tokenRequest(stack, codeGrant({ ...code, verifier: oidc.randomPKCECodeVerifier() }), confidentialBasic), "invalid_grant");
  });

  it("a verifier outside 43–128 characters of [A-Za-z0-9-._~] is refused (invalid_request)", async () => {
    for (const verifier of ["a".repeat(42), "a".repeat(129), `${"a".repeat(42)}+`]) {
      const code = await freshCode();
      await expectTokenError(await tokenRequest(stack, codeGrant({ ...code, verifier }), confidentialBasic), "invalid_request");
    }
  });

  it("a verifier for a code stored without a challenge → invalid_grant (no downgrade)", async () => {
    const code = await freshCode();
    const stored = await stack.store.get<Record<string, unknown>>("oidc-AuthorizationCode", code.code);
    const { codeChallenge: _challenge, codeChallengeMethod: _method, ...withoutChallenge } = stored!;
    await stack.store.put("oidc-AuthorizationCode", code.code, withoutChallenge, { ttlSeconds: 60 });
    await expectTokenError(await tokenRequest(stack, codeGrant(code), confidentialBasic), "invalid_grant");
  });

  it("announces S256 only", async () => {
    const config = await discover(stack);
    expect(config.serverMetadata().code_challenge_methods_supported).toEqual(["S256"]);
  });
});

describe("client_secret_basic and client_secret_post", () => {
  it("openid-client's default (client_secret_post) works", async () => {
    const { tokens } = await codeFlow(stack, browser, undefined, { config: await discover(stack, confidential, oidc.ClientSecretPost(confidential.clientSecret)) });
    expect(tokens.access_token).toBeTruthy();
  });

  it("client_secret_basic works", async () => {
    const { tokens } = await codeFlow(stack, browser, undefined, { config: await discover(stack, confidential, oidc.ClientSecretBasic(confidential.clientSecret)) });
    expect(tokens.access_token).toBeTruthy();
  });
});

describe("Basic credentials are form-urldecoded", () => {
  it(`accepts the secret ${JSON.stringify(awkwardSecret)} encoded as RFC 6749 §2.3.1 says`, async () => {
    const response = await tokenRequest(stack, codeGrant(await freshCode()), { authorization: basicAuth(confidential.clientId, awkwardSecret) });
    expect(response.status).toBe(200);
  });

  it("refuses the same secret sent without the form encoding", async () => {
    const raw = `Basic ${Buffer.from(`${confidential.clientId}:${awkwardSecret}`).toString("base64")}`;
    const response = await tokenRequest(stack, codeGrant(await freshCode()), { authorization: raw });
    expect([400, 401]).toContain(response.status);
    expect(((await response.json()) as { error: string }).error).toMatch(/^invalid_(request|client)$/);
  });
});

describe("one authentication method per request", () => {
  it("Basic plus client_secret in the body → invalid_request", async () => {
    await expectTokenError(await tokenRequest(stack, codeGrant(await freshCode(), { client_secret: awkwardSecret }), confidentialBasic), "invalid_request");
  });

  it("a body client_id other than Basic's → invalid_request", async () => {
    await expectTokenError(await tokenRequest(stack, codeGrant(await freshCode(), { client_id: testClients.other.clientId }), confidentialBasic), "invalid_request");
  });

  it("a secret in the query string is not accepted", async () => {
    const code = await freshCode();
    const url = `${stack.bffUrl}/oidc/token?client_secret=${encodeURIComponent(awkwardSecret)}`;
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: codeGrant(code, { client_id: confidential.clientId }).toString(),
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: string }).error).toBe("invalid_client");
  });
});

describe("failed client authentication", () => {
  it("→ 401 invalid_client with WWW-Authenticate when Basic was used", async () => {
    const response = await tokenRequest(stack, codeGrant(await freshCode()), { authorization: basicAuth(confidential.clientId, "wrong-secret") });
    await expectTokenError(response, "invalid_client", 401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Basic /);
  });

  it("→ 401 invalid_client for a wrong client_secret_post", async () => {
    const body = codeGrant(await freshCode(), { client_id: confidential.clientId, client_secret: "wrong-secret" });
    await expectTokenError(await tokenRequest(stack, body), "invalid_client", 401);
  });

  it("→ 401 invalid_client for an unknown client", async () => {
    await expectTokenError(await tokenRequest(stack, codeGrant(await freshCode()), { authorization: basicAuth("nobody", "secret") }), "invalid_client", 401);
  });
});

describe("public clients", () => {
  it("redeem a code with PKCE alone (token_endpoint_auth_method none)", async () => {
    const { tokens } = await codeFlow(stack, browser, undefined, { client: testClients.public });
    expect(tokens.access_token).toBeTruthy();
  });
});

describe("the ID token (OpenID Connect Core §2)", () => {
  it("carries the Cognito sub, email, email_verified, auth_time, amr, acr, nonce and sid, signed with a published key", async () => {
    const user2 = await newUser(stack);
    const browser2 = stack.client();
    const { tokens, request } = await codeFlow(stack, browser2, user2);
    const claims = tokens.claims()!;
    const session = (await browser2.get<{ user: { sub: string } }>("/api/session")).body;
    expect(claims).toMatchObject({
      iss: stack.bffUrl,
      aud: confidential.clientId,
      sub: session.user.sub,
      email: user2.email,
      email_verified: true,
      amr: ["pwd", "otp", "mfa"],
      acr: "urn:tobira:acr:mfa",
      nonce: request.nonce,
    });
    expect(typeof claims.auth_time).toBe("number");
    expect(typeof claims.sid).toBe("string");
    const header = JSON.parse(Buffer.from(tokens.id_token!.split(".")[0]!, "base64url").toString()) as { kid: string; alg: string };
    const { keys } = (await (await fetch(`${stack.bffUrl}/oidc/jwks`)).json()) as { keys: { kid: string }[] };
    expect(header.alg).toBe("RS256");
    expect(keys.map((key) => key.kid)).toContain(header.kid);
  });
});

describe("revocation (RFC 7009)", () => {
  it("a client cannot revoke another client's token", async () => {
    const { tokens } = await codeFlow(stack, browser, undefined);
    const other = testClients.other;
    const response = await fetch(`${stack.bffUrl}/oidc/token/revocation`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(other.clientId, other.clientSecret) },
      body: new URLSearchParams({ token: tokens.refresh_token!, token_type_hint: "refresh_token" }).toString(),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe("invalid_request");
    const refreshed = await tokenRequest(stack, new URLSearchParams({ grant_type: "refresh_token", refresh_token: tokens.refresh_token! }), confidentialBasic);
    expect(refreshed.status).toBe(200);
  });

  it("an unknown token is answered 200 (nothing to tell)", async () => {
    const response = await fetch(`${stack.bffUrl}/oidc/token/revocation`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...confidentialBasic },
      body: new URLSearchParams({ token: "no-such-token" }).toString(),
    });
    expect(response.status).toBe(200);
  });
});
