import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBff, type RunningBff } from "../../../bff/server";
import { HttpClient } from "../../support/http-client";
import { startTestStack, type TestStack } from "../../support/stack";

describe("serving the built SPA (dist/web)", () => {
  let stack: TestStack;
  let distDir: string;
  let withSpa: RunningBff;
  let withoutSpa: RunningBff;

  beforeAll(async () => {
    stack = await startTestStack();
    distDir = mkdtempSync(path.join(tmpdir(), "tobira-web-"));
    mkdirSync(path.join(distDir, "assets"));
    writeFileSync(path.join(distDir, "index.html"), "<!doctype html><title>Tobira</title>");
    writeFileSync(path.join(distDir, "assets", "index-4f2a9c.js"), "console.log('app')");
    writeFileSync(path.join(distDir, "favicon.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
    const start = (dir: string) => startBff({ config: { ...stack.config, web: { serve: true, distDir: dir } }, store: stack.store, port: 0, host: "127.0.0.1" });
    withSpa = await start(distDir);
    withoutSpa = await start(path.join(distDir, "missing"));
  });
  afterAll(async () => {
    await withSpa.close();
    await withoutSpa.close();
    await stack.close();
    rmSync(distDir, { recursive: true, force: true });
  });

  it("serves index.html at / without caching it", async () => {
    const response = await new HttpClient(withSpa.url).get("/");
    expect(response.status).toBe(200);
    expect(response.text).toContain("<title>Tobira</title>");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    expect(response.headers.get("content-security-policy")).toContain("script-src 'self'");
  });

  it("serves index.html for client-side routes such as /signin/code", async () => {
    const response = await new HttpClient(withSpa.url).get("/signin/code");
    expect(response.status).toBe(200);
    expect(response.text).toContain("<title>Tobira</title>");
  });

  it("serves hashed assets with a one-year immutable cache", async () => {
    const response = await new HttpClient(withSpa.url).get("/assets/index-4f2a9c.js");
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  });

  it("serves other static files without a long cache", async () => {
    const response = await new HttpClient(withSpa.url).get("/favicon.svg");
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-cache");
  });

  it("answers a missing asset with 404, not index.html", async () => {
    const response = await new HttpClient(withSpa.url).get("/assets/missing.js");
    expect(response.status).toBe(404);
  });

  it("keeps /api answers in JSON: unknown /api paths stay 404 not_found", async () => {
    const response = await new HttpClient(withSpa.url).get("/api/unknown");
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error: { code: "not_found" } });
  });

  it("says to run npm run build when dist/web is missing", async () => {
    const response = await new HttpClient(withoutSpa.url).get("/signin");
    expect(response.status).toBe(503);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(response.text).toContain("npm run build");
  });
});
