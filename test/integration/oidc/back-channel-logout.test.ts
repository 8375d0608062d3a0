import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { decodeJwt } from "jose";
import Provider from "oidc-provider";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../../bff/logger";
import { createBackChannelLogout, type BackChannelLogout } from "../../../bff/oidc/back-channel-logout";
import { generateSigningKeys } from "../../../bff/oidc/signing-keys";
import { createStoreAdapter } from "../../../bff/oidc/store-adapter";
import type { Store } from "../../../bff/store/store";
import { memoryStore } from "../../support/memory-store";

/** Delivery of logout tokens (back-channel-logout.ts): retries, give-up, counting, and whom a scope reaches. */

let server: Server;
let baseUrl: string;
const answers = new Map<string, number[]>();
const hits: { path: string; token: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const path = req.url ?? "/";
      hits.push({ path, token: new URLSearchParams(Buffer.concat(chunks).toString()).get("logout_token") ?? "" });
      res.statusCode = answers.get(path)?.shift() ?? 200;
      res.end();
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

let store: Store;
let logLines: Record<string, unknown>[];
let logout: BackChannelLogout;

function client(name: string, extra: Record<string, unknown> = {}) {
  return {
    client_id: name,
    client_secret: `${name}-secret`,
    redirect_uris: [`https://${name}.example.com/cb`],
    backchannel_logout_uri: `${baseUrl}/${name}`,
    ...extra,
  };
}

beforeEach(() => {
  hits.length = 0;
  answers.clear();
  store = memoryStore();
  logLines = [];
  const provider = new Provider("https://tobira.example.com", {
    adapter: createStoreAdapter(store),
    clients: [
      client("app"),
      client("needs-sid", { backchannel_logout_session_required: true }),
      client("closed", { backchannel_logout_uri: "http://127.0.0.1:9/closed" }),
      { client_id: "no-uri", client_secret: "s", redirect_uris: ["https://no-uri.example.com/cb"] },
    ],
    jwks: generateSigningKeys(),
    features: { backchannelLogout: { enabled: true }, devInteractions: { enabled: false } },
  });
  const logger = createLogger(
    "debug",
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    }),
  );
  logout = createBackChannelLogout({ provider, store, logger, options: { timeoutMs: 500, retryDelaysMs: [10, 10] } });
});

const failureLines = () => logLines.filter((line) => line.msg === "back-channel logout failed");

describe("delivery", () => {
  it("posts one logout token per app of the ended session, with that app's sid", async () => {
    logout.providerSessionEnded({ accountId: "user-1", sids: { app: "sid-app", "needs-sid": "sid-2" } });
    await logout.settled();
    expect(hits.map((hit) => hit.path).sort()).toEqual(["/app", "/needs-sid"]);
    expect(decodeJwt(hits.find((hit) => hit.path === "/app")!.token)).toMatchObject({ sub: "user-1", sid: "sid-app", aud: "app" });
    expect(logout.failures()).toBe(0);
  });

  it("retries a 5xx, then gives up after the last retry: the failure is counted and logged without the token", async () => {
    answers.set("/app", [500, 502, 503, 200]);
    logout.providerSessionEnded({ accountId: "user-1", sids: { app: "sid" } });
    await logout.settled();
    expect(hits.filter((hit) => hit.path === "/app")).toHaveLength(3);
    expect(logout.failures()).toBe(1);
    expect(failureLines()).toEqual([expect.objectContaining({ clientId: "app", status: 503, attempts: 3 })]);
    expect(JSON.stringify(logLines)).not.toContain(hits[0]!.token);
  });

  it("succeeds on a retry after one 503, and counts no failure", async () => {
    answers.set("/app", [503]);
    logout.providerSessionEnded({ accountId: "user-1", sids: { app: "sid" } });
    await logout.settled();
    expect(hits.filter((hit) => hit.path === "/app")).toHaveLength(2);
    expect(logout.failures()).toBe(0);
  });

  it("does not retry a 400 (the app refused the token): one attempt, one failure", async () => {
    answers.set("/app", [400]);
    logout.providerSessionEnded({ accountId: "user-1", sids: { app: "sid" } });
    await logout.settled();
    expect(hits.filter((hit) => hit.path === "/app")).toHaveLength(1);
    expect(logout.failures()).toBe(1);
  });

  it("retries an app that does not answer, then counts the failure", async () => {
    logout.providerSessionEnded({ accountId: "user-1", sids: { closed: "sid" } });
    await logout.settled();
    expect(failureLines()).toEqual([expect.objectContaining({ clientId: "closed", status: "no answer", attempts: 3 })]);
    expect(logout.failures()).toBe(1);
  });

  it("sends nothing to an app without a back-channel logout URI, or an unknown one", async () => {
    logout.providerSessionEnded({ accountId: "user-1", sids: { "no-uri": "sid", "gone-app": "sid" } });
    await logout.settled();
    expect(hits).toEqual([]);
    expect(logout.failures()).toBe(0);
  });
});

describe("every session of a user", () => {
  it("reaches each provider session's apps with their sids, and an app with a grant but no session with sub alone", async () => {
    const Adapter = createStoreAdapter(store);
    const sessions = new Adapter("Session");
    const grants = new Adapter("Grant");
    await sessions.upsert("s1", { accountId: "user-1", authorizations: { app: { sid: "sid-1" } } }, 600);
    await sessions.upsert("s2", { accountId: "user-1", authorizations: { app: { sid: "sid-2" }, "needs-sid": { sid: "sid-3" } } }, 600);
    await sessions.upsert("s3", { accountId: "someone-else", authorizations: { app: { sid: "sid-x" } } }, 600);
    await grants.upsert("g1", { accountId: "user-1", clientId: "app" }, 600);
    await grants.upsert("g2", { accountId: "user-1", clientId: "offline-only" }, 600);
    await logout.userSignedOutEverywhere("user-1");
    await logout.settled();
    const sids = hits.map((hit) => `${hit.path}:${String(decodeJwt(hit.token).sid)}`).sort();
    expect(sids).toEqual(["/app:sid-1", "/app:sid-2", "/needs-sid:sid-3"]);
  });

  it("sends sub alone to an app whose grant outlived its session, unless the app needs a sid", async () => {
    const grants = new (createStoreAdapter(store))("Grant");
    await grants.upsert("g1", { accountId: "user-2", clientId: "app" }, 600);
    await grants.upsert("g2", { accountId: "user-2", clientId: "needs-sid" }, 600);
    await logout.userSignedOutEverywhere("user-2");
    await logout.settled();
    expect(hits.map((hit) => hit.path)).toEqual(["/app"]);
    const claims = decodeJwt(hits[0]!.token);
    expect(claims.sub).toBe("user-2");
    expect(claims).not.toHaveProperty("sid");
  });
});
