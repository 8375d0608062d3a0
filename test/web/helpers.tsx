import { QueryClient } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router-dom";
import { vi } from "vitest";
import { AppProvider } from "../../web/app/provider";
import { routes } from "../../web/app/router";

/** A JSON answer like the BFF's. */
export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

/** The contract's error shape. */
export function apiError(status: number, code: string, extra: Record<string, unknown> = {}, topLevel: Record<string, unknown> = {}) {
  return json(status, { error: { code, message: `server text for ${code}`, ...extra }, ...topLevel });
}

export interface RecordedCall {
  method: string;
  path: string;
  headers: Headers;
  credentials: RequestCredentials | undefined;
  body: unknown;
}

type Answer = Response | (() => Response | Promise<Response>);

/**
 * Replaces `fetch` with a table of "METHOD /path" → answer. A call not in the table fails the
 * test loudly (as a rejected fetch the app would otherwise show as a network error).
 */
export function mockApi(table: Record<string, Answer>) {
  const calls: RecordedCall[] = [];
  const unexpected: string[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const method = (init.method ?? "GET").toUpperCase();
    const path = String(input);
    const body = typeof init.body === "string" ? (JSON.parse(init.body) as unknown) : undefined;
    calls.push({ method, path, headers: new Headers(init.headers), credentials: init.credentials, body });
    const answer = table[`${method} ${path}`];
    if (answer === undefined) {
      unexpected.push(`${method} ${path}`);
      throw new Error(`unexpected fetch ${method} ${path}`);
    }
    return typeof answer === "function" ? answer() : answer.clone();
  });
  vi.stubGlobal("fetch", fetchMock);
  return {
    fetchMock,
    calls,
    unexpected,
    callsTo: (key: string) => calls.filter((call) => `${call.method} ${call.path}` === key),
  };
}

/** A promise the test resolves when it wants, to hold a request in flight. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** Renders the app's real routes in a memory router with a fresh QueryClient (no retries). */
export function renderApp(path: string, state?: unknown) {
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false, gcTime: Infinity }, mutations: { retry: false } },
  });
  const router = createMemoryRouter(routes, { initialEntries: [{ pathname: path, state }] });
  const user = userEvent.setup();
  const view = render(
    <AppProvider queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProvider>,
  );
  return { ...view, user, router, queryClient };
}

export const delivery = { medium: "EMAIL", destination: "a***@e***.com" } as const;
