import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestStack } from "../support/stack";
import { basicAuth, startOidcStack, testClients } from "./support";

/**
 * A token or revocation request whose client authentication is missing, malformed or wrong is
 * answered 401 invalid_client, with a Basic challenge when the Authorization header was used
 * (RFC 6749 §5.2; RFC 7009 §2.2.1 for revocation).
 */

let stack: TestStack;

beforeAll(async () => {
  stack = await startOidcStack();
});

afterAll(async () => {
  await stack?.close();
});

const confidential = testClients.confidential;
const endpoints = { token: "/oidc/token", revocation: "/oidc/token/revocation" } as const;
const bodies = {
  token: { grant_type: "authorization_code", code: "some-code", redirect_uri: confidential.redirectUris[0]!, code_verifier: "a".repeat(43) },
  revocation: { token: "some-token" },
} as const;

async function post(endpoint: keyof typeof endpoints, extra: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${stack.bffUrl}${endpoints[endpoint]}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json", ...headers },
    body: new URLSearchParams({ ...bodies[endpoint], ...extra }).toString(),
  });
}

async function expectInvalidClient(response: Response, challenge: boolean): Promise<void> {
  expect(response.status).toBe(401);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  expect(((await response.json()) as { error: string }).error).toBe("invalid_client");
  if (challenge) expect(response.headers.get("www-authenticate")).toMatch(new RegExp(`^Basic realm="${stack.bffUrl}"`));
  else expect(response.headers.get("www-authenticate")).toBeNull();
}

for (const endpoint of Object.keys(endpoints) as (keyof typeof endpoints)[]) {
  describe(`${endpoint} endpoint: failed client authentication is 401 invalid_client`, () => {
    it("no client authentication at all", async () => {
      await expectInvalidClient(await post(endpoint), false);
    });

    it("Basic with an empty secret → with a Basic challenge", async () => {
      await expectInvalidClient(await post(endpoint, {}, { authorization: basicAuth(confidential.clientId, "") }), true);
    });

    it("a malformed Basic header → with a Basic challenge", async () => {
      await expectInvalidClient(await post(endpoint, {}, { authorization: "Basic !!not-base64!!" }), true);
    });

    it("an unsupported scheme in the Authorization header → with a Basic challenge", async () => {
      await expectInvalidClient(await post(endpoint, {}, { authorization: "Bearer some-token" }), true);
    });

    it("a wrong secret with Basic → with a Basic challenge", async () => {
      await expectInvalidClient(await post(endpoint, {}, { authorization: basicAuth(confidential.clientId, "wrong-secret") }), true);
    });

    it("a wrong client_secret_post", async () => {
      await expectInvalidClient(await post(endpoint, { client_id: confidential.clientId, client_secret: "wrong-secret" }), false);
    });

    it("an unknown client", async () => {
      await expectInvalidClient(await post(endpoint, { client_id: "no-such-client", client_secret: "secret" }), false);
    });

    it("a confidential client that sends only its client_id", async () => {
      await expectInvalidClient(await post(endpoint, { client_id: confidential.clientId }), false);
    });

    it("two methods at once stay invalid_request (a malformed request, not a failed authentication)", async () => {
      const response = await post(endpoint, { client_secret: confidential.clientSecret }, { authorization: basicAuth(confidential.clientId, confidential.clientSecret) });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toBe("invalid_request");
    });
  });
}
