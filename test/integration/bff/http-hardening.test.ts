import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBff } from "../../../bff/server";
import { createDynamoDbClient, createDynamoStore } from "../../../bff/store/dynamo-store";
import type { Store } from "../../../bff/store/store";
import { HttpClient } from "../../support/http-client";
import { startTestStack, type TestStack } from "../../support/stack";
import { errorOf, signedInClient, strongPassword, uniqueEmail } from "./flows";

describe("HTTP hardening of /api", () => {
  let stack: TestStack;
  const credentials = () => ({ email: uniqueEmail(), password: strongPassword });

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.close());

  describe("bodies (400/413/415, never 500)", () => {
    it("answers malformed JSON with 400 bad_request", async () => {
      const response = await stack.client().post("/api/signin", undefined, { rawBody: '{"email": "a@example.com",' });
      expect(response.status).toBe(400);
      expect(errorOf(response).code).toBe("bad_request");
    });

    it("answers a body over 16 kB with 413", async () => {
      const response = await stack.client().post("/api/signup", { email: "a@example.com", password: "x".repeat(20_000) });
      expect(response.status).toBe(413);
      expect(errorOf(response).code).toBe("bad_request");
    });

    it("answers a form-encoded body with 415 unsupported_media_type", async () => {
      const response = await stack.client().post("/api/signin", undefined, {
        rawBody: "email=a%40example.com&password=x",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      expect(response.status).toBe(415);
      expect(errorOf(response).code).toBe("unsupported_media_type");
    });

    it("answers a state-changing call without Content-Type with 415", async () => {
      const response = await stack.client().post("/api/logout", undefined, { rawBody: "", headers: { "content-type": "" } });
      expect(response.status).toBe(415);
      expect(errorOf(response).code).toBe("unsupported_media_type");
    });

    it("answers JSON in an unsupported charset with 415", async () => {
      const response = await stack.client().post("/api/signin", undefined, {
        rawBody: JSON.stringify(credentials()),
        headers: { "content-type": "application/json; charset=latin1" },
      });
      expect(response.status).toBe(415);
    });

    it("answers a JSON array with 400 bad_request", async () => {
      const response = await stack.client().post("/api/signin", [credentials()]);
      expect(response.status).toBe(400);
      expect(errorOf(response).code).toBe("bad_request");
    });

    it("names each missing field in error.fields", async () => {
      const response = await stack.client().post("/api/signin", {});
      expect(response.status).toBe(400);
      expect(errorOf(response)).toMatchObject({ code: "bad_request", fields: { email: expect.any(String), password: expect.any(String) } });
    });

    it("rejects an invalid email with the field's message", async () => {
      const response = await stack.client().post("/api/signup", { email: "not-an-email", password: strongPassword });
      expect(response.status).toBe(400);
      expect(errorOf(response).fields).toEqual({ email: "Enter a valid email address." });
    });

    it("rejects fields of the wrong type", async () => {
      const response = await stack.client().post("/api/signin", { email: ["a@example.com"], password: 12345678 });
      expect(response.status).toBe(400);
      expect(Object.keys(errorOf(response).fields ?? {}).sort()).toEqual(["email", "password"]);
    });

    it("rejects a code that is not six digits", async () => {
      const response = await stack.client().post("/api/signin/otp", { code: "12345a" });
      expect(response.status).toBe(400);
      expect(errorOf(response).fields).toEqual({ code: "Enter the 6-digit code." });
    });

    it("rejects unexpected members in calls that take {}", async () => {
      const response = await stack.client().post("/api/signin/otp/send", { resends: 0 });
      expect(response.status).toBe(400);
      expect(errorOf(response).code).toBe("bad_request");
    });
  });

  describe("cross-site requests (OWASP CSRF: Origin and Fetch Metadata)", () => {
    it("refuses a foreign Origin with 403 cross_site_request", async () => {
      const response = await stack.client().post("/api/signin", credentials(), { headers: { origin: "https://evil.example" } });
      expect(response.status).toBe(403);
      expect(errorOf(response).code).toBe("cross_site_request");
    });

    it('refuses Origin "null" (sandboxed frames, data: URLs)', async () => {
      const response = await stack.client().post("/api/logout", {}, { headers: { origin: "null" } });
      expect(response.status).toBe(403);
    });

    it("refuses Sec-Fetch-Site: cross-site", async () => {
      const response = await stack.client().post("/api/logout", {}, { headers: { "sec-fetch-site": "cross-site" } });
      expect(response.status).toBe(403);
      expect(errorOf(response).code).toBe("cross_site_request");
    });

    it("refuses Sec-Fetch-Site: same-site (a sibling subdomain is another origin)", async () => {
      const response = await stack.client().post("/api/logout", {}, { headers: { "sec-fetch-site": "same-site" } });
      expect(response.status).toBe(403);
    });

    it("accepts a same-origin call with the public Origin", async () => {
      const origin = new URL(stack.bffUrl).origin;
      const response = await stack.client().post("/api/logout", {}, { headers: { origin, "sec-fetch-site": "same-origin" } });
      expect(response.status).toBe(200);
    });

    it("accepts a call without Origin or Sec-Fetch-Site (not a browser)", async () => {
      expect((await stack.client().post("/api/logout", {})).status).toBe(200);
    });

    it("does not apply to reads: GET with a foreign Origin is answered", async () => {
      const response = await stack.client().get("/api/session", { headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" } });
      expect(response.status).toBe(200);
    });
  });

  describe("malformed paths (400, never 500)", () => {
    it.each([
      ["GET", "/api/passkeys/%ZZ"],
      ["DELETE", "/api/passkeys/%E0%A4%A"],
      ["GET", "/interaction/%ZZ"],
    ])("%s %s with a broken percent-escape → 400 bad_request", async (method, path) => {
      const response = await stack.client().request(method, path, undefined);
      expect(response.status).toBe(400);
      expect(response.text).not.toContain("internal_error");
    });
  });

  describe("cancelling a relying party's sign-in", () => {
    it("is refused when another site navigates to it (Sec-Fetch-Site: cross-site)", async () => {
      const response = await stack.client({ "sec-fetch-site": "cross-site" }).get("/interaction/cancel");
      expect(response.status).toBe(403);
    });

    it("goes on from the sign-in page's own link (same-origin)", async () => {
      const response = await stack.client({ "sec-fetch-site": "same-origin" }).get("/interaction/cancel");
      expect(response.status).toBe(303);
    });
  });

  describe("routes and headers", () => {
    it("answers an unknown /api route with 404 not_found", async () => {
      const get = await stack.client().get("/api/nothing-here");
      const post = await stack.client().post("/api/nothing-here", {});
      expect([get.status, errorOf(get).code, post.status, errorOf(post).code]).toEqual([404, "not_found", 404, "not_found"]);
    });

    it("answers GET /api/interaction with 404 not_found while no RP request is pending", async () => {
      const response = await stack.client().get("/api/interaction");
      expect(response.status).toBe(404);
      expect(errorOf(response).code).toBe("not_found");
    });

    it("marks /api answers Cache-Control: no-store", async () => {
      const { client } = await signedInClient(stack);
      const response = await client.get("/api/session");
      expect(response.headers.get("cache-control")).toBe("no-store");
    });

    it("sends no ETag with a JSON answer, so a conditional GET still gets the answer, never an empty 304", async () => {
      const first = await stack.client().get("/api/session");
      expect(first.headers.get("etag")).toBeNull();
      const conditional = await stack.client().get("/api/session", { headers: { "if-none-match": "*" } });
      expect(conditional.status).toBe(200);
      expect(conditional.body).toEqual({ authenticated: false });
    });

    it("sends the strict CSP, no Referer, nosniff and a request id", async () => {
      const response = await stack.client().get("/api/session");
      const csp = response.headers.get("content-security-policy") ?? "";
      for (const directive of [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'none'",
      ]) {
        expect(csp).toContain(directive);
      }
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      expect(response.headers.get("x-powered-by")).toBeNull();
    });
  });

  describe("health", () => {
    it("answers GET /healthz with 200 {status:ok}", async () => {
      const response = await stack.client().get("/healthz");
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: "ok" });
    });

    it("answers /healthz with the security headers, a request id and no-store, in any case and with a trailing slash", async () => {
      for (const path of ["/healthz", "/HEALTHZ/"]) {
        const response = await stack.client().get(path);
        expect(response.status).toBe(200);
        expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
        expect(response.headers.get("x-frame-options")).toBe("DENY");
        expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
        expect(response.headers.get("cache-control")).toBe("no-store");
        expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
      }
    });

    it("answers a signed-out GET /api/session with the security headers, a request id, no-store and JSON, in any case and with a trailing slash", async () => {
      for (const path of ["/api/session", "/API/Session/", "/api/session?x=1"]) {
        const response = await stack.client().get(path, { headers: { cookie: "other=1; xtobira=2" } });
        expect(response.status).toBe(200);
        expect(response.body).toEqual({ authenticated: false });
        expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
        expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
        expect(response.headers.get("cache-control")).toBe("no-store");
        expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
      }
      const head = await fetch(`${stack.bffUrl}/api/session`, { method: "HEAD" });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe("");
    });

    it("answers HEAD /healthz with the headers and no body, and other methods or longer paths with 404", async () => {
      const head = await fetch(`${stack.bffUrl}/healthz`, { method: "HEAD" });
      expect(head.status).toBe(200);
      expect(head.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      expect(await head.text()).toBe("");
      const post = await stack.client().post("/healthz", {});
      const longer = await stack.client().get("/healthzz");
      expect([post.status, longer.status]).toEqual([404, 404]);
    });

    it("answers GET /readyz with 200 when Cognito and the store answer", async () => {
      const response = await stack.client().get("/readyz");
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: "ok", checks: { cognito: "ok", store: "ok" } });
    });

    it("answers GET /readyz with 503 when neither Cognito nor the store answers", async () => {
      const deadEndpoint = "http://127.0.0.1:9"; // discard port: nothing listens
      const client = createDynamoDbClient({ region: "us-east-1", endpoint: deadEndpoint, placeholderCredentials: true });
      const config = { ...stack.config, cognito: { ...stack.config.cognito, jwksUri: `${deadEndpoint}/jwks.json` } };
      const bff = await startBff({ config, store: createDynamoStore({ client, tableName: "tobira-test" }), port: 0, host: "127.0.0.1" });
      try {
        const response = await new HttpClient(bff.url).get("/readyz");
        expect(response.status).toBe(503);
        expect(response.body).toEqual({ status: "unavailable", checks: { cognito: "unavailable", store: "unavailable" } });
      } finally {
        await bff.close();
        client.destroy();
      }
    });
  });

  it("answers 503 service_unavailable when Cognito cannot be reached", async () => {
    const config = { ...stack.config, cognito: { ...stack.config.cognito, endpoint: "http://127.0.0.1:9" } };
    const bff = await startBff({ config, store: stack.store, port: 0, host: "127.0.0.1" });
    try {
      const response = await new HttpClient(bff.url).post("/api/signin", credentials());
      expect(response.status).toBe(503);
      expect(errorOf(response).code).toBe("service_unavailable");
      expect(response.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    } finally {
      await bff.close();
    }
  });

  it("answers an unexpected failure with 500 internal_error and a generic message, no internals", async () => {
    const failingStore: Store = {
      ...stack.store,
      get: async () => {
        throw new Error("dynamo exploded at /srv/secret/path");
      },
    };
    const bff = await startBff({ config: stack.config, store: failingStore, port: 0, host: "127.0.0.1" });
    try {
      // The session lookup (a store read) fails.
      const { client } = await signedInClient(stack);
      const withSession = await new HttpClient(bff.url).get("/api/session", {
        headers: { cookie: `tobira=${client.cookie("tobira")}; tobira.sig=${client.cookie("tobira.sig")}` },
      });
      expect(withSession.status).toBe(500);
      expect(withSession.body).toEqual({ error: { code: "internal_error", message: expect.any(String) } });
      expect(withSession.text).not.toMatch(/exploded|secret|at .*\.ts/);
    } finally {
      await bff.close();
    }
  });
});

describe("AWS mode cookies", () => {
  let stack: TestStack;

  beforeAll(async () => {
    const local = (await import("../../../common/local-config")).loadLocalConfig();
    const client = local.userPool.clients[0]!;
    stack = await startTestStack({
      bffEnv: {
        TOBIRA_MODE: "aws",
        AWS_REGION: local.region,
        COGNITO_USER_POOL_ID: local.userPool.id,
        COGNITO_CLIENT_ID: client.clientId,
        COGNITO_CLIENT_SECRET: client.clientSecret!,
        COOKIE_KEYS: "a-cookie-key-for-aws-mode-tests-0000000000",
        PASSKEY_PROOF_SECRET: "a-passkey-proof-secret-for-aws-mode-tests-00",
        PUBLIC_URL: "https://tobira.example",
      },
    });
  });
  afterAll(() => stack.close());

  it("sets the session cookie as __Host-tobira (and its signature), Secure behind a TLS-terminating proxy, HttpOnly, SameSite=Lax, Path=/ and no Domain", async () => {
    const email = uniqueEmail();
    const client = stack.client({ "x-forwarded-proto": "https" });
    await client.post("/api/signup", { email, password: strongPassword });
    await client.post("/api/signup/confirm", { email, code: await stack.latestCode(email) });
    const response = await client.post("/api/signin", { email, password: strongPassword });
    expect(response.status).toBe(200);
    const cookie = response.setCookies.find((line) => line.startsWith("__Host-tobira="));
    expect(cookie).toMatch(/;\s*secure/i);
    expect(cookie).toMatch(/;\s*httponly/i);
    expect(cookie).toMatch(/;\s*samesite=lax/i);
    // The prefix is honoured only with Secure, Path=/ and no Domain (RFC 6265bis, "Cookie Name Prefixes").
    const signature = response.setCookies.find((line) => line.startsWith("__Host-tobira.sig="));
    for (const line of [cookie, signature]) {
      expect(line).toMatch(/;\s*path=\/(;|$)/i);
      expect(line).not.toMatch(/;\s*domain=/i);
      expect(line).toMatch(/;\s*secure/i);
    }
    expect(response.setCookies.some((line) => line.startsWith("tobira="))).toBe(false);
  });

  it("sets the device cookie as __Host-tobira.device after a sign-in: Secure, HttpOnly, SameSite=Strict, Path=/ and no Domain", async () => {
    const email = uniqueEmail();
    const client = stack.client({ "x-forwarded-proto": "https" });
    await client.post("/api/signup", { email, password: strongPassword });
    await client.post("/api/signup/confirm", { email, code: await stack.latestCode(email) });
    expect((await client.post("/api/signin", { email, password: strongPassword })).status).toBe(200);
    const done = await client.post("/api/signin/otp", { code: await stack.latestCode(email) });
    expect(done.status, done.text).toBe(200);
    const cookie = done.setCookies.find((line) => line.startsWith("__Host-tobira.device="));
    expect(cookie).toMatch(/;\s*secure/i);
    expect(cookie).toMatch(/;\s*httponly/i);
    expect(cookie).toMatch(/;\s*samesite=strict/i);
    expect(cookie).toMatch(/;\s*path=\/(;|$)/i);
    expect(cookie).not.toMatch(/;\s*domain=/i);
    expect(done.setCookies.some((line) => line.startsWith("tobira.device="))).toBe(false);
  });
});
