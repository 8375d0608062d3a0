import { importJWK, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../../bff/logger";
import { startBff, type RunningBff } from "../../../bff/server";
import type { TestStack } from "../../support/stack";
import { codeFlow, newUser, startOidcStack } from "../support";
import { Findings } from "./suite-checks";

/**
 * The OpenID Foundation's oidcc-config-certification-test-plan ("Config OP"): its one module,
 * oidcc-discovery-endpoint-verification (variants server_metadata=discovery, static_client), run
 * against the provider as deployed: a BFF whose PUBLIC_URL is https (the suite only talks to
 * https providers), reached here over the test listener. Every condition the module runs is one
 * check below, each recorded as the FAILURE or WARNING the suite would raise
 * (OpenID Connect Discovery 1.0 §3/§4, RFC 8414 §2).
 */

const publicUrl = "https://id.tobira.example";
const discoveryPath = "/.well-known/openid-configuration";

let stack: TestStack;
let deployed: RunningBff;
let discovery: Response;
let metadata: Record<string, unknown>;

beforeAll(async () => {
  stack = await startOidcStack();
  deployed = await startBff({
    config: { ...stack.config, publicUrl, trustedOrigins: [publicUrl] },
    store: stack.store,
    logger: createLogger("silent"),
    port: 0,
    host: "127.0.0.1",
  });
  discovery = await fetch(`${deployed.url}${discoveryPath}`);
  metadata = (await discovery.clone().json()) as Record<string, unknown>;
});

afterAll(async () => {
  await deployed?.close();
  await stack?.close();
});

/**
 * Metadata names the suite knows (its RFC 8414 / OpenID Connect Discovery schema, which follows
 * the IANA "OAuth Authorization Server Metadata" registry): any other name is a WARNING
 * (CheckForUnexpectedParametersInServerMetadata).
 */
const registeredMetadataNames = new Set([
  "acr_values_supported",
  "authorization_endpoint",
  "authorization_response_iss_parameter_supported",
  "backchannel_logout_session_supported",
  "backchannel_logout_supported",
  "check_session_iframe",
  "claim_types_supported",
  "claims_locales_supported",
  "claims_parameter_supported",
  "claims_supported",
  "code_challenge_methods_supported",
  "device_authorization_endpoint",
  "display_values_supported",
  "dpop_signing_alg_values_supported",
  "end_session_endpoint",
  "frontchannel_logout_session_supported",
  "frontchannel_logout_supported",
  "grant_types_supported",
  "id_token_encryption_alg_values_supported",
  "id_token_encryption_enc_values_supported",
  "id_token_signing_alg_values_supported",
  "introspection_endpoint",
  "introspection_endpoint_auth_methods_supported",
  "introspection_endpoint_auth_signing_alg_values_supported",
  "issuer",
  "jwks_uri",
  "op_policy_uri",
  "op_tos_uri",
  "prompt_values_supported",
  "pushed_authorization_request_endpoint",
  "registration_endpoint",
  "request_object_encryption_alg_values_supported",
  "request_object_encryption_enc_values_supported",
  "request_object_signing_alg_values_supported",
  "request_parameter_supported",
  "request_uri_parameter_supported",
  "require_pushed_authorization_requests",
  "require_request_uri_registration",
  "response_modes_supported",
  "response_types_supported",
  "revocation_endpoint",
  "revocation_endpoint_auth_methods_supported",
  "revocation_endpoint_auth_signing_alg_values_supported",
  "scopes_supported",
  "service_documentation",
  "subject_types_supported",
  "tls_client_certificate_bound_access_tokens",
  "token_endpoint",
  "token_endpoint_auth_methods_supported",
  "token_endpoint_auth_signing_alg_values_supported",
  "ui_locales_supported",
  "userinfo_encryption_alg_values_supported",
  "userinfo_encryption_enc_values_supported",
  "userinfo_endpoint",
  "userinfo_signing_alg_values_supported",
]);

const booleanMetadata = new Set([
  "authorization_response_iss_parameter_supported",
  "backchannel_logout_session_supported",
  "backchannel_logout_supported",
  "claims_parameter_supported",
  "frontchannel_logout_session_supported",
  "frontchannel_logout_supported",
  "request_parameter_supported",
  "request_uri_parameter_supported",
  "require_pushed_authorization_requests",
  "require_request_uri_registration",
  "tls_client_certificate_bound_access_tokens",
]);

function isHttpsUrl(value: unknown): boolean {
  if (typeof value !== "string") return false;
  try {
    return new URL(value).protocol === "https:";
  } catch {
    return false;
  }
}

function stringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((entry) => typeof entry === "string");
}

