import { createServer, type IncomingHttpHeaders, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { createHostedUserInfoFetcher } from "../../../bff/alb/hosted-user-info";
import { ApiError } from "../../../bff/errors";

/**
 * Cognito's hosted `/oauth2/userInfo` as the ALB-mode BFF calls it: a refused token is the
 * user's sign-in ending (401, RFC 6750 §3.1), anything else that goes wrong is an outage (503),
 * and nothing unbounded, redirected or other than a JSON object is taken as the answer.
 */

const token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";

async function withServer<T>(listener: RequestListener, run: (url: string) => Promise<T>): Promise<T> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    return await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2/userInfo`);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const answering =
  (status: number, body: string, headers: Record<string, string> = { "content-type": "application/json" }): RequestListener =>
  (_req, res) =>
    res.writeHead(status, headers).end(body);

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => {
      throw new Error("the user info was accepted");
    },
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(ApiError);
  // Safe to show: never the token.
  expect((error as ApiError).message).not.toContain(token);
  return error as ApiError;
}

describe("the hosted userInfo call", () => {
  it("sends the access token as a Bearer token and returns the JSON object", async () => {
    let received: IncomingHttpHeaders = {};
    const info = await withServer(
      (req, res) => {
        received = req.headers;
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ sub: "sub-1", email: "a@example.com" }));
      },
      (url) => createHostedUserInfoFetcher({ url })(token),
    );
    expect(info).toEqual({ sub: "sub-1", email: "a@example.com" });
    expect(received.authorization).toBe(`Bearer ${token}`);
    expect(received.accept).toBe("application/json");
  });

  it.each([401, 400])("answers 401 unauthenticated when the endpoint refuses the token with %i", async (status) => {
    const error = await withServer(answering(status, JSON.stringify({ error: "invalid_token" })), (url) => failure(createHostedUserInfoFetcher({ url })(token)));
    expect(error).toMatchObject({ status: 401, code: "unauthenticated", message: "Your sign-in is no longer valid. Sign in again." });
  });

  it.each([500, 503, 403, 404])("answers 503 service_unavailable when the endpoint answers %i", async (status) => {
    const error = await withServer(answering(status, "{}"), (url) => failure(createHostedUserInfoFetcher({ url })(token)));
    expect(error).toMatchObject({
      status: 503,
      code: "service_unavailable",
      expose: true,
      message: "Your user information cannot be fetched right now. Try again shortly.",
    });
    // The log says why (the cause); the person reads the sentence above.
    expect(error.cause).toMatchObject({ message: `userInfo answered ${status}` });
  });

  it("does not follow a redirect (503), even to an endpoint that would answer", async () => {
    await withServer(answering(200, JSON.stringify({ sub: "sub-1" })), async (real) => {
      const error = await withServer(answering(302, "", { location: real }), (url) => failure(createHostedUserInfoFetcher({ url })(token)));
      expect(error).toMatchObject({ status: 503, code: "service_unavailable" });
    });
  });

  it("answers 503 for an answer over 64 KiB, even a JSON object", async () => {
    const big = JSON.stringify({ sub: "sub-1", padding: "x".repeat(70 * 1024) });
    const error = await withServer(answering(200, big), (url) => failure(createHostedUserInfoFetcher({ url })(token)));
    expect(error).toMatchObject({ status: 503 });
    expect(error.cause).toMatchObject({ message: "userInfo body unusable" });
  });

  it("takes an answer of exactly 64 KiB", async () => {
    const prefix = JSON.stringify({ sub: "sub-1", padding: "" });
    const exact = JSON.stringify({ sub: "sub-1", padding: "x".repeat(64 * 1024 - prefix.length) });
    expect(exact.length).toBe(64 * 1024);
    const info = await withServer(answering(200, exact), (url) => createHostedUserInfoFetcher({ url })(token));
    expect(info.sub).toBe("sub-1");
  });

  it("answers 503 when the answer breaks off in the middle of its body", async () => {
    const error = await withServer(
      (_req, res) => {
        res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
        res.write('{"sub":"sub-1",');
        setTimeout(() => res.destroy(), 20);
      },
      (url) => failure(createHostedUserInfoFetcher({ url })(token)),
    );
    expect(error).toMatchObject({ status: 503, code: "service_unavailable" });
    expect(error.cause).toMatchObject({ message: "userInfo body unusable" });
  });

  it("answers 503 for a 304, an answer without a body", async () => {
    const error = await withServer(answering(304, ""), (url) => failure(createHostedUserInfoFetcher({ url })(token)));
    expect(error).toMatchObject({ status: 503, code: "service_unavailable" });
  });

  it.each([
    ["something other than JSON", "<html>sign in</html>", "userInfo answered something other than JSON"],
    ["a JSON array", "[]", "userInfo answered something other than an object"],
    ["JSON null", "null", "userInfo answered something other than an object"],
    ["a JSON string", '"sub-1"', "userInfo answered something other than an object"],
  ])("answers 503 for %s", async (_what, body, cause) => {
    const error = await withServer(answering(200, body), (url) => failure(createHostedUserInfoFetcher({ url })(token)));
    expect(error).toMatchObject({ status: 503, code: "service_unavailable" });
    expect(error.cause).toMatchObject({ message: cause });
  });

  it("answers 503 when nothing listens at the address", async () => {
    const closed = await withServer(answering(200, "{}"), async (url) => url);
    const error = await failure(createHostedUserInfoFetcher({ url: closed })(token));
    expect(error).toMatchObject({ status: 503, code: "service_unavailable" });
    expect(error.cause).toMatchObject({ message: expect.stringMatching(/^userInfo request failed: /) });
  });

  it("answers 503 when the endpoint does not answer within the time limit given", async () => {
    const started = Date.now();
    const error = await withServer(
      () => undefined,
      (url) => failure(createHostedUserInfoFetcher({ url, timeoutMs: 100 })(token)),
    );
    expect(error).toMatchObject({ status: 503, code: "service_unavailable" });
    // The limit given, not the 3 s default.
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
