import type { AddressInfo } from "node:net";
import express from "express";
import { describe, expect, it } from "vitest";
import { loadBffConfig } from "../../../bff/config";
import type { BffConfig } from "../../../bff/config";
import { normalisedEmail, sessionCookieMiddleware } from "../../../bff/session/session-manager";

/**
 * The browser's session cookie (bff/session/session-manager.ts, sessionCookieMiddleware): only
 * a signed random id, with the flags of the OWASP Session Management Cheat Sheet ("Cookies").
 */

/** The Set-Cookie headers of one request to an app that puts an id in the cookie session. */
async function setCookieHeaders(config: BffConfig, headers: Record<string, string> = {}): Promise<string[]> {
  const app = express();
  app.set("trust proxy", true);
  app.use(sessionCookieMiddleware(config));
  app.get("/", (req, res) => {
    req.session = { sid: "s".repeat(43) };
    res.end();
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/`, { headers });
    return response.headers.getSetCookie();
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

const attributesOf = (cookie: string) =>
  cookie
    .split(";")
    .slice(1)
    .map((attribute) => attribute.trim().toLowerCase());

describe("the session cookie", () => {
  const config = loadBffConfig({});

  it("is named from the configuration, signed, HttpOnly, SameSite=Lax and for the whole site", async () => {
    const [session, signature] = await setCookieHeaders(config);

    expect(session).toMatch(new RegExp(`^${config.cookie.name}=`));
    expect(signature).toMatch(new RegExp(`^${config.cookie.name}\\.sig=`));
    for (const cookie of [session!, signature!]) {
      expect(attributesOf(cookie)).toEqual(expect.arrayContaining(["httponly", "samesite=lax", "path=/"]));
    }
  });

  it("lasts as long as a signed-in session may (SESSION_TTL_SECONDS)", async () => {
    const before = Date.now();
    const [session] = await setCookieHeaders(config);

    const expires = Date.parse(
      attributesOf(session!)
        .find((attribute) => attribute.startsWith("expires="))!
        .slice("expires=".length),
    );
    const ttlMs = config.session.ttlSeconds * 1000;
    expect(expires).toBeGreaterThanOrEqual(before + ttlMs - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + ttlMs);
  });

  it("is Secure when the configuration says so (any deployment over https)", async () => {
    const [session] = await setCookieHeaders({ ...config, cookie: { ...config.cookie, secure: true } }, { "x-forwarded-proto": "https" });

    expect(attributesOf(session!)).toContain("secure");
  });

  it("is not Secure on http://localhost, where a browser would drop it", async () => {
    const [session] = await setCookieHeaders({ ...config, cookie: { ...config.cookie, secure: false } });

    expect(attributesOf(session!)).not.toContain("secure");
  });
});

describe("the spelling of an email address that keys a user's records", () => {
  it("is trimmed and lower-cased, so that another case or stray spaces find the same user", () => {
    expect(normalisedEmail("  Alice.Example@Example.COM ")).toBe("alice.example@example.com");
  });
});