/** The JWKS at jwks_uri, fetched from the listener (jwks_uri names the public https host). */
async function serverJwks(): Promise<{ status: number; contentType: string; body: { keys?: JWK[] } }> {
  const response = await fetch(`${deployed.url}${new URL(String(metadata.jwks_uri)).pathname}`);
  return { status: response.status, contentType: response.headers.get("content-type") ?? "", body: (await response.json()) as { keys?: JWK[] } };
}

/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
function validScopeToken(scope: string): boolean {
  return scope.length > 0 && [...scope].every((char) => char === "\x21" || (char >= "\x23" && char <= "\x5b") || (char >= "\x5d" && char <= "\x7e"));
}

/** BCP 47 canonical casing: language lowercase, script Title-case, region uppercase (RFC 5646 §2.1.1). */
function canonicalLocale(tag: string): string {
  return tag
    .split("-")
    .map((part, index) =>
      index === 0
        ? part.toLowerCase()
        : part.length === 4
          ? part[0]!.toUpperCase() + part.slice(1).toLowerCase()
          : part.length === 2
            ? part.toUpperCase()
            : part.toLowerCase(),
    )
    .join("-");
}

/** oidcc-discovery-endpoint-verification's conditions, in the module's order. */
async function discoveryEndpointVerification(findings: Findings): Promise<void> {
  findings.require(discovery.status === 200, "EnsureDiscoveryEndpointResponseStatusCodeIs200 (OIDCD-4)", discovery.status);
  findings.require(/^application\/json/.test(discovery.headers.get("content-type") ?? ""), "CheckDiscoveryEndpointReturnedJsonContentType (OIDCD-4)");

  const responseTypes = metadata.response_types_supported;
  const oidcResponseTypes = ["code", "code id_token", "id_token", "token id_token", "code id_token token", "code token"];
  findings.require(
    stringArray(responseTypes) && responseTypes.some((type) => oidcResponseTypes.includes(type)),
    "OIDCCCheckDiscEndpointResponseTypesSupported (OIDCC-3)",
    responseTypes,
  );

  const discoveryUrl = `${publicUrl}${discoveryPath}`;
  findings.require(discoveryUrl.startsWith("https://") && discoveryUrl.endsWith(discoveryPath), "CheckDiscEndpointDiscoveryUrl");
  const issuer = String(metadata.issuer ?? "");
  findings.require(
    issuer.replace(/\/$/, "") === discoveryUrl.slice(0, -discoveryPath.length).replace(/\/$/, ""),
    "CheckDiscEndpointIssuer (OIDCD-4.3, OIDCD-7.2)",
    issuer,
  );
  findings.require(isHttpsUrl(issuer) && new URL(issuer).search === "" && new URL(issuer).hash === "", "CheckDiscEndpointIssuerIsValidUrl (RFC8414-2)", issuer);

  // ValidateServerMetadataAgainstSchema: each member has its registered type.
  const wrongTypes = Object.entries(metadata)
    .filter(([name, value]) => {
      if (booleanMetadata.has(name)) return typeof value !== "boolean";
      if (name.endsWith("_endpoint") || name.endsWith("_uri") || name === "issuer") return typeof value !== "string";
      if (name.endsWith("_supported")) return !stringArray(value);
      return false;
    })
    .map(([name]) => name);
  findings.require(wrongTypes.length === 0, "ValidateServerMetadataAgainstSchema (OIDCD-3, RFC8414-2)", wrongTypes);
  const unknown = Object.keys(metadata).filter((name) => !registeredMetadataNames.has(name));
  findings.recommend(unknown.length === 0, "CheckForUnexpectedParametersInServerMetadata (OIDCD-3, RFC8414-2)", unknown);

  const subjectTypes = metadata.subject_types_supported;
  findings.require(
    stringArray(subjectTypes) && subjectTypes.some((type) => type === "public" || type === "pairwise"),
    "CheckDiscEndpointSubjectTypesSupported (OIDCD-3)",
    subjectTypes,
  );
  const idTokenAlgs = metadata.id_token_signing_alg_values_supported;
  findings.require(stringArray(idTokenAlgs) && idTokenAlgs.includes("RS256"), "OIDCCCheckDiscEndpointIdTokenSigningAlgValuesSupported: RS256 (OIDCD-3)", idTokenAlgs);
  findings.require(
    !stringArray(idTokenAlgs) || !idTokenAlgs.includes("none"),
    "alg none is never offered for ID tokens from the authorization endpoint (OIDCD-3)",
    idTokenAlgs,
  );
  if (metadata.userinfo_signing_alg_values_supported !== undefined) {
    findings.require(stringArray(metadata.userinfo_signing_alg_values_supported), "OIDCCCheckDiscEndpointUserinfoSigningAlgValuesSupported (OIDCD-3)");
  }

  findings.require(isHttpsUrl(metadata.authorization_endpoint), "CheckDiscEndpointAuthorizationEndpoint (OIDCD-3)", metadata.authorization_endpoint);
  findings.require(isHttpsUrl(metadata.token_endpoint), "CheckDiscEndpointTokenEndpoint (OIDCD-3)", metadata.token_endpoint);
  // Recommended by Discovery §3: its absence is a WARNING.
  findings.recommend(metadata.userinfo_endpoint !== undefined, "CheckDiscEndpointUserinfoEndpoint skipped: no userinfo_endpoint (OIDCD-3)");
  if (metadata.userinfo_endpoint !== undefined) findings.require(isHttpsUrl(metadata.userinfo_endpoint), "CheckDiscEndpointUserinfoEndpoint (OIDCD-3)");
  if (metadata.registration_endpoint !== undefined) findings.require(isHttpsUrl(metadata.registration_endpoint), "CheckDiscEndpointRegistrationEndpoint (OIDCD-3)");

  findings.require(isHttpsUrl(metadata.jwks_uri), "CheckJwksUri (OIDCD-3)", metadata.jwks_uri);
  const jwks = await serverJwks();
  findings.require(jwks.status === 200, "FetchServerKeys", jwks.status);
  // ValidateJwksSequence: a JWK set of public keys only, well formed, each usable.
  const keys = jwks.body.keys;
  findings.require(Array.isArray(keys) && keys.length > 0, "ValidateJwksStructure: a non-empty keys array (RFC7517-5)");
  const privateMembers = ["d", "p", "q", "dp", "dq", "qi", "k", "oth"];
  for (const key of keys ?? []) {
    findings.require(
      privateMembers.every((member) => !(member in key)),
      "EnsureJwksHasNoPrivateOrSymmetricKeyMaterial",
      key.kid,
    );
    findings.require(typeof key.kty === "string", "ValidateJwksStructure: kty (RFC7517-4.1)", key.kid);
    findings.require(key.use === undefined || key.use === "sig" || key.use === "enc", "ValidateJwksStructure: use (RFC7517-4.2)", key.use);
    try {
      await importJWK(key, key.alg);
    } catch (error) {
      findings.recommend(false, "WarnOnUnusableJwksKeys", { kid: key.kid, error: String(error) });
    }
  }
  const kids = (keys ?? []).map((key) => key.kid);
  // OIDCC-10.1: kid on every key, distinct (RFC7517-4.5), when there is more than one.
  findings.require(
    kids.every((kid) => typeof kid === "string") && new Set(kids).size === kids.length,
    "CheckForKeyIdInServerJWKs / CheckDistinctKeyIdValueInServerJWKs (OIDCC-10.1, RFC7517-4.5)",
    kids,
  );
  findings.require(
    (keys ?? []).some((key) => key.alg === "RS256" || (key.kty === "RSA" && key.alg === undefined)),
    "an RS256 signing key for the default ID token algorithm (OIDCC-3.1.3.7)",
  );

  // INFO in the suite (request objects and the claims parameter are optional): their types were checked above.
  if (metadata.request_object_signing_alg_values_supported !== undefined) {
    findings.recommend(
      stringArray(metadata.request_object_signing_alg_values_supported) && metadata.request_object_signing_alg_values_supported.includes("RS256"),
      "CheckDiscEndpointRequestObjectSigningAlgValuesSupportedIncludesRS256 (OIDCD-3)",
    );
  }
  findings.recommend(
    stringArray(metadata.claims_supported) && metadata.claims_supported.length > 0,
    "OIDCCCheckDiscEndpointClaimsSupported (OIDCD-3)",
    metadata.claims_supported,
  );
  const grants = metadata.grant_types_supported;
  findings.require(grants === undefined || (stringArray(grants) && grants.length > 0), "OIDCCCheckDiscEndpointGrantTypesSupported (OIDCD-3)", grants);

  // Recommended: its absence is a WARNING; present, it must list openid.
  findings.recommend(metadata.scopes_supported !== undefined, "CheckDiscEndpointScopesSupportedContainsOpenId skipped: no scopes_supported");
  if (metadata.scopes_supported !== undefined) {
    findings.require(stringArray(metadata.scopes_supported) && metadata.scopes_supported.includes("openid"), "CheckDiscEndpointScopesSupportedContainsOpenId (OIDCD-3)");
    findings.require(stringArray(metadata.scopes_supported) && metadata.scopes_supported.every(validScopeToken), "CheckDiscEndpointScopesSupportedSyntax (RFC6749-3.3)");
  }
  for (const field of ["ui_locales_supported", "claims_locales_supported"]) {
    const tags = metadata[field];
    if (tags === undefined) continue;
    findings.require(stringArray(tags) && tags.every((tag) => /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(tag)), "CheckDiscEndpointLocalesSyntax (RFC8414-2)", tags);
    if (stringArray(tags))
      findings.recommend(
        tags.every((tag) => canonicalLocale(tag) === tag),
        "CheckDiscEndpointLocalesCanonicalCasing (RFC8414-2)",
        tags,
      );
  }
  const plainEndpoints = Object.entries(metadata).filter(([name, value]) => name.endsWith("_endpoint") && !isHttpsUrl(value));
  findings.require(plainEndpoints.length === 0, "CheckDiscEndpointAllEndpointsAreHttps", plainEndpoints);
  const challengeMethods = metadata.code_challenge_methods_supported;
  findings.require(
    challengeMethods === undefined || stringArray(challengeMethods),
    "EnsureServerConfigurationCodeChallengeMethodsSupportedIsAnArray (RFC8414-2, RFC7636-4.3)",
    challengeMethods,
  );
}

