import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Express } from "express";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAlbModeApp } from "../../../bff/alb/alb-app";
import { AlbAuthError, type AlbRequestVerifier, type AlbVerifiedRequest } from "../../../bff/alb/verify-alb-request";
import { loadAlbModeConfig } from "../../../bff/config";
import { createLogger } from "../../../bff/logger";

/**
 * The ALB-mode app with its verifier replaced: what it answers from verified headers only (the
 * session, its fallbacks), how a refused header becomes the contract's 401 or 503, and the
 * logout that expires every ALB session shard. The verifier itself is tested in
 * verify-alb-request.test.ts and its neighbours; the whole ALB mode over HTTP in
 * test/integration/alb.
 */

const SUB = "5b0e7c1a-7f39-4d6b-9a3c-1e2f3a4b5c6d";
const config = loadAlbModeConfig({ TOBIRA_MODE: "local", ALB_MODE: "true", COGNITO_ENDPOINT: "http://127.0.0.1:9" });

/** What the fake verifier answers next: a verified request, or an error to throw. */
let next: AlbVerifiedRequest | Error;
const verifier: AlbRequestVerifier = {
  async verify() {
    if (next instanceof Error) throw next;
    return next;
  },
};

function verified(oidcData: Record<string, unknown>, accessToken: Record<string, unknown> = {}): AlbVerifiedRequest {
  return {
    identity: SUB,
    rawAccessToken: "access-token",
    oidcData: { sub: SUB, ...oidcData } as unknown as AlbVerifiedRequest["oidcData"],
    accessToken: { sub: SUB, token_use: "access", ...accessToken },
  };
}

async function listen(app: Express): Promise<{ server: Server; base: string }> {
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

// A fresh app for each test, so that what its construction sets up (routes, settings, the
// logger) belongs to the tests that use it: with one app built in beforeAll, Stryker reported
// mutants of that set-up as surviving although re-applying them by hand failed these tests.
let server: Server;
let base: string;
beforeEach(async () => {
  ({ server, base } = await listen(createAlbModeApp({ config, verifier, fetchUserInfo: async () => ({ sub: SUB }), logger: createLogger("silent") })));
});
afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers: { accept: "application/json", ...headers }, redirect: "manual" });
const sameOrigin = { origin: new URL(config.publicUrl).origin, "content-type": "application/json" };

describe("GET /api/session in ALB mode", () => {
  it("answers from the verified claims: sub, email, username, amr and auth_time", async () => {
    next = verified({ email: "ada@example.com", username: "ada", amr: ["pwd", "mfa"], auth_time: 1_700_000_100 }, { auth_time: 1_700_000_000, iat: 1_700_000_200 });
    const response = await get("/api/session");
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({
      authenticated: true,
      user: { sub: SUB, email: "ada@example.com", username: "ada" },
      amr: ["pwd", "mfa"],
      authTime: 1_700_000_000,
    });
  });

  it("falls back to the access token's username, then to the sub; to the user claims' auth_time, then iat; and to amr pwd", async () => {
    next = verified({ email: "", auth_time: 1_700_000_100, amr: [] }, { username: "from-access", iat: 1_700_000_200 });
    expect(await (await get("/api/session")).json()).toEqual({
      authenticated: true,
      user: { sub: SUB, email: "", username: "from-access" },
      amr: ["pwd"],
      authTime: 1_700_000_100,
    });

    next = verified({ amr: ["pwd", 7] }, { iat: 1_700_000_200, auth_time: 1.5 });
    expect(await (await get("/api/session")).json()).toEqual({
      authenticated: true,
      user: { sub: SUB, email: "", username: SUB },
      amr: ["pwd"],
      authTime: 1_700_000_200,
    });

    next = verified({ amr: "pwd" }, { amr: ["hwk"] });
    expect(await (await get("/api/session")).json()).toMatchObject({ amr: ["pwd"], authTime: 0 });

    next = verified({}, { amr: ["hwk"] });
    expect(await (await get("/api/session")).json()).toMatchObject({ amr: ["hwk"] });
  });

  it("takes only non-empty string claims: an email that is not a string shows empty, an empty username falls back", async () => {
    next = verified({ email: 42, username: "" }, { username: "from-access" });
    expect(await (await get("/api/session")).json()).toMatchObject({ user: { sub: SUB, email: "", username: "from-access" } });
  });

  it("answers a refused header with the contract's 401, saying why without quoting it", async () => {
    next = new AlbAuthError("expired", "oidc_data");
    const response = await get("/api/session");
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: { code: "unauthenticated", message: "The sign-in has expired." } });
  });

  it("answers 503 service_unavailable when the keys cannot be fetched", async () => {
    next = new AlbAuthError("key_endpoint_unavailable", "oidc_data");
    const response = await get("/api/session");
    expect(response.status).toBe(503);
    // The verifier's own sentence, not the generic one for a 503.
    expect(await response.json()).toEqual({ error: { code: "service_unavailable", message: "The keys needed to check the sign-in cannot be fetched right now." } });
  });

  it("answers any other verifier failure as its own fault (500), showing nothing of it", async () => {
    next = new Error("bug with a secret inside");
    const response = await get("/api/session");
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: { code: "internal_error", message: "Something went wrong on our side. Try again." } });
  });

  it("logs why the headers were refused and which one, never the header's value", async () => {
    const lines: string[] = [];
    const logger = createLogger("info", { write: (line: string) => void lines.push(line) });
    const own = await listen(createAlbModeApp({ config, verifier, fetchUserInfo: async () => ({ sub: SUB }), logger }));
    try {
      next = new AlbAuthError("wrong_signer", "oidc_data");
      const response = await fetch(`${own.base}/api/session`, { headers: { accept: "application/json", "x-amzn-oidc-data": "forged.token.value" } });
      expect(response.status).toBe(401);
    } finally {
      await new Promise<void>((resolve) => own.server.close(() => resolve()));
    }
    const refusal = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((entry) => entry.msg === "ALB sign-in headers refused");
    expect(refusal).toMatchObject({ albAuthFailure: "wrong_signer", failedHeader: "oidc_data" });
    expect(lines.join("\n")).not.toContain("forged.token.value");
  });
});

