import { afterEach, describe, expect, it, vi } from "vitest";
import * as z from "zod/mini";
import { clientConfigResponseSchema } from "../../common/api-contract";
import { ApiError, apiClient } from "../../web/lib/api-client";
import { sendEarly, takeEarly } from "../../web/lib/early-requests";
import { json, mockApi } from "./helpers";

afterEach(() => {
  takeEarly("/api/config");
  vi.unstubAllGlobals();
});

describe("requests the entry sends early", () => {
  it("sends GET /api/config as the API client would: same-origin credentials, JSON wanted", () => {
    const api = mockApi({ "GET /api/config": json(200, { mode: "sign-in" }) });

    sendEarly("/api/config");

    expect(api.calls).toHaveLength(1);
    expect(api.calls[0]?.credentials).toBe("same-origin");
    expect(api.calls[0]?.headers.get("Accept")).toBe("application/json");
  });

  it("answers the API client's first GET of that path with the early response, and only the first", async () => {
    const api = mockApi({ "GET /api/config": json(200, { mode: "sign-in" }) });

    sendEarly("/api/config");
    await expect(apiClient.get("/api/config", clientConfigResponseSchema)).resolves.toEqual({ mode: "sign-in" });
    expect(api.calls).toHaveLength(1);

    await apiClient.get("/api/config", clientConfigResponseSchema);
    expect(api.calls).toHaveLength(2);
  });

  it("parses the early response with the contract like any other: an error answer is an ApiError", async () => {
    mockApi({ "GET /api/config": json(503, { error: { code: "service_unavailable", message: "Later." } }) });

    sendEarly("/api/config");
    const error = await apiClient.get("/api/config", clientConfigResponseSchema).catch((reason: unknown) => reason);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: "service_unavailable", status: 503 });
  });

  it("ends an early request that never answers at the request's deadline, as a timeout", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(() => new Promise<Response>(() => undefined)),
    );

    sendEarly("/api/config");
    const error = await apiClient.get("/api/config", z.unknown(), { timeoutMs: 20 }).catch((reason: unknown) => reason);

    expect(error).toMatchObject({ code: "timeout", status: 0 });
  });

  it("reports an early request that could not connect as a network error", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(() => Promise.reject(new TypeError("Failed to fetch"))),
    );

    sendEarly("/api/config");
    const error = await apiClient.get("/api/config", z.unknown()).catch((reason: unknown) => reason);

    expect(error).toMatchObject({ code: "network_error", status: 0 });
  });
});
