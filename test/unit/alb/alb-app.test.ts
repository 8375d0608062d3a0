import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

let server: Server;
let base: string;
beforeAll(async () => {
  const app = createAlbModeApp({ config, verifier, fetchUserInfo: async () => ({ sub: SUB }), logger: createLogger("silent") });
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

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
    expect(await response.json()).toMatchObject({ error: { code: "service_unavailable" } });
  });

  it("answers any other verifier failure as its own fault (500), showing nothing of it", async () => {
    next = new Error("bug with a secret inside");
    const response = await get("/api/session");
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain("secret");
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

  it.each(["/api/signin", "/api/signup", "/api/password/forgot"])("has no sign-in routes: POST %s is 404", async (path) => {
    const response = await fetch(`${base}${path}`, { method: "POST", headers: sameOrigin, body: "{}" });
    expect(response.status).toBe(404);
  });
});
