import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { GlobalSignOutCommand } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createCognitoClient } from "../../../bff/cognito/cognito-client";
import { createCognitoGateway } from "../../../bff/cognito/cognito-gateway";
import type { CognitoSettings } from "../../../bff/config";
import { createLogger } from "../../../bff/logger";

/**
 * The Cognito client's deadline and credentials (docs/architecture.md, "Deadlines"): a call that
 * Cognito never answers ends at the deadline as 503, and its connection is closed, so the
 * request cannot land (and send a code) after the user was told it failed.
 */

let server: Server;
let openSockets = 0;
beforeAll(async () => {
  // Takes every request and never answers it.
  server = createServer(() => undefined);
  server.on("connection", (socket) => {
    openSockets += 1;
    socket.on("close", () => (openSockets -= 1));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function settings(overrides: Partial<CognitoSettings> = {}): CognitoSettings {
  return {
    region: "us-east-1",
    userPoolId: "us-east-1_Test",
    issuer: "http://127.0.0.1/us-east-1_Test",
    jwksUri: "http://127.0.0.1/us-east-1_Test/.well-known/jwks.json",
    awsIssuer: false,
    clientId: "client",
    clientSecret: "secret",
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    timeouts: { connectMs: 500, totalMs: 400 },
    ...overrides,
  };
}

describe("a Cognito that never answers", () => {
  it("ends the call at the deadline with 503 and closes its connection", async () => {
    const cognito = settings();
    const gateway = createCognitoGateway({ client: createCognitoClient(cognito), settings: cognito, logger: createLogger("silent") });
    const started = Date.now();
    await expect(gateway.globalSignOut("access-token")).rejects.toMatchObject({ status: 503, code: "service_unavailable" });
    expect(Date.now() - started).toBeLessThan(2_000);
    await vi.waitFor(() => expect(openSockets).toBe(0), { timeout: 1_000, interval: 20 });
  });

  it("ends the whole call at the deadline even when a step before the request is slow (the deadline wraps retries and back-off)", async () => {
    const cognito = settings({ timeouts: { connectMs: 500, totalMs: 300 } });
    const client = createCognitoClient(cognito);
    client.middlewareStack.add(
      (next) => async (args) => {
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        return next(args);
      },
      { step: "build", name: "slowStepForTest" },
    );
    const gateway = createCognitoGateway({ client, settings: cognito, logger: createLogger("silent") });
    const started = Date.now();
    await expect(gateway.globalSignOut("access-token")).rejects.toMatchObject({ status: 503, code: "service_unavailable" });
    expect(Date.now() - started).toBeLessThan(1_200);
  });
});

describe("the deadline itself", () => {
  /** A build step that takes longer than any deadline below: the request is never sent in time. */
  const slowStep = (client: ReturnType<typeof createCognitoClient>) =>
    client.middlewareStack.add(
      (next) => async (args) => {
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        return next(args);
      },
      { step: "build", name: "slowStepForTest" },
    );

  it("fails like the SDK's own timeout (a TimeoutError without an HTTP answer), naming the deadline", async () => {
    const client = createCognitoClient(settings({ timeouts: { connectMs: 500, totalMs: 300 } }));
    slowStep(client);
    await expect(client.send(new GlobalSignOutCommand({ AccessToken: "access-token" }))).rejects.toMatchObject({
      name: "TimeoutError",
      message: "Cognito did not answer within 300 ms",
      $metadata: {},
    });
  });

  it("wraps the whole call from the initialize step, before retries and back-off", () => {
    expect(createCognitoClient(settings()).middlewareStack.identify()).toContain("tobiraCognitoDeadline - initialize");
  });

  it("leaves no deadline timer behind once Cognito has answered", async () => {
    const answering = createServer((_req, res) => res.writeHead(200, { "content-type": "application/x-amz-json-1.1" }).end("{}"));
    answering.listen(0, "127.0.0.1");
    await once(answering, "listening");
    const totalMs = 4_321;
    const started = vi.spyOn(globalThis, "setTimeout");
    const cleared = vi.spyOn(globalThis, "clearTimeout");
    try {
      const client = createCognitoClient(settings({ endpoint: `http://127.0.0.1:${(answering.address() as AddressInfo).port}`, timeouts: { connectMs: 500, totalMs } }));
      await client.send(new GlobalSignOutCommand({ AccessToken: "access-token" }));
      const deadlines = started.mock.results.filter((_result, index) => started.mock.calls[index]?.[1] === totalMs).map((result) => result.value as unknown);
      expect(deadlines.length).toBeGreaterThan(0);
      for (const timer of deadlines) expect(cleared.mock.calls.some(([candidate]) => candidate === timer)).toBe(true);
    } finally {
      started.mockRestore();
      cleared.mockRestore();
      answering.closeAllConnections();
      await new Promise((resolve) => answering.close(resolve));
    }
  });
});

describe("the client's credentials", () => {
  it("signs with placeholder credentials for a pool that is not AWS's (the emulator accepts any signature)", async () => {
    const credentials = await createCognitoClient(settings()).config.credentials();
    expect(credentials).toMatchObject({ accessKeyId: "local", secretAccessKey: "local" });
  });

  it("uses the AWS credential chain (here the environment's) for AWS's pool, never the placeholders", async () => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIATESTONLY");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "test-only-secret");
    try {
      const credentials = await createCognitoClient(settings({ awsIssuer: true, endpoint: undefined })).config.credentials();
      expect(credentials).toMatchObject({ accessKeyId: "AKIATESTONLY" });
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
