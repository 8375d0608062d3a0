import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestStack } from "../support/stack";
import { startOidcStack } from "./support";

/**
 * The issuer and every URL the provider hands out come from PUBLIC_URL, whatever the request's
 * `Host`, `X-Forwarded-Host` or `X-Forwarded-Proto` say (a forged host must not move the token
 * endpoint to another origin); discovery and the JWKS say how long they may be cached. The stack
 * trusts one proxy, as behind a load balancer, so the forwarded headers are read at all.
 */

let stack: TestStack;

beforeAll(async () => {
  stack = await startOidcStack({ bffEnv: { TRUST_PROXY: "1" } });
});

afterAll(async () => {
  await stack?.close();
});

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A GET with the headers as given, Host included (fetch does not let a caller set Host). */
function rawGet(path: string, headers: Record<string, string>): Promise<RawAnswer> {
  const url = new URL(path, stack.bffUrl);
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method: "GET", headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
      incoming.on("end", () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    outgoing.on("error", reject);
    outgoing.end();
  });
}

const forgedHosts = {
  Host: { host: "evil.example.com" },
  "X-Forwarded-Host": { "x-forwarded-host": "evil.example.com" },
  "X-Forwarded-Proto and X-Forwarded-Host": { "x-forwarded-proto": "https", "x-forwarded-host": "evil.example.com:8443" },
} as const;

/** Every string in the document that looks like a URL. */
function urlsIn(document: Record<string, unknown>): string[] {
  return Object.values(document).filter((value): value is string => typeof value === "string" && /^[a-z]+:\/\//.test(value));
}

describe("URLs pinned to PUBLIC_URL", () => {
  for (const [name, headers] of Object.entries(forgedHosts)) {
    it(`discovery ignores a forged ${name}: the issuer and every endpoint on PUBLIC_URL`, async () => {
      const answer = await rawGet("/.well-known/openid-configuration", headers);
      expect(answer.status).toBe(200);
      const metadata = JSON.parse(answer.body) as Record<string, unknown>;
      expect(metadata.issuer).toBe(stack.bffUrl);
      const urls = urlsIn(metadata);
      expect(urls.length).toBeGreaterThanOrEqual(6);
      for (const url of urls) expect(url.startsWith(`${stack.bffUrl}/`) || url === stack.bffUrl, url).toBe(true);
    });
  }

  it("the sign-out confirmation's form posts to PUBLIC_URL despite a forged X-Forwarded-Host", async () => {
    const answer = await rawGet("/oidc/session/end", forgedHosts["X-Forwarded-Proto and X-Forwarded-Host"]);
    expect(answer.status).toBe(200);
    expect(answer.body).toContain(`action="${stack.bffUrl}/oidc/session/end/confirm"`);
    expect(answer.body).not.toContain("evil.example.com");
  });

  it("the RFC 8414 metadata ignores a forged Host as well", async () => {
    const answer = await rawGet("/.well-known/oauth-authorization-server", forgedHosts.Host);
    expect(answer.status).toBe(200);
    expect((JSON.parse(answer.body) as { token_endpoint: string }).token_endpoint).toBe(`${stack.bffUrl}/oidc/token`);
  });
});

describe("Cache-Control of the provider's metadata", () => {
  for (const path of ["/.well-known/openid-configuration", "/.well-known/oauth-authorization-server", "/oidc/jwks"]) {
    it(`${path} may be cached for five minutes, publicly`, async () => {
      const response = await fetch(`${stack.bffUrl}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control")).toBe("public, max-age=300");
    });
  }

  it("token answers stay no-store", async () => {
    const response = await fetch(`${stack.bffUrl}/oidc/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=authorization_code&code=x",
    });
    expect(response.headers.get("cache-control")).toBe("no-store");
  });
});
