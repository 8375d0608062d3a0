import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { ApiError, apiClient } from "../../web/lib/api-client";
import { resolveRedirect } from "../../web/lib/redirect";
import { json, mockApi } from "./helpers";

afterEach(() => {
  vi.unstubAllGlobals();
});

async function caught(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (reason: unknown) => reason,
  );
  if (!(error instanceof ApiError)) throw new Error(`not an ApiError: ${String(error)}`);
  return error;
}

describe("api client", () => {
  it("sends JSON with a JSON content type on writes, and none on reads", async () => {
    const api = mockApi({ "POST /api/x": json(200, { ok: true }), "GET /api/y": json(200, { ok: true }) });

    await apiClient.post("/api/x", { a: 1 }, z.object({ ok: z.boolean() }));
    await apiClient.get("/api/y", z.object({ ok: z.boolean() }));

    const [write, read] = api.calls;
    expect(write?.headers.get("Content-Type")).toBe("application/json");
    expect(write?.body).toEqual({ a: 1 });
    expect(read?.headers.get("Content-Type")).toBeNull();
    expect(read?.credentials).toBe("same-origin");
  });

  it("turns the contract's error shape into an ApiError with code, status, attemptsLeft and fields", async () => {
    mockApi({
      "POST /api/x": json(400, {
        error: { code: "invalid_password", message: "Too weak.", fields: { password: "Too weak." } },
        attemptsLeft: 2,
      }),
    });

    const error = await caught(apiClient.post("/api/x", {}, z.object({})));

    expect(error).toMatchObject({ code: "invalid_password", status: 400, attemptsLeft: 2, fields: { password: "Too weak." } });
  });

  it("turns a failed fetch into a friendly network_error", async () => {
    mockApi({
      "GET /api/x": () => {
        throw new TypeError("Failed to fetch");
      },
    });

    const error = await caught(apiClient.get("/api/x", z.object({})));

    expect(error).toMatchObject({ code: "network_error", status: 0 });
    expect(error.message).toMatch(/couldn't reach the server/);
  });

  it("reports a 502 from a proxy (no JSON body) as service_unavailable", async () => {
    mockApi({ "GET /api/x": new Response("<html>Bad gateway</html>", { status: 502 }) });

    expect(await caught(apiClient.get("/api/x", z.object({})))).toMatchObject({ code: "service_unavailable", status: 502 });
  });

  it("rejects a 200 answer that does not match the contract schema", async () => {
    mockApi({ "GET /api/x": json(200, { next: "something-else" }) });

    expect(await caught(apiClient.get("/api/x", z.object({ next: z.literal("otp") })))).toMatchObject({
      code: "unexpected_response",
    });
  });
});

describe("resolveRedirect", () => {
  const origin = "https://id.example.com";

  it("follows an SPA path inside the app, keeping query and hash", () => {
    expect(resolveRedirect("/account?tab=1#x", origin)).toEqual({ kind: "route", to: "/account?tab=1#x" });
  });

  it("loads a same-origin path that is not an SPA route as a document", () => {
    expect(resolveRedirect("/interaction/abc/login", origin)).toEqual({
      kind: "document",
      href: "https://id.example.com/interaction/abc/login",
    });
  });

  it("loads an absolute same-origin provider URL as a document", () => {
    expect(resolveRedirect("https://id.example.com/oidc/auth/abc", origin)).toEqual({
      kind: "document",
      href: "https://id.example.com/oidc/auth/abc",
    });
  });

  it("refuses another origin's URL unless the policy allows it (sign-in answers never carry one)", () => {
    expect(resolveRedirect("https://rp.example.net/cb?code=1", origin)).toBeNull();
  });

  it("loads another origin's URL where the policy allows it (a logout ending at Cognito's hosted /logout)", () => {
    expect(resolveRedirect("https://auth.example.net/logout?client_id=x", origin, { allowOtherOrigins: true })).toEqual({
      kind: "document",
      href: "https://auth.example.net/logout?client_id=x",
    });
  });

  it("refuses a protocol-relative //host that looks like a path", () => {
    expect(resolveRedirect("//evil.example/account", origin)).toBeNull();
  });

  it("refuses a /\\host path that browsers would read as another origin", () => {
    expect(resolveRedirect("/\\evil.example/account", origin)).toBeNull();
  });

  it("refuses javascript: URLs", () => {
    expect(resolveRedirect("javascript:alert(1)", origin)).toBeNull();
  });
});
