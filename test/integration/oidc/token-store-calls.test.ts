import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBff, type RunningBff } from "../../../bff/server";
import type { Store } from "../../../bff/store/store";
import { StoreUnavailableError } from "../../../bff/store/store-errors";
import { authorizationRequest, authorizeInBrowser, basicAuth, discover, newUser, startOidcStack, testClients } from "../../conformance/support";
import type { HttpClient } from "../../support/http-client";
import type { TestStack } from "../../support/stack";

/**
 * The token endpoint's store round-trips (bff/oidc/token-request-store.ts, store-adapter.ts) and
 * the guarantees that must survive fewer of them: single-use codes and rotated refresh tokens
 * under concurrent requests, replay revoking the grant, tokens never handed out unless stored.
 * A second BFF instance shares the stack's table through a store that counts each call.
 */

let stack: TestStack;
let counted: RunningBff;
let browser: HttpClient;
const calls: string[] = [];
let failPutMany = false;

function countingStore(store: Store): Store {
  return new Proxy(store, {
    get(target, property, receiver) {
      const member: unknown = Reflect.get(target, property, receiver);
      if (typeof member !== "function" || property === "ping") return member;
      return (...args: unknown[]) => {
        calls.push(String(property));
        if (property === "putMany" && failPutMany) return Promise.reject(new StoreUnavailableError("putMany", { cause: new Error("table down") }));
        return (member as (...values: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

beforeAll(async () => {
  stack = await startOidcStack();
  counted = await startBff({ config: stack.config, store: countingStore(stack.store), port: 0, host: "127.0.0.1" });
  browser = stack.client();
  const user = await newUser(stack);
  // Signs the browser in: later codes need no sign-in.
  await freshCode(user);
}, 60_000);

afterAll(async () => {
  await counted?.close();
  await stack?.close();
});

const client = testClients.confidential;
const headers = { "content-type": "application/x-www-form-urlencoded", authorization: basicAuth(client.clientId, client.clientSecret) };

async function freshCode(user?: Parameters<typeof authorizeInBrowser>[3]): Promise<{ code: string; verifier: string }> {
  const config = await discover(stack, client);
  const request = await authorizationRequest(config, {}, client);
  const callback = await authorizeInBrowser(stack, browser, request.url, user);
  const code = callback.searchParams.get("code");
  if (code === null) throw new Error(`no code in ${callback.href}`);
  return { code, verifier: request.verifier };
}

function token(body: Record<string, string>): Promise<Response> {
  return fetch(`${counted.url}/oidc/token`, { method: "POST", headers, body: new URLSearchParams(body).toString() });
}

function exchange(code: { code: string; verifier: string }): Promise<Response> {
  return token({ grant_type: "authorization_code", code: code.code, code_verifier: code.verifier, redirect_uri: client.redirectUris[0]! });
}

function refresh(refreshToken: string): Promise<Response> {
  return token({ grant_type: "refresh_token", refresh_token: refreshToken });
}

async function tokensOf(response: Response): Promise<{ access_token: string; refresh_token: string }> {
  expect(response.status).toBe(200);
  return (await response.json()) as { access_token: string; refresh_token: string };
}

async function errorOf(response: Response): Promise<string> {
  expect(response.status).toBeGreaterThanOrEqual(400);
  return ((await response.json()) as { error: string }).error;
}

async function counting<T>(work: () => Promise<T>): Promise<{ result: T; calls: string[] }> {
  calls.length = 0;
  const result = await work();
  return { result, calls: [...calls] };
}

function userInfoStatus(accessToken: string): Promise<number> {
  return fetch(`${counted.url}/oidc/me`, { headers: { authorization: `Bearer ${accessToken}` } }).then((response) => response.status);
}

describe("store round-trips per token request", () => {
  it("a code exchange consumes the code as it reads it, reads its grant, provider session and account in one batch and writes both tokens together", async () => {
    const code = await freshCode();
    const { result, calls: made } = await counting(() => exchange(code));
    await tokensOf(result);
    // The rate limit's read, the code (read and consumed), the batch, the tokens.
    expect(made.sort()).toEqual(["addToWindows", "getMany", "markOnce", "putMany"]);
  });

  it("a refresh reads its token, then its grant, provider session and account in one batch, consumes it once and writes both tokens together", async () => {
    const first = await tokensOf(await exchange(await freshCode()));
    const { result, calls: made } = await counting(() => refresh(first.refresh_token));
    await tokensOf(result);
    // In order: the rate limit's read, the refresh token, the batch, the live-user check's query of
    // the user's Tobira sessions and their activity records in one batch (bff/oidc/live-user.ts),
    // the consume, the tokens.
    expect(made).toEqual(["addToWindows", "get", "getMany", "queryByIndex", "getMany", "markOnce", "putMany"]);
  });
});

describe("the guarantees", () => {
  it("of concurrent redemptions of one code exactly one gets tokens, and the replay revokes them", async () => {
    const code = await freshCode();
    const answers = await Promise.all(Array.from({ length: 4 }, () => exchange(code)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 400, 400, 400]);
    const winner = await tokensOf(answers.find((answer) => answer.status === 200)!);
    expect(await errorOf(await refresh(winner.refresh_token))).toBe("invalid_grant");
    expect(await userInfoStatus(winner.access_token)).toBe(401);
  });

  it("of concurrent refreshes with one refresh token exactly one is answered, and the replay revokes the grant (RFC 9700 §4.14.2)", async () => {
    const first = await tokensOf(await exchange(await freshCode()));
    const answers = await Promise.all(Array.from({ length: 4 }, () => refresh(first.refresh_token)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 400, 400, 400]);
    const winner = await tokensOf(answers.find((answer) => answer.status === 200)!);
    expect(await errorOf(await refresh(winner.refresh_token))).toBe("invalid_grant");
    expect(await userInfoStatus(winner.access_token)).toBe(401);
  });

  it("tokens that cannot be stored are not handed out: 503 temporarily_unavailable", async () => {
    const code = await freshCode();
    failPutMany = true;
    try {
      const answer = await exchange(code);
      expect(answer.status).toBe(503);
      const body = (await answer.json()) as Record<string, unknown>;
      expect(body.error).toBe("temporarily_unavailable");
      expect(body).not.toHaveProperty("access_token");
      expect(body).not.toHaveProperty("refresh_token");
    } finally {
      failPutMany = false;
    }
  });

  it("an exchange that fails the code's checks does not use the code up: the right request still gets tokens", async () => {
    const code = await freshCode();
    const otherVerifier = "x".repeat(43);
    expect(await errorOf(await exchange({ ...code, verifier: otherVerifier }))).toBe("invalid_grant");
    expect(
      await errorOf(await token({ grant_type: "authorization_code", code: code.code, code_verifier: code.verifier, redirect_uri: `${client.redirectUris[0]!}x` })),
    ).toBe("invalid_grant");
    await tokensOf(await exchange(code));
  });

  it("a failed exchange writes no token", async () => {
    const code = await freshCode();
    const { result, calls: made } = await counting(() => exchange({ ...code, verifier: `${code.verifier.slice(0, -1)}A`.padEnd(43, "A") }));
    expect(await errorOf(result)).toBe("invalid_grant");
    expect(made).not.toContain("putMany");
    expect(made).not.toContain("put");
  });
});
