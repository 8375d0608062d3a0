import type { AddressInfo } from "node:net";
import express from "express";
import { describe, expect, it } from "vitest";
import { loadBffConfig } from "../../../bff/config";
import { signedOutSessionRead } from "../../../bff/session/session-routes";

/**
 * GET /api/session without a session cookie (bff/session/session-routes.ts, signedOutSessionRead):
 * answered before any routing with the route's signed-out answer; everything else goes on.
 */

const config = loadBffConfig({});

/** One request to an app with the early answer in front of a route that says it was reached. */
async function request(path: string, init: RequestInit = {}): Promise<{ status: number; body: string; cacheControl: string | null }> {
  const app = express();
  app.use(signedOutSessionRead(config));
  app.use((_req, res) => {
    res.json({ reached: "the route" });
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}${path}`, init);
    return { status: response.status, body: await response.text(), cacheControl: response.headers.get("cache-control") };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

const signedOut = JSON.stringify({ authenticated: false });
const reachedRoute = JSON.stringify({ reached: "the route" });

describe("the signed-out session read", () => {
  it("answers GET /api/session without a session cookie itself, no-store, in any case, with one trailing slash and a query", async () => {
    for (const path of ["/api/session", "/API/SESSION", "/api/session/", "/api/session?lang=ja"]) {
      expect(await request(path)).toEqual({ status: 200, body: signedOut, cacheControl: "no-store" });
    }
  });

  it("answers when the request carries other cookies only", async () => {
    expect((await request("/api/session", { headers: { cookie: "other=1; lang=ja" } })).body).toBe(signedOut);
  });

  it("leaves a cookie whose name ends with the session cookie's to the route (the cheap test cannot tell them apart)", async () => {
    expect((await request("/api/session", { headers: { cookie: `x${config.cookie.name}=2` } })).body).toBe(reachedRoute);
  });

  it("lets a request with the session cookie go on to the route, which reads the session", async () => {
    expect((await request("/api/session", { headers: { cookie: `${config.cookie.name}=e30=; ${config.cookie.name}.sig=x` } })).body).toBe(reachedRoute);
  });

  it("lets other methods and other paths go on", async () => {
    expect((await request("/api/session", { method: "POST" })).body).toBe(reachedRoute);
    for (const path of ["/api/sessions", "/api/session//", "/api/session/x", "/session", "/api/api/session"]) {
      expect((await request(path)).body).toBe(reachedRoute);
    }
  });
});
