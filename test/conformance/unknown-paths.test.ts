import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spaPagePaths } from "../../common/api-contract";
import type { TestStack } from "../support/stack";
import { startOidcStack } from "./support";

/**
 * Unknown addresses answer 404 in a type the client can read (RFC 9110 §15.5.5), and the
 * provider's metadata is also served at the RFC 8414 address, so a client that looks there first
 * reads the same JSON document instead of the SPA's HTML.
 */

let stack: TestStack;
let distDir: string;

beforeAll(async () => {
  distDir = mkdtempSync(path.join(tmpdir(), "tobira-web-"));
  mkdirSync(path.join(distDir, "assets"));
  writeFileSync(path.join(distDir, "index.html"), "<!doctype html><title>Tobira SPA</title>");
  stack = await startOidcStack({ configure: (config) => ({ ...config, web: { serve: true, distDir } }) });
});

afterAll(async () => {
  await stack?.close();
  rmSync(distDir, { recursive: true, force: true });
});

const asBrowser = { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };

async function get(pathname: string, headers: Record<string, string> = asBrowser): Promise<Response> {
  return fetch(new URL(pathname, stack.bffUrl), { headers, redirect: "manual" });
}

describe("RFC 8414 authorization server metadata", () => {
  it("is served at /.well-known/oauth-authorization-server as JSON, the same document as OpenID discovery", async () => {
    const [oauth, openid] = await Promise.all([get("/.well-known/oauth-authorization-server"), get("/.well-known/openid-configuration")]);
    expect(oauth.status).toBe(200);
    expect(oauth.headers.get("content-type")).toMatch(/^application\/json/);
    const metadata = (await oauth.json()) as Record<string, unknown>;
    expect(metadata.issuer).toBe(stack.bffUrl);
    expect(metadata).toEqual(await openid.json());
  });
});

describe("unknown addresses answer 404", () => {
  for (const pathname of ["/.well-known/webfinger?resource=acct:a@example.com", "/.well-known/change-password-x", "/.well-known/security.txt"]) {
    it(`${pathname}: 404 JSON, not the SPA`, async () => {
      const response = await get(pathname);
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect(await response.text()).not.toContain("Tobira SPA");
    });
  }

  it("an unknown path under /oidc/: 404, not the SPA", async () => {
    const response = await get("/oidc/nothing-here");
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain("Tobira SPA");
  });

  it("an unknown path under /interaction/: 404 JSON, not the SPA", async () => {
    const response = await get("/interaction/abc/nothing-here");
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  });

  it("an unknown page address from a browser: the SPA's document (its not-found page) with status 404", async () => {
    const response = await get("/no-such-page");
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await response.text()).toContain("Tobira SPA");
  });

  it("an unknown page address from a JSON client: 404 JSON", async () => {
    const response = await get("/no-such-page", { accept: "application/json" });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });

  it("every page of the SPA answers 200 with its document (a trailing slash too)", async () => {
    for (const pathname of [...spaPagePaths, "/signin/"]) {
      const response = await get(pathname);
      expect(response.status, pathname).toBe(200);
      expect(await response.text()).toContain("Tobira SPA");
    }
  });
});
