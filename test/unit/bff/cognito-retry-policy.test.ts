import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createCognitoClient } from "../../../bff/cognito/cognito-client";
import { createCognitoGateway } from "../../../bff/cognito/cognito-gateway";
import { neverReachedCognito, retryOnlyUnsentRequests } from "../../../bff/cognito/retry-policy";
import type { CognitoSettings } from "../../../bff/config";
import { createLogger } from "../../../bff/logger";

/**
 * The BFF never lets the SDK send a call to Cognito twice once it may have arrived: a call over a
 * per-user limit would count twice, and a mail-sending call could mail twice
 * (docs/cognito-behaviour.md, "Quotas").
 */

let server: Server;
let requests = 0;
let answer: { status: number; type: string; message: string } = {
  status: 400,
  type: "LimitExceededException",
  message: "Attempt limit exceeded, please try after some time.",
};

beforeAll(async () => {
  server = createServer((req, res) => {
    requests += 1;
    req.resume();
    req.on("end", () => {
      res
        .writeHead(answer.status, { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": `${answer.type}:`, "x-amzn-errormessage": answer.message })
        .end(JSON.stringify({ __type: answer.type, message: answer.message }));
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  requests = 0;
});

function gateway() {
  const settings: CognitoSettings = {
    region: "us-east-1",
    userPoolId: "us-east-1_Test",
    issuer: "http://127.0.0.1/us-east-1_Test",
    jwksUri: "http://127.0.0.1/us-east-1_Test/.well-known/jwks.json",
    awsIssuer: false,
    clientId: "client",
    clientSecret: "secret",
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  };
  return createCognitoGateway({ client: createCognitoClient(settings), settings, logger: createLogger("silent") });
}

describe("the Cognito client's retries", () => {
  it("sends a resend that Cognito refuses with LimitExceededException once, and answers limit_exceeded", async () => {
    answer = { status: 400, type: "LimitExceededException", message: "Attempt limit exceeded, please try after some time." };
    await expect(gateway().resendConfirmationCode({ email: "a@example.com" })).rejects.toMatchObject({ status: 429, code: "limit_exceeded" });
    expect(requests).toBe(1);
  });

  it("sends a sign-up that meets TooManyRequestsException once", async () => {
    answer = { status: 400, type: "TooManyRequestsException", message: "Too many requests" };
    await expect(gateway().signUp({ email: "a@example.com", password: "Correct-Horse-9" })).rejects.toMatchObject({ code: "limit_exceeded" });
    expect(requests).toBe(1);
  });

  it("sends a challenge answer that meets a Cognito fault (500) once", async () => {
    answer = { status: 500, type: "InternalErrorException", message: "An internal error occurred." };
    await expect(gateway().respondToCustomChallenge({ username: "u", session: "s".repeat(40), answer: "123456" })).rejects.toMatchObject({ status: 503 });
    expect(requests).toBe(1);
  });
});

describe("retryOnlyUnsentRequests", () => {
  const info = (error: unknown) => ({ error, errorType: "TRANSIENT" }) as Parameters<typeof retryOnlyUnsentRequests.refreshRetryTokenForRetry>[1];

  it("retries once a request whose connection was refused or never established", async () => {
    const first = await retryOnlyUnsentRequests.acquireInitialRetryToken("");
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    const second = await retryOnlyUnsentRequests.refreshRetryTokenForRetry(first, info(refused));
    expect(second.getRetryCount()).toBe(1);
    await expect(retryOnlyUnsentRequests.refreshRetryTokenForRetry(second, info(refused))).rejects.toThrow();
  });

  it("never retries a request that may have reached Cognito: reset, request timeout, throttling", async () => {
    const first = await retryOnlyUnsentRequests.acquireInitialRetryToken("");
    for (const error of [
      Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }),
      Object.assign(new Error("Request timed out"), { name: "TimeoutError" }),
      Object.assign(new Error("Attempt limit exceeded, please try after some time."), { name: "LimitExceededException" }),
    ]) {
      await expect(retryOnlyUnsentRequests.refreshRetryTokenForRetry(first, info(error))).rejects.toThrow();
    }
  });

  it("tells the connect timeout apart from a request timeout", () => {
    const connect = Object.assign(
      new Error("@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 2000 ms."),
      { name: "TimeoutError" },
    );
    expect(neverReachedCognito(connect)).toBe(true);
    expect(neverReachedCognito(Object.assign(new Error("read timeout"), { name: "TimeoutError" }))).toBe(false);
    expect(neverReachedCognito(Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" }))).toBe(true);
    expect(neverReachedCognito("ECONNREFUSED")).toBe(false);
  });
});
