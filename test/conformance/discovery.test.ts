import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestStack } from "../support/stack";
import { codeFlow, newUser, queryOf, startOidcStack } from "./support";

/** Discovery (OpenID Connect Discovery 1.0, RFC 8414). */

let stack: TestStack;
let metadata: Record<string, unknown>;

beforeAll(async () => {
  stack = await startOidcStack();
  const response = await fetch(`${stack.bffUrl}/.well-known/openid-configuration`);
  metadata = (await response.json()) as Record<string, unknown>;
});

afterAll(async () => {
  await stack?.close();
});

describe("the discovery document", () => {
  it("is served as 200 JSON", async () => {
    const response = await fetch(`${stack.bffUrl}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
  });
});

describe("issuer", () => {
  it("has no query or fragment and equals the URL the document is served under", () => {
    const issuer = new URL(String(metadata.issuer));
    expect(issuer.search).toBe("");
    expect(issuer.hash).toBe("");
    expect(metadata.issuer).toBe(stack.bffUrl);
  });

  it("equals the ID token's iss and the authorization response's iss", async () => {
    const user = await newUser(stack);
    const { tokens, callback } = await codeFlow(stack, stack.client(), user);
    expect(tokens.claims()!.iss).toBe(metadata.issuer);
    expect(queryOf(callback.href).iss).toBe(metadata.issuer);
  });
});

describe("contents", () => {
  it("lists the endpoints under the issuer", () => {
    for (const [name, path] of Object.entries({
      authorization_endpoint: "/oidc/auth",
      token_endpoint: "/oidc/token",
      userinfo_endpoint: "/oidc/me",
      jwks_uri: "/oidc/jwks",
      end_session_endpoint: "/oidc/session/end",
      revocation_endpoint: "/oidc/token/revocation",
    })) {
      expect(metadata[name], name).toBe(`${stack.bffUrl}${path}`);
    }
  });

  it("announces the code flow with S256 PKCE, the grants, the client authentication methods and RFC 9207", () => {
    expect(metadata.response_types_supported).toEqual(["code"]);
    expect(metadata.code_challenge_methods_supported).toEqual(["S256"]);
    expect(metadata.grant_types_supported).toEqual(expect.arrayContaining(["authorization_code", "refresh_token"]));
    expect(metadata.grant_types_supported).not.toContain("implicit");
    expect(metadata.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(["client_secret_basic", "client_secret_post"]));
    expect(metadata.authorization_response_iss_parameter_supported).toBe(true);
    expect(metadata.request_uri_parameter_supported).toBe(false);
    expect(metadata.request_parameter_supported).toBe(false);
    expect(metadata.scopes_supported).toEqual(expect.arrayContaining(["openid", "email", "offline_access"]));
    expect(metadata.claims_supported).toEqual(expect.arrayContaining(["sub", "email", "email_verified", "auth_time", "amr", "acr", "sid"]));
    expect(metadata.id_token_signing_alg_values_supported).toEqual(expect.arrayContaining(["RS256", "ES256"]));
  });

  it("publishes a JWKS with public keys only (RS256 and ES256)", async () => {
    const response = await fetch(String(metadata.jwks_uri));
    expect(response.status).toBe(200);
    const { keys } = (await response.json()) as { keys: Record<string, unknown>[] };
    expect(keys.map((key) => key.alg).sort()).toEqual(["ES256", "RS256"]);
    for (const key of keys) {
      expect(typeof key.kid).toBe("string");
      for (const privateMember of ["d", "p", "q", "dp", "dq", "qi", "k"]) expect(key, privateMember).not.toHaveProperty(privateMember);
    }
  });
});