describe("oidcc-config-certification-test-plan (server_metadata=discovery, static_client)", () => {
  it("oidcc-discovery-endpoint-verification: the discovery document passes every condition, without a warning", async () => {
    const findings = new Findings();
    await discoveryEndpointVerification(findings);
    findings.expectClean();
  });

  it("oidcc-discovery-endpoint-verification (what the plan's comments fold into it): issuer, https endpoints, usable keys, scopes, types, algorithms, claims, grants, client authentication, userinfo", () => {
    // The values the Config OP profile asks about, by name, so a change to any of them shows here.
    expect(metadata.issuer).toBe(publicUrl);
    for (const name of [
      "authorization_endpoint",
      "token_endpoint",
      "userinfo_endpoint",
      "jwks_uri",
      "end_session_endpoint",
      "revocation_endpoint",
      "introspection_endpoint",
    ]) {
      expect(String(metadata[name]), name).toMatch(/^https:\/\/id\.tobira\.example\/oidc\//);
    }
    expect(metadata.scopes_supported).toEqual(expect.arrayContaining(["openid", "email", "profile", "phone", "offline_access"]));
    expect(metadata.response_types_supported).toEqual(["code"]);
    expect(metadata.subject_types_supported).toEqual(["public"]);
    expect(metadata.id_token_signing_alg_values_supported).toContain("RS256");
    expect(metadata.id_token_signing_alg_values_supported).not.toContain("none");
    expect(metadata.claims_supported).toEqual(
      expect.arrayContaining(["sub", "iss", "auth_time", "acr", "amr", "sid", "email", "email_verified", "name", "phone_number"]),
    );
    expect(metadata.grant_types_supported).toEqual(expect.arrayContaining(["authorization_code", "refresh_token"]));
    expect(metadata.grant_types_supported).not.toContain("implicit");
    expect(metadata.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(["client_secret_basic", "client_secret_post"]));
    expect(metadata.code_challenge_methods_supported).toEqual(["S256"]);
  });

  it("oidcc-discovery-endpoint-verification: the plan's 'discovered issuer matches the ID token's iss' (checked in oidcc-server for the other profiles)", async () => {
    const user = await newUser(stack);
    const { tokens, config } = await codeFlow(stack, stack.client(), user);
    expect(tokens.claims()!.iss).toBe(config.serverMetadata().issuer);
  });

  it("oidcc-discovery-endpoint-verification fails a provider served over plain http (the check is live)", async () => {
    const local = (await (await fetch(`${stack.bffUrl}${discoveryPath}`)).json()) as Record<string, unknown>;
    const plain = Object.entries(local).filter(([name, value]) => name.endsWith("_endpoint") && !isHttpsUrl(value));
    expect(plain.length).toBeGreaterThan(0);
  });
});
