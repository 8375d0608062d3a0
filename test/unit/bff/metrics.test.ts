import { once } from "node:events";
import type { AddressInfo } from "node:net";
import type { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import type { Request } from "express";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCognitoGateway } from "../../../bff/cognito/cognito-gateway";
import { ApiError } from "../../../bff/errors";
import { createLogger } from "../../../bff/logger";
import { apiOutcomeMetrics, createMetrics, emfRecord, metricsFor, type EmfRecord } from "../../../bff/metrics";
import { createPasskeySignIn } from "../../../bff/passkeys/passkey-sign-in";
import { createDynamoDbClient, createDynamoStore } from "../../../bff/store/dynamo-store";
import { METRIC_NAMESPACE, MetricName } from "../../../common/metric-names";
import { startDynalite, type RunningDynalite } from "../../../emulator/local/local-dynalite";

/** A Metrics that keeps its records (the writer is the only thing replaced). */
function recording() {
  const records: EmfRecord[] = [];
  const metrics = createMetrics(
    (record) => records.push(record),
    () => 1_700_000_000_000,
  );
  const names = () => records.map((record) => record._aws.CloudWatchMetrics[0]!.Metrics[0]!.Name);
  return { records, metrics, names };
}

/** A pino logger whose lines are kept (parsed). */
function capturedLogger(level: Parameters<typeof createLogger>[0]) {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger(level, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

describe("emfRecord (CloudWatch Embedded Metric Format)", () => {
  it("carries the directive: timestamp, the Tobira namespace, dimension sets and the metric with its unit", () => {
    expect(emfRecord(MetricName.SignInStarted, 1, { timestamp: 1_700_000_000_123 })).toEqual({
      _aws: {
        Timestamp: 1_700_000_000_123,
        CloudWatchMetrics: [{ Namespace: METRIC_NAMESPACE, Dimensions: [[]], Metrics: [{ Name: "SignInStarted", Unit: "Count" }] }],
      },
      SignInStarted: 1,
    });
  });

  it("emits a failed sign-in per Reason and as a total (two dimension sets), with Reason as a member", () => {
    const record = emfRecord(MetricName.SignInFailed, 1, { dimensions: { Reason: "code_mismatch" } });
    expect(record._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([["Reason"], []]);
    expect(record.Reason).toBe("code_mismatch");
    expect(record.SignInFailed).toBe(1);
    expect(typeof record._aws.Timestamp).toBe("number");
  });

  it("leaves out a dimension set whose dimension is missing, so CloudWatch never gets a dangling reference", () => {
    const record = emfRecord(MetricName.SignInFailed, 1);
    expect(record._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([[]]);
    expect(record).not.toHaveProperty("Reason");
  });

  it("records latencies in milliseconds", () => {
    const record = emfRecord(MetricName.CognitoLatency, 12.5, { properties: { operation: "signUp" } });
    expect(record._aws.CloudWatchMetrics[0]!.Metrics).toEqual([{ Name: "CognitoLatency", Unit: "Milliseconds" }]);
    expect(record).toMatchObject({ CognitoLatency: 12.5, operation: "signUp" });
  });

  it("never lets a property overwrite the directive or the value", () => {
    const record = emfRecord(MetricName.SignInStarted, 1, { properties: { SignInStarted: 99, _aws: "forged" } });
    expect(record.SignInStarted).toBe(1);
    expect(record._aws.CloudWatchMetrics[0]!.Namespace).toBe(METRIC_NAMESPACE);
  });
});

describe("metricsFor (EMF through the pino logger)", () => {
  it("writes the EMF line to the logger's stream even when LOG_LEVEL is above info", () => {
    const { logger, lines } = capturedLogger("error");
    metricsFor(logger).count(MetricName.RateLimited);
    logger.info("an ordinary info line");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ service: "tobira-bff", RateLimited: 1, _aws: { CloudWatchMetrics: [{ Namespace: "Tobira" }] } });
  });

  it("writes nothing when logging is silent", () => {
    const { logger, lines } = capturedLogger("silent");
    metricsFor(logger).count(MetricName.RateLimited);
    expect(lines).toEqual([]);
  });

  it("gives every module asking with the same logger the same instance", () => {
    const { logger } = capturedLogger("info");
    expect(metricsFor(logger)).toBe(metricsFor(logger));
  });
});

describe("measure (dependency latency and faults)", () => {
  const names = { latency: MetricName.StoreLatency, error: MetricName.StoreError };

  it("records the latency of a call that succeeds, and no error", async () => {
    const { metrics, records, names: recorded } = recording();
    await expect(metrics.measure(names, "GetItemCommand", async () => "value")).resolves.toBe("value");
    expect(recorded()).toEqual(["StoreLatency"]);
    expect(records[0]).toMatchObject({ operation: "GetItemCommand" });
    expect(records[0]!.StoreLatency).toBeGreaterThanOrEqual(0);
  });

  it("records an error and the latency of a call that fails, and rethrows the same error", async () => {
    const { metrics, names: recorded } = recording();
    const failure = new Error("down");
    await expect(metrics.measure(names, "PutItemCommand", () => Promise.reject(failure))).rejects.toBe(failure);
    expect(recorded()).toEqual(["StoreError", "StoreLatency"]);
  });

  it("records no error for a failure that is not a fault", async () => {
    const { metrics, names: recorded } = recording();
    await expect(
      metrics.measure(
        names,
        "PutItemCommand",
        () => Promise.reject(new Error("expected")),
        () => false,
      ),
    ).rejects.toThrow("expected");
    expect(recorded()).toEqual(["StoreLatency"]);
  });
});

describe("apiOutcomeMetrics (sign-in outcomes from the API's answers)", () => {
  const { metrics, records, names } = recording();
  let baseUrl: string;
  let close: () => void;

  beforeAll(async () => {
    const app = express();
    const api = express.Router();
    api.use(apiOutcomeMetrics(metrics));
    api.use(express.json());
    api.post("/signin", (req, res) => {
      const email = (req.body as { email?: string }).email;
      if (email === "wrong@example.com") throw new ApiError(401, "invalid_credentials", "Wrong.");
      if (email === "limited@example.com") throw new ApiError(429, "rate_limited", "Too many.");
      if (email === "passkey@example.com") return void res.json({ next: "choose", methods: ["passkey", "otp"] });
      res.json({ next: "otp", delivery: { medium: "EMAIL", destination: "u***@e***.com" } });
    });
    api.post("/signin/otp/send", (req, res) => {
      if ((req.body as { plain?: boolean }).plain === true) return void res.status(502).send("bad gateway");
      res.json({ next: "otp", delivery: { medium: "EMAIL", destination: "u***@e***.com" } });
    });
    api.post("/signin/otp", (req, res) => {
      if ((req.body as { code?: string }).code !== "123456") throw new ApiError(400, "code_mismatch", "Not right.");
      res.json({ next: "done", redirectTo: "/account" });
    });
    api.post("/signin/passkey", (_req, _res) => {
      throw new ApiError(401, "passkey_rejected", "No.");
    });
    api.post("/passkeys", (_req, res) => void res.status(201).json({ id: "pk" }));
    api.post("/signup", (_req, res) => void res.status(201).json({ next: "confirm", delivery: { medium: "EMAIL", destination: "x" } }));
    api.get("/session", (_req, res) => void res.json({ authenticated: false }));
    api.get("/limited", (_req, _res) => {
      throw new ApiError(429, "rate_limited", "Too many.");
    });
    app.use("/api", api);
    app.use(((error, _req, res, _next) => {
      const apiError = error as ApiError;
      res.status(apiError.status).json({ error: { code: apiError.code, message: apiError.message } });
    }) satisfies express.ErrorRequestHandler);
    const server = app.listen(0, "127.0.0.1");
    await once(server, "listening");
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());

  async function post(path: string, body: unknown = {}): Promise<string[]> {
    records.length = 0;
    const response = await fetch(`${baseUrl}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    await response.text();
    // "finish" fires as the answer is handed to the socket; give the event loop a turn.
    await new Promise((resolve) => setTimeout(resolve, 20));
    return names();
  }

  it("counts an accepted password as a started sign-in that sent a code", async () => {
    expect(await post("/api/signin", { email: "user@example.com", password: "x" })).toEqual(["SignInStarted", "CodeSent"]);
  });

  it("counts a started sign-in without a code when the user is asked to choose a method", async () => {
    expect(await post("/api/signin", { email: "passkey@example.com", password: "x" })).toEqual(["SignInStarted"]);
  });

  it("counts a resent code", async () => {
    expect(await post("/api/signin/otp/send")).toEqual(["CodeSent"]);
  });

  it("counts a completed sign-in", async () => {
    expect(await post("/api/signin/otp", { code: "123456" })).toEqual(["SignInCompleted"]);
  });

  it("counts a refused sign-in step by its error code", async () => {
    expect(await post("/api/signin", { email: "wrong@example.com", password: "x" })).toEqual(["SignInFailed"]);
    expect(records[0]).toMatchObject({ Reason: "invalid_credentials" });
    expect(await post("/api/signin/otp", { code: "000000" })).toEqual(["SignInFailed"]);
    expect(records[0]).toMatchObject({ Reason: "code_mismatch" });
  });

  it("counts a rate-limit refusal, and as a failed sign-in on a sign-in path", async () => {
    expect(await post("/api/signin", { email: "limited@example.com", password: "x" })).toEqual(["RateLimited", "SignInFailed"]);
    expect(records[1]).toMatchObject({ Reason: "rate_limited" });
  });

  it("counts a rate-limit refusal of a GET", async () => {
    records.length = 0;
    expect((await fetch(`${baseUrl}/api/limited`)).status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(names()).toEqual(["RateLimited"]);
  });

  it("counts a sign-in step answered without JSON as failed, by its status", async () => {
    expect(await post("/api/signin/otp/send", { plain: true })).toEqual(["SignInFailed"]);
    expect(records[0]).toMatchObject({ Reason: "http_502" });
  });

  it("counts passkey ceremonies with their kind and outcome", async () => {
    expect(await post("/api/passkeys", { credential: {} })).toEqual(["PasskeyCeremony"]);
    expect(records[0]).toMatchObject({ ceremony: "registration", outcome: "success" });
    expect(await post("/api/signin/passkey", { credential: {} })).toEqual(["SignInFailed", "PasskeyCeremony"]);
    expect(records[1]).toMatchObject({ ceremony: "authentication", outcome: "failure" });
  });

  it("matches paths as Express routes them (any case, trailing slash, query string)", async () => {
    expect(await post("/API/SignIn/OTP/?x=1", { code: "123456" })).toEqual(["SignInCompleted"]);
  });

  it("counts nothing for calls that are not sign-in steps", async () => {
    expect(await post("/api/signup", { email: "user@example.com", password: "x" })).toEqual([]);
    records.length = 0;
    await (await fetch(`${baseUrl}/api/session`)).text();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(records).toEqual([]);
  });

  it("never writes the email, password or code of a request into a metric", async () => {
    await post("/api/signin", { email: "wrong@example.com", password: "Secret-Password-1" });
    await post("/api/signin/otp", { code: "654321" });
    const text = JSON.stringify(records);
    expect(text).not.toMatch(/wrong@example\.com|Secret-Password-1|654321/);
  });
});

describe("the Cognito gateway's seam", () => {
  function gatewayFailingWith(name: string) {
    const capture = capturedLogger("info");
    const client = {
      send: () => {
        const error = new Error("from Cognito");
        error.name = name;
        return Promise.reject(error);
      },
    } as unknown as CognitoIdentityProviderClient;
    const settings = {
      region: "eu-west-1",
      userPoolId: "eu-west-1_abc",
      clientId: "client",
      clientSecret: "secret",
      endpoint: undefined,
      issuer: "",
      jwksUri: "",
      awsIssuer: true,
    };
    const gateway = createCognitoGateway({ client, settings, logger: capture.logger });
    const metricNames = () =>
      capture.lines.filter((line) => line._aws !== undefined).map((line) => (line as unknown as EmfRecord)._aws.CloudWatchMetrics[0]!.Metrics[0]!.Name);
    return { gateway, lines: capture.lines, metricNames };
  }

  it("records the latency of every call and an error for a fault of Cognito's", async () => {
    const { gateway, lines, metricNames } = gatewayFailingWith("InternalErrorException");
    await expect(gateway.forgotPassword({ email: "user@example.com" })).rejects.toBeInstanceOf(ApiError);
    expect(metricNames()).toEqual(["CognitoError", "CognitoLatency"]);
    expect(lines.find((line) => line.CognitoError === 1)).toMatchObject({ operation: "forgotPassword", cognitoError: "InternalErrorException" });
  });

  it("counts Cognito's request throttling as a fault", async () => {
    const { gateway, metricNames } = gatewayFailingWith("TooManyRequestsException");
    await expect(gateway.forgotPassword({ email: "user@example.com" })).rejects.toBeInstanceOf(ApiError);
    expect(metricNames()).toEqual(["CognitoError", "CognitoLatency"]);
  });

  it("does not count a refusal caused by the user's input as a Cognito error", async () => {
    const { gateway, metricNames } = gatewayFailingWith("NotAuthorizedException");
    await expect(gateway.startCustomAuthWithPassword({ email: "user@example.com", password: "wrong" })).rejects.toBeInstanceOf(ApiError);
    expect(metricNames()).toEqual(["CognitoLatency"]);
  });
});

describe("the DynamoDB client's seam", () => {
  let dynalite: RunningDynalite;
  beforeAll(async () => {
    dynalite = await startDynalite({ port: 0 });
  });
  afterAll(() => dynalite.close());

  it("records the latency of every call, no error for a lost conditional write, and an error for a failed call", async () => {
    const { metrics, records, names } = recording();
    const client = createDynamoDbClient({ region: "eu-west-1", endpoint: dynalite.endpoint, placeholderCredentials: true, metrics });
    try {
      const store = createDynamoStore({ client, tableName: "metrics-seam" });
      await store.ensureTable();
      records.length = 0;

      await store.get("thing", "a");
      expect(names()).toEqual(["StoreLatency"]);
      expect(records[0]).toMatchObject({ operation: expect.stringMatching(/^Get/) });

      records.length = 0;
      // Conditional on an existing record that is not there: the store answers false, no fault.
      await expect(store.put("thing", "missing", { x: 1 }, { condition: { exists: true } })).resolves.toBe(false);
      expect(names()).toEqual(["StoreLatency"]);

      records.length = 0;
      const missingTable = createDynamoStore({ client, tableName: "no-such-table" });
      await expect(missingTable.get("thing", "a")).rejects.toThrow();
      expect(names()).toEqual(["StoreError", "StoreLatency"]);
    } finally {
      client.destroy();
    }
  });
});

describe("a passkey-first sign-in's start", () => {
  /** A ceremony that ends at once (unknown credential), after the challenge's purpose is known. */
  async function finishWith(purpose: "passkey-first" | "second-factor"): Promise<string[]> {
    const { logger, lines } = capturedLogger("info");
    const service = createPasskeySignIn({
      challenges: { consume: async () => ({ purpose, challenge: "challenge", username: "alice" }) },
      passkeys: { find: async () => undefined },
      logger,
    } as unknown as Parameters<typeof createPasskeySignIn>[0]);
    const credential = { id: "abc", rawId: "abc", type: "public-key", response: { clientDataJSON: "e30", authenticatorData: "AA", signature: "AA" } };
    await expect(service.finish({} as Request, credential)).rejects.toThrow();
    return lines.filter((line) => line._aws !== undefined).map((line) => Object.keys(line).find((key) => key === "SignInStarted") ?? "other");
  }

  it("counts a passkey-first ceremony as a started sign-in", async () => {
    expect(await finishWith("passkey-first")).toEqual(["SignInStarted"]);
  });

  it("does not count a passkey second step again (its password step already started the sign-in)", async () => {
    expect(await finishWith("second-factor")).toEqual([]);
  });
});
