import { onlineManager } from "@tanstack/react-query";
import { screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { ApiError, apiClient } from "../../web/lib/api-client";
import { delivery, json, mockApi, renderApp } from "./helpers";

/**
 * Offline, a dropped connection, a server that never answers: every request ends with a clear
 * message and a "Try again" that the person clicks; nothing is paused and sent again by itself
 * when the network comes back (a sign-in could otherwise go through and mail a code unasked).
 */

const noInteraction = { "GET /api/interaction": json(404, { error: { code: "not_found", message: "x" } }) };

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
  onlineManager.setOnline(true);
});

async function submitSignIn(user: ReturnType<typeof renderApp>["user"]) {
  await user.type(screen.getByLabelText("Email address"), "ada@example.com");
  await user.type(screen.getByLabelText("Password"), "Correct-horse1!");
  await user.click(screen.getByRole("button", { name: "Continue" }));
}

describe("requests that get no answer", () => {
  it("gives up after the deadline with a timeout error, not a spinner for ever", async () => {
    mockApi({ "POST /api/x": () => new Promise<Response>(() => {}) });
    const fetchMock = vi.mocked(fetch);
    // The mock ignores the abort: make it honour the signal as a browser's fetch does.
    fetchMock.mockImplementation(
      (_input, init) =>
        new Promise<Response>((_resolve, reject) => {
          init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
        }),
    );

    const error = await apiClient.post("/api/x", {}, z.object({}), { timeoutMs: 30 }).catch((reason: unknown) => reason);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: "timeout", status: 0 });
    expect((error as ApiError).message).toMatch(/didn't answer in time/);
  });

  it("lets the caller's own cancel through as an abort, not a timeout", async () => {
    mockApi({});
    vi.mocked(fetch).mockImplementation(
      (_input, init) =>
        new Promise<Response>((_resolve, reject) => {
          init?.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
        }),
    );
    const controller = new AbortController();
    const pending = apiClient.get("/api/x", z.object({}), { signal: controller.signal, timeoutMs: 10_000 }).catch((reason: unknown) => reason);
    controller.abort();
    expect(await pending).toMatchObject({ name: "AbortError" });
  });

  it("shows the timeout on the form with a 'Try again' after the deadline passes", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let calls = 0;
    mockApi({
      ...noInteraction,
      "POST /api/signin": () => {
        calls += 1;
        return calls === 1 ? new Promise<Response>(() => {}) : json(200, { next: "otp", delivery });
      },
    });
    const { user } = renderApp("/signin");
    await submitSignIn(user);
    await waitFor(() => expect(calls).toBe(1));

    vi.advanceTimersByTime(20_001);

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("The server didn't answer in time.");
    expect(screen.getByRole("button", { name: "Continue" })).not.toHaveAttribute("aria-busy");
    expect(screen.getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });
});

describe("offline", () => {
  it("fails at once with a message and a 'Try again' while offline, and sends nothing by itself when back online", async () => {
    onlineManager.setOnline(false);
    const api = mockApi({
      ...noInteraction,
      "POST /api/signin": () => {
        throw new TypeError("Failed to fetch");
      },
    });
    const { user } = renderApp("/signin");

    await submitSignIn(user);

    // Not paused: the request went out, failed, and the page says so.
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("We couldn't reach the server. Check your connection and try again.");
    expect(api.callsTo("POST /api/signin")).toHaveLength(1);

    onlineManager.setOnline(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Back online: still one request. Only the person sends it again.
    expect(api.callsTo("POST /api/signin")).toHaveLength(1);
  });

  it("reads the account page's data while the browser says it is offline: TanStack Query's reads are not paused until it is back", async () => {
    onlineManager.setOnline(false);
    const api = mockApi({ ...noInteraction, "GET /api/session": json(200, { authenticated: false }) });
    const { router } = renderApp("/account");

    // Sent, answered (signed out) and acted on, though the browser still reports itself offline.
    await waitFor(() => expect(router.state.location.pathname).toBe("/signin"));
    expect(api.callsTo("GET /api/session")).toHaveLength(1);
  });

  it("sends the same values again on 'Try again' and goes on when the answer comes", async () => {
    let online = false;
    const api = mockApi({
      ...noInteraction,
      "POST /api/signin": () => {
        if (!online) throw new TypeError("Failed to fetch");
        return json(200, { next: "otp", delivery });
      },
    });
    const { user, router } = renderApp("/signin");
    await submitSignIn(user);
    await screen.findByRole("alert");

    online = true;
    await user.click(screen.getByRole("button", { name: "Try again" }));

    await screen.findByRole("heading", { level: 1, name: "Enter your code" });
    expect(router.state.location.pathname).toBe("/signin/code");
    const bodies = api.callsTo("POST /api/signin").map((call) => call.body);
    expect(bodies).toEqual([
      { email: "ada@example.com", password: "Correct-horse1!" },
      { email: "ada@example.com", password: "Correct-horse1!" },
    ]);
  });

  it("offers no 'Try again' for an answer the server gave (the person must change something)", async () => {
    mockApi({ ...noInteraction, "POST /api/signin": json(401, { error: { code: "invalid_credentials", message: "x" } }) });
    const { user } = renderApp("/signin");
    await submitSignIn(user);
    await screen.findByRole("alert");
    expect(screen.queryByRole("button", { name: "Try again" })).not.toBeInTheDocument();
  });
});
