import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express, { type Request } from "express";
import { afterEach, describe, expect, it } from "vitest";
import { loadBffConfig } from "../../../bff/config";
import { errorMiddleware } from "../../../bff/errors";
import { createLogger } from "../../../bff/logger";
import { createAuthRateLimits, emailInBody, rateLimitKind, SharedRateLimitStore } from "../../../bff/middleware/rate-limit";
import type { Store } from "../../../bff/store/store";
import { memoryStore } from "../../support/memory-store";

/**
 * The rate limiter on its own (OWASP Authentication Cheat Sheet, "Protect Against Automated
 * Attacks"): counters in the shared store under hashed keys, one spelling per email, only failed
 * calls counted against an email, and its own budget for passkey request options. The routes
 * that carry it are checked over HTTP in test/integration/bff/rate-limit-coverage.test.ts.
 */

describe("emailInBody", () => {
  it("reads the email in one spelling: trimmed and lower-cased", () => {
    expect(emailInBody({ body: { email: "  Ada@Example.COM " } } as Request)).toBe("ada@example.com");
  });

  it.each([
    ["no body", undefined],
    ["a null body", null],
    ["a body that is not an object", "ada@example.com"],
    ["no email", { code: "123456" }],
    ["an email that is not a string", { email: ["ada@example.com"] }],
    ["a blank email", { email: "   " }],
  ])("finds none in %s", (_what, body) => {
    expect(emailInBody({ body } as Request)).toBeUndefined();
  });
});

describe("SharedRateLimitStore", () => {
  function storeWithIds() {
    const store = memoryStore();
    const ids: string[] = [];
    const increment = store.increment.bind(store);
    store.increment = (kind, id, windowSeconds, by) => {
      ids.push(`${kind}/${id}/${windowSeconds}`);
      return increment(kind, id, windowSeconds, by);
    };
    return { store, ids };
  }

  it("counts hits per key in the shared store, under a hashed key with its prefix", async () => {
    const { store, ids } = storeWithIds();
    const limiter = new SharedRateLimitStore(store, "email");
    limiter.init({ windowMs: 60_000 } as Parameters<SharedRateLimitStore["init"]>[0]);

    expect((await limiter.increment("ada@example.com")).totalHits).toBe(1);
    const second = await limiter.increment("ada@example.com");
    expect(second.totalHits).toBe(2);
    expect(second.resetTime!.getTime()).toBeGreaterThan(Date.now());
    expect((await limiter.increment("bob@example.com")).totalHits).toBe(1);

    expect(ids[0]).toMatch(new RegExp(`^${rateLimitKind}/email:[A-Za-z0-9_-]{43}/60$`));
    expect(ids.join()).not.toContain("ada");
  });

  it("keeps the counters of two prefixes apart", async () => {
    const store = memoryStore();
    await new SharedRateLimitStore(store, "ip").increment("198.51.100.1");
    expect((await new SharedRateLimitStore(store, "ip-passkey-options").increment("198.51.100.1")).totalHits).toBe(1);
  });

  it("takes back a hit with decrement and forgets a key with resetKey", async () => {
    const limiter = new SharedRateLimitStore(memoryStore(), "email");
    await limiter.increment("ada@example.com");
    await limiter.increment("ada@example.com");
    await limiter.decrement("ada@example.com");
    expect((await limiter.increment("ada@example.com")).totalHits).toBe(2);
    await limiter.resetKey("ada@example.com");
    expect((await limiter.increment("ada@example.com")).totalHits).toBe(1);
  });

  it("uses whole-second windows of at least one second", async () => {
    const { store, ids } = storeWithIds();
    const limiter = new SharedRateLimitStore(store, "ip");
    limiter.init({ windowMs: 1500 } as Parameters<SharedRateLimitStore["init"]>[0]);
    await limiter.increment("a");
    limiter.init({ windowMs: 10 } as Parameters<SharedRateLimitStore["init"]>[0]);
    await limiter.increment("b");
    expect(ids.map((id) => id.split("/")[2])).toEqual(["2", "1"]);
  });
});