describe("logging out in ALB mode", () => {
  const expired = (name: string) => `${name}=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; HttpOnly; Secure`;
  const shards = `${config.alb.sessionCookieName}-0=a; ${config.alb.sessionCookieName}-1=b; ${config.alb.sessionCookieName}-2=c; other=x`;

  it("POST /api/logout expires every shard the browser holds and answers Cognito's /logout", async () => {
    const response = await fetch(`${base}/api/logout`, { method: "POST", headers: { ...sameOrigin, cookie: shards }, body: "{}" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ redirectTo: config.alb.logoutUrl });
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.getSetCookie()).toEqual([0, 1, 2].map((index) => expired(`${config.alb.sessionCookieName}-${index}`)));
  });

  it("GET /logout does the same as a redirect", async () => {
    const response = await get("/logout", { cookie: shards });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(config.alb.logoutUrl);
    expect(response.headers.getSetCookie()).toHaveLength(3);
  });

  it("refuses a cross-site POST /api/logout and expires nothing", async () => {
    const response = await fetch(`${base}/api/logout`, { method: "POST", headers: { ...sameOrigin, origin: "https://evil.example", cookie: shards }, body: "{}" });
    expect(response.status).toBe(403);
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it("refuses a logout body with fields (400) and expires nothing", async () => {
    const response = await fetch(`${base}/api/logout`, { method: "POST", headers: { ...sameOrigin, cookie: shards }, body: JSON.stringify({ everywhere: true }) });
    expect(response.status).toBe(400);
    expect(response.headers.getSetCookie()).toEqual([]);
  });
});

describe("the rest of the ALB-mode app", () => {
  it("answers the load balancer's health check without a sign-in", async () => {
    next = new AlbAuthError("missing_headers");
    const response = await get("/healthz");
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("tells the SPA it runs behind the load balancer (GET /api/config)", async () => {
    const response = await get("/api/config");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ mode: "alb" });
  });

  it("does not announce Express (no X-Powered-By)", async () => {
    const response = await get("/healthz");
    expect(response.headers.has("x-powered-by")).toBe(false);
  });

  it("trusts as many proxy hops as TRUST_PROXY says (the load balancer is one)", () => {
    const behindAlb = loadAlbModeConfig({ TOBIRA_MODE: "local", ALB_MODE: "true", COGNITO_ENDPOINT: "http://127.0.0.1:9", TRUST_PROXY: "1" });
    expect(createAlbModeApp({ config: behindAlb, verifier, logger: createLogger("silent") }).get("trust proxy")).toBe(1);
  });

  describe("the web app", () => {
    let distDir: string;
    beforeAll(() => {
      distDir = mkdtempSync(path.join(tmpdir(), "tobira-alb-web-"));
      writeFileSync(path.join(distDir, "index.html"), "<!doctype html><title>Tobira test build</title>");
    });
    afterAll(() => rmSync(distDir, { recursive: true, force: true }));

    async function accountPage(serveWeb: "true" | "false"): Promise<Response> {
      const web = loadAlbModeConfig({ TOBIRA_MODE: "local", ALB_MODE: "true", COGNITO_ENDPOINT: "http://127.0.0.1:9", SERVE_WEB: serveWeb, WEB_DIST_DIR: distDir });
      const own = await listen(createAlbModeApp({ config: web, verifier, logger: createLogger("silent") }));
      try {
        const response = await fetch(`${own.base}/account`, { headers: { accept: "text/html" } });
        await response.clone().arrayBuffer();
        return response;
      } finally {
        await new Promise<void>((resolve) => own.server.close(() => resolve()));
      }
    }

    it("serves the SPA's pages from WEB_DIST_DIR", async () => {
      const response = await accountPage("true");
      expect(response.status).toBe(200);
      expect(await response.text()).toContain("Tobira test build");
    });

    it("serves no page with SERVE_WEB=false (404)", async () => {
      const response = await accountPage("false");
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain("Tobira test build");
    });
  });

  it.each(["/api/signin", "/api/signup", "/api/password/forgot"])("has no sign-in routes: POST %s is 404", async (path) => {
    const response = await fetch(`${base}${path}`, { method: "POST", headers: sameOrigin, body: "{}" });
    expect(response.status).toBe(404);
  });
});
