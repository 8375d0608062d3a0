import { render } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createElement, isValidElement, type ComponentType, type ReactNode } from "react";
import { vi } from "vitest";
import type { PasswordPolicyRules } from "../../common/api-contract";
import { AppProvider } from "../../web/app/provider";
import { routes } from "../../web/app/router";
import { interactionRequest } from "../../web/features/signin/api/get-interaction";
import { clientConfigRequest } from "../../web/lib/client-config";
import { createQueryClient } from "../../web/lib/query/query-client";
import { MemoryRouter, useLocation, useNavigate, useNavigationType, useRoutes, type Location, type NavigationType, type RouteObject } from "../../web/lib/router";

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
/**
 * Answers every page may ask for without the test caring: the BFF runs in sign-in mode, a fresh
 * sign-in page ends no pending sign-in. A test's own table wins.
 */
export const backgroundAnswers: Record<string, Answer> = {
  "GET /api/config": () => json(200, { mode: "sign-in" }),
  "DELETE /api/signin": () => new Response(null, { status: 204 }),
  // The account page's connected apps: none.
  "GET /api/connected-apps": () => json(200, []),
  // The account page's security centre: a fresh sign-in, one session, no history yet.
  "GET /api/account": () =>
    json(200, { email: "ada@example.com", pendingEmail: null, authTime: 1_764_000_000, recentSignInUntil: 1_764_000_600, trustedDevicesEnabled: true, historyDays: 30 }),
  "GET /api/account/sessions": () =>
    json(200, {
      sessions: [
        {
          id: "this-session",
          current: true,
          createdAt: 1_764_000_000,
          lastActiveAt: 1_764_000_000,
          device: { browser: "Firefox", os: "Linux", label: "Firefox on Linux" },
          ip: "127.0.0.1",
          method: "password_code",
        },
      ],
      trustedDevices: [],
      apps: [],
    }),
  "GET /api/account/history": () => json(200, { events: [], days: 30 }),
  // A sign-in waiting for its code: the code page's arrival check passes.
  "GET /api/signin": () =>
    json(200, { pending: true, next: "otp", methods: ["otp"], delivery: { medium: "EMAIL", destination: "a***@e***.com" }, resendAvailableInSeconds: 0, resendsLeft: 3 }),
};

export function mockApi(ownTable: Record<string, Answer>) {
  const table = { ...backgroundAnswers, ...ownTable };
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
    const response = Promise.resolve(typeof answer === "function" ? answer() : answer.clone());
    // Like a browser's fetch: an abort (a cancel, the client's deadline) rejects at once with the signal's reason.
    const signal = init.signal;
    if (!signal) return response;
    if (signal.aborted) throw signal.reason;
    return Promise.race([response, new Promise<Response>((_resolve, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true }))]);
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

/**
 * The app's routes with every lazy page already loaded (its element replaced by the page it
 * loads), so a page renders on the first pass as the tests expect; test/web/lazy-routes.test.tsx
 * covers the lazy loading itself.
 */
async function withPagesLoaded(list: RouteObject[]): Promise<RouteObject[]> {
  return Promise.all(
    list.map(async ({ element, children, ...route }) => {
      const preload = isValidElement(element) && typeof element.type === "function" && "preload" in element.type ? element.type.preload : undefined;
      const loadedElement = typeof preload === "function" ? createElement((await preload()) as ComponentType) : element;
      return { ...route, element: loadedElement, ...(children ? { children: await withPagesLoaded(children) } : {}) } as RouteObject;
    }),
  );
}

export const loadedRoutes = await withPagesLoaded(routes);

/** What tests read of the router and how they move it: the shown address, how it was reached, `navigate`. */
export interface TestRouter {
  state: { location: Location; historyAction: NavigationType };
  navigate: (to: string) => void;
}

/**
 * `routes` in a memory router, plus a `TestRouter` that follows what the router renders (the app
 * uses the declarative router, which has no router object of its own).
 */
export function renderRoutes(routeList: RouteObject[], initialEntry: { pathname: string; state?: unknown } | string, wrap: (app: ReactNode) => ReactNode) {
  const router = {} as TestRouter;
  function RoutesWithProbe() {
    const location = useLocation();
    const historyAction = useNavigationType();
    const navigate = useNavigate();
    router.state = { location, historyAction };
    router.navigate = (to) => void navigate(to);
    return useRoutes(routeList);
  }
  const view = render(
    wrap(
      <MemoryRouter initialEntries={[initialEntry]}>
        <RoutesWithProbe />
      </MemoryRouter>,
    ),
  );
  return { view, router };
}

/**
 * Forgets the answers the sign-in pages share across a visit (the BFF's mode, the waiting app),
 * so each test starts as a fresh page load; with `mode`, as if GET /api/config had answered it.
 */
export function resetSharedRequests(config?: { mode: "sign-in" | "alb"; passwordPolicy?: PasswordPolicyRules | undefined }): void {
  clientConfigRequest.forget();
  interactionRequest.forget();
  if (config !== undefined) {
    clientConfigRequest.set({ mode: config.mode, ...(config.passwordPolicy === undefined ? {} : { passwordPolicy: config.passwordPolicy }) });
  }
}

/**
 * Renders the app's real routes (pages loaded) in a memory router, as a fresh page load, with a
 * fresh QueryClient for the account pages: the app's own (network mode "always"), with no
 * retries of reads.
 */
export function renderApp(path: string, state?: unknown, options: { mode?: "sign-in" | "alb" | "ask"; passwordPolicy?: PasswordPolicyRules } = {}) {
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({
    queries: { ...queryClient.getDefaultOptions().queries, retry: false, gcTime: Infinity },
    mutations: queryClient.getDefaultOptions().mutations,
  });
  // The BFF's mode as if GET /api/config had answered already ("ask": the app asks for it).
  const mode = options.mode ?? "sign-in";
  resetSharedRequests(mode === "ask" ? undefined : { mode, passwordPolicy: options.passwordPolicy });
  const user = userEvent.setup();
  const { view, router } = renderRoutes(loadedRoutes, { pathname: path, state }, (app) => <AppProvider queryClient={queryClient}>{app}</AppProvider>);
  return { ...view, user, router, queryClient };
}

export const delivery = { medium: "EMAIL", destination: "a***@e***.com" } as const;
