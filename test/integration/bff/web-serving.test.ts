import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBff, type RunningBff } from "../../../bff/server";
import { HttpClient } from "../../support/http-client";
import { startTestStack, type TestStack } from "../../support/stack";

/** A GET as raw bytes (fetch would undo the Content-Encoding), with the request headers given. */
function rawGet(
  baseUrl: string,
  urlPath: string,
  headers: Record<string, string>,
  method = "GET",
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(urlPath, baseUrl), { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

const appScript = "console.log('app');".repeat(50);
const pageHtml = `<!doctype html><title>Tobira</title>${"<p>shell</p>".repeat(40)}`;

describe("serving the built SPA (dist/web)", () => {
  let stack: TestStack;
  let distDir: string;
  let withSpa: RunningBff;
  let withoutSpa: RunningBff;

  beforeAll(async () => {
    stack = await startTestStack();
    distDir = mkdtempSync(path.join(tmpdir(), "tobira-web-"));
    mkdirSync(path.join(distDir, "assets"));
    writeFileSync(path.join(distDir, "index.html"), pageHtml);
    writeFileSync(path.join(distDir, "index.html.gz"), gzipSync(pageHtml));
    writeFileSync(path.join(distDir, "assets", "index-4f2a9c.js"), appScript);
    // The build's precompressed copies (vite.config.ts): brotli and gzip of the script, gzip only of index.html.
    writeFileSync(path.join(distDir, "assets", "index-4f2a9c.js.br"), brotliCompressSync(appScript));
    writeFileSync(path.join(distDir, "assets", "index-4f2a9c.js.gz"), gzipSync(appScript));
    // A file whose brotli copy a rebuild will remove under the running server.
    writeFileSync(path.join(distDir, "assets", "replaced-77aa.js"), appScript);
    writeFileSync(path.join(distDir, "assets", "replaced-77aa.js.br"), brotliCompressSync(appScript));
    mkdirSync(path.join(distDir, ".vite"));
    writeFileSync(path.join(distDir, ".vite", "manifest.json"), "{}");
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

  it("keeps an ETag on index.html (revalidated, no-cache) though JSON answers have none", async () => {
    const page = await new HttpClient(withSpa.url).get("/");
    expect(page.headers.get("etag")).toMatch(/^W\/"/);
    const json = await new HttpClient(withSpa.url).get("/api/session");
    expect(json.headers.get("etag")).toBeNull();
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

  it("sends the brotli copy of an asset to a browser that accepts br, with its own type and Vary", async () => {
    const response = await rawGet(withSpa.url, "/assets/index-4f2a9c.js", { "Accept-Encoding": "gzip, deflate, br" });
    expect(response.status).toBe(200);
    expect(response.headers["content-encoding"]).toBe("br");
    expect((await rawGet(withSpa.url, "/assets/index-4f2a9c.js", { "Accept-Encoding": "*" })).headers["content-encoding"]).toBe("br");
    expect(response.headers["content-type"]).toMatch(/^(text|application)\/javascript/);
    expect(response.headers.vary).toMatch(/Accept-Encoding/i);
    expect(response.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(response.headers["accept-ranges"]).toBeUndefined();
    expect(brotliDecompressSync(response.body).toString()).toBe(appScript);
  });

  it("sends the gzip copy when the browser prefers gzip or accepts only gzip", async () => {
    for (const acceptEncoding of ["gzip", "br;q=0.5, gzip", "gzip, br;q=0", "br;q=0, *"]) {
      const response = await rawGet(withSpa.url, "/assets/index-4f2a9c.js", { "Accept-Encoding": acceptEncoding });
      expect(response.headers["content-encoding"], acceptEncoding).toBe("gzip");
      expect(gunzipSync(response.body).toString()).toBe(appScript);
    }
  });

  it("sends the file as is, still with Vary, to a client that accepts no encoding the build made", async () => {
    for (const headers of [{}, { "Accept-Encoding": "identity" }, { "Accept-Encoding": "deflate" }] as Record<string, string>[]) {
      const response = await rawGet(withSpa.url, "/assets/index-4f2a9c.js", headers);
      expect(response.status).toBe(200);
      expect(response.headers["content-encoding"]).toBeUndefined();
      expect(response.headers.vary).toMatch(/Accept-Encoding/i);
      expect(response.body.toString()).toBe(appScript);
    }
  });

  it("answers HEAD for a compressed asset with its headers and no body", async () => {
    const response = await rawGet(withSpa.url, "/assets/index-4f2a9c.js", { "Accept-Encoding": "br" }, "HEAD");
    expect(response.status).toBe(200);
    expect(response.headers["content-encoding"]).toBe("br");
    expect(response.body.length).toBe(0);
  });

  it("sends index.html compressed at the SPA's pages and at unknown addresses, never cached", async () => {
    const page = await rawGet(withSpa.url, "/signin", { "Accept-Encoding": "gzip, deflate, br", Accept: "text/html" });
    expect(page.status).toBe(200);
    expect(page.headers["content-encoding"]).toBe("gzip");
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
    expect(page.headers["cache-control"]).toBe("no-cache");
    expect(page.headers.vary).toMatch(/Accept-Encoding/i);
    expect(gunzipSync(page.body).toString()).toBe(pageHtml);

    const unknown = await rawGet(withSpa.url, "/no/such/page", { "Accept-Encoding": "gzip", Accept: "text/html" });
    expect(unknown.status).toBe(404);
    expect(unknown.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(unknown.body).toString()).toBe(pageHtml);
  });

  it("still serves, as is and with the long cache, an asset a rebuild added after the server started", async () => {
    writeFileSync(path.join(distDir, "assets", "added-5e6f.js"), appScript);
    const response = await rawGet(withSpa.url, "/assets/added-5e6f.js", { "Accept-Encoding": "gzip, br" });
    expect(response.status).toBe(200);
    expect(response.headers["content-encoding"]).toBeUndefined();
    expect(response.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(response.body.toString()).toBe(appScript);
  });

  it("sends the file as is when its compressed copy has gone since the server started", async () => {
    unlinkSync(path.join(distDir, "assets", "replaced-77aa.js.br"));
    const response = await rawGet(withSpa.url, "/assets/replaced-77aa.js", { "Accept-Encoding": "br" });
    expect(response.status).toBe(200);
    expect(response.headers["content-encoding"]).toBeUndefined();
    expect(response.body.toString()).toBe(appScript);
  });

  it("does not serve the build's manifest (dot folder)", async () => {
    const response = await new HttpClient(withSpa.url).get("/.vite/manifest.json");
    expect(response.status).toBe(404);
  });

  it("says to run npm run build when dist/web is missing", async () => {
    const response = await new HttpClient(withoutSpa.url).get("/signin");
    expect(response.status).toBe(503);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(response.text).toContain("npm run build");
  });
});