describe("createAuthRateLimits", () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  /** A guarded route that fails (400) unless the body says `ok`, and the passkey-options route. */
  async function start(store: Store = memoryStore()) {
    const config = loadBffConfig({ RATE_LIMIT_PER_IP: "3", RATE_LIMIT_PER_EMAIL: "2", RATE_LIMIT_WINDOW_SECONDS: "60", TRUST_PROXY: "1" });
    const limits = createAuthRateLimits({ config, store });
    const app = express();
    app.set("trust proxy", 1);
    app.use(express.json());
    app.post("/guarded", limits.perIp, limits.perEmail, (req, res) => {
      res.status((req.body as { ok?: boolean }).ok ? 200 : 400).json({});
    });
    app.post("/options", limits.passkeyOptionsPerIp, (_req, res) => {
      res.json({});
    });
    app.use(errorMiddleware(createLogger("silent")));
    server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server!.once("listening", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    let ip = 0;
    return {
      freshIp: () => `192.0.2.${(ip += 1)}`,
      post: (path: string, body: object, from: string) =>
        fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": from }, body: JSON.stringify(body) }),
    };
  }

  it("answers the call over the per-IP limit with 429 rate_limited, Retry-After and the draft-7 RateLimit headers", async () => {
    const { post, freshIp } = await start();
    const ip = freshIp();
    const statuses = [];
    let last: Response | undefined;
    for (let call = 0; call < 4; call += 1) {
      last = await post("/guarded", { ok: true }, ip);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(await last!.json()).toEqual({ error: { code: "rate_limited", message: "Too many attempts. Wait a few minutes and try again." } });
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(last!.headers.get("ratelimit-policy")).toBe("3;w=60");
    expect(last!.headers.get("x-ratelimit-limit")).toBeNull();
  });

  it("counts only the failed calls naming an email, from any IP", async () => {
    const { post, freshIp } = await start();
    for (let call = 0; call < 3; call += 1) expect((await post("/guarded", { email: "ada@example.com", ok: true }, freshIp())).status).toBe(200);
    expect((await post("/guarded", { email: "ada@example.com" }, freshIp())).status).toBe(400);
    expect((await post("/guarded", { email: "ADA@example.com" }, freshIp())).status).toBe(400);
    expect((await post("/guarded", { email: "ada@example.com", ok: true }, freshIp())).status).toBe(429);
    expect((await post("/guarded", { email: "bob@example.com" }, freshIp())).status).toBe(400);
  });

  it("does not count calls that name no email against a shared empty key", async () => {
    const { post, freshIp } = await start();
    for (let call = 0; call < 3; call += 1) expect((await post("/guarded", {}, freshIp())).status).toBe(400);
  });

  it("gives passkey options five times the per-IP budget, apart from the sign-in budget", async () => {
    const { post, freshIp } = await start();
    const ip = freshIp();
    const statuses = [];
    for (let call = 0; call < 16; call += 1) statuses.push((await post("/options", {}, ip)).status);
    expect(statuses.slice(0, 15).every((status) => status === 200)).toBe(true);
    expect(statuses[15]).toBe(429);
    expect((await post("/guarded", { ok: true }, ip)).status).toBe(200);
  });

  it("keeps three budgets under three prefixes: per IP, per email and passkey options", async () => {
    const store = memoryStore();
    const ids: string[] = [];
    const increment = store.increment.bind(store);
    store.increment = (kind, id, windowSeconds, by) => {
      ids.push(id);
      return increment(kind, id, windowSeconds, by);
    };
    const { post, freshIp } = await start(store);
    const ip = freshIp();
    await post("/guarded", { email: "ada@example.com" }, ip);
    await post("/options", {}, ip);
    expect(ids.map((id) => id.slice(0, id.indexOf(":")))).toEqual(["ip", "email", "ip-passkey-options"]);
  });

  it("shares its counters through the store: a second set of limiters on the same store sees the first one's hits", async () => {
    const store = memoryStore();
    const first = await start(store);
    const ip = first.freshIp();
    for (let call = 0; call < 3; call += 1) await first.post("/guarded", { ok: true }, ip);
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    const second = await start(store);
    expect((await second.post("/guarded", { ok: true }, ip)).status).toBe(429);
  });
});
