import type { IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import Keygrip from "keygrip";
import { describe, expect, it } from "vitest";
import { loadBffConfig } from "../../../bff/config";
import type { BffConfig } from "../../../bff/config";
import { carriesSessionCookie, normalisedEmail, sessionCookieMiddleware, sessionCookieReader } from "../../../bff/session/session-manager";

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

/** One request through sessionCookieReader: what `req.session` was, and the Set-Cookie lines. */
async function readWithReader(config: BffConfig, cookie?: string): Promise<{ session: unknown; setCookies: string[] }> {
  const app = express();
  let session: unknown = "not reached";
  app.get("/", sessionCookieReader(config), (req, res) => {
    session = req.session;
    res.end();
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/`, { headers: cookie === undefined ? {} : { cookie } });
    return { session, setCookies: response.headers.getSetCookie() };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

/** A cookie header with the session cookie and its `.sig`, signed under `key` as the `cookies` library signs. */
function signedCookie(config: BffConfig, value: string, key: string): string {
  const name = config.cookie.name;
  return `${name}=${value}; ${name}.sig=${new Keygrip([key]).sign(`${name}=${value}`)}`;
}

const encoded = (session: unknown) => Buffer.from(JSON.stringify(session)).toString("base64");

describe("the session cookie read by GET /api/session (sessionCookieReader)", () => {
  const config = loadBffConfig({});
  const name = config.cookie.name;
  const sid = "s".repeat(43);

  it("reads the session that cookie-session wrote", async () => {
    const written = (await setCookieHeaders(config)).map((line) => line.split(";", 1)[0]).join("; ");

    expect((await readWithReader(config, written)).session).toEqual({ sid });
  });

  it("leaves the session undefined when the request has no session cookie, even beside cookies whose names end with its name", async () => {
    expect((await readWithReader(config)).session).toBeUndefined();
    const others = `x${signedCookie(config, encoded({ sid }), config.cookie.keys[0]!)}; other=1`;
    expect((await readWithReader(config, others)).session).toBeUndefined();
  });

  it("refuses a value whose signature does not match (the value changed, the signature kept)", async () => {
    const genuine = signedCookie(config, encoded({ sid }), config.cookie.keys[0]!);
    const forged = genuine.replace(`${name}=${encoded({ sid })}`, `${name}=${encoded({ sid: "f".repeat(43) })}`);

    expect((await readWithReader(config, forged)).session).toBeUndefined();
  });

  it("refuses a value without its signature cookie", async () => {
    expect((await readWithReader(config, `${name}=${encoded({ sid })}`)).session).toBeUndefined();
  });

  it("reads a value signed under an older key of COOKIE_KEYS and signs it again under the first (rotation)", async () => {
    const rotated: BffConfig = { ...config, cookie: { ...config.cookie, keys: ["a-new-key-".repeat(4), ...config.cookie.keys] } };
    const { session, setCookies } = await readWithReader(rotated, signedCookie(config, encoded({ sid }), config.cookie.keys[0]!));

    expect(session).toEqual({ sid });
    const resigned = setCookies
      .find((line) => line.startsWith(`${name}.sig=`))
      ?.split(";", 1)[0]
      ?.slice(`${name}.sig=`.length);
    expect(resigned).toBe(new Keygrip([rotated.cookie.keys[0]!]).sign(`${name}=${encoded({ sid })}`));
  });

  it("leaves the session undefined for a signed value that is not cookie-session's base64 JSON", async () => {
    expect((await readWithReader(config, signedCookie(config, "bm90IGpzb24", config.cookie.keys[0]!))).session).toBeUndefined();
  });
});

describe("whether a request carries the session cookie (carriesSessionCookie)", () => {
  const config = loadBffConfig({});
  const carries = carriesSessionCookie(config);
  const withCookie = (cookie?: string) => ({ headers: cookie === undefined ? {} : { cookie } }) as IncomingMessage;

  it("is true when the Cookie header has a cookie of the session cookie's name", () => {
    expect(carries(withCookie(`lang=ja; ${config.cookie.name}=e30=; ${config.cookie.name}.sig=x`))).toBe(true);
  });

  it("is false without a Cookie header, or with other cookies only", () => {
    expect(carries(withCookie())).toBe(false);
    expect(carries(withCookie("lang=ja; other=1"))).toBe(false);
  });
});

describe("the spelling of an email address that keys a user's records", () => {
  it("is trimmed and lower-cased, so that another case or stray spaces find the same user", () => {
    expect(normalisedEmail("  Alice.Example@Example.COM ")).toBe("alice.example@example.com");
  });
});
