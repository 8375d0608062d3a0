import { act, screen } from "@testing-library/react";
import type { ComponentType } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { lazyPage } from "../../web/app/lazy-route";
import { AppProvider } from "../../web/app/provider";
import { routes } from "../../web/app/router";
import { paths } from "../../web/lib/paths";
import type { RouteObject } from "../../web/lib/router";
import { apiError, mockApi, renderRoutes, resetSharedRequests } from "./helpers";

afterEach(() => {
  vi.unstubAllGlobals();
});

/** The app's routes as the browser gets them: each feature page fetched on its first visit. */
function renderLazy(path: string, routeList: RouteObject[] = routes) {
  resetSharedRequests({ mode: "sign-in" });
  return renderRoutes(routeList, path, (app) => <AppProvider>{app}</AppProvider>).router;
}

/** The same tree with `Page` at `path`. */
function withPage(list: RouteObject[], path: string, Page: ComponentType): RouteObject[] {
  return list.map((route) => {
    const children = route.children ? { children: withPage(route.children, path, Page) } : {};
    if (route.path !== path) return { ...route, ...children } as RouteObject;
    return { ...route, element: <Page /> } as RouteObject;
  });
}

/** The same tree with the page at `path` failing to load, as a chunk does when the network drops or a deploy removed it. */
function withFailingPage(list: RouteObject[], path: string): RouteObject[] {
  return withPage(
    list,
    path,
    lazyPage(() => Promise.reject(new TypeError("Failed to fetch dynamically imported module"))),
  );
}

/**
 * The same tree with the sign-in page's code not fetched yet (the test helpers preload every
 * page of `routes`, and a preloaded page renders at once).
 */
function withSignInNotLoaded(list: RouteObject[]): RouteObject[] {
  return withPage(
    list,
    paths.signIn,
    lazyPage(() => import("../../web/features/signin/routes/sign-in").then((module) => module.SignInRoute)),
  );
}

describe("pages loaded on first visit (route-level code splitting)", () => {
  it("shows the layout and a named loading status while the sign-in page's code arrives, then the page", async () => {
    mockApi({ "GET /api/interaction": apiError(404, "not_found") });
    renderLazy(paths.signIn, withSignInNotLoaded(routes));

    expect(screen.getByRole("banner")).toHaveTextContent("Tobira");
    expect(screen.getByRole("status")).toHaveTextContent("Loading…");
    expect(await screen.findByRole("heading", { level: 1, name: "Sign in" })).toBeInTheDocument();
    expect(screen.queryByText("Loading…")).not.toBeInTheDocument();
  });

  it("renders a page whose code was preloaded (the first page, web/app/start.tsx) on the first pass, with no loading status", async () => {
    mockApi({ "GET /api/interaction": apiError(404, "not_found") });
    const SignInPage = lazyPage(() => import("../../web/features/signin/routes/sign-in").then((module) => module.SignInRoute));
    await SignInPage.preload();
    renderLazy(paths.signIn, withPage(routes, paths.signIn, SignInPage));

    expect(screen.getByRole("heading", { level: 1, name: "Sign in" })).toBeInTheDocument();
    expect(screen.queryByText("Loading…")).not.toBeInTheDocument();
  });

  it("loads the next page's code before showing it when the person moves on", async () => {
    mockApi({ "GET /api/interaction": apiError(404, "not_found") });
    const router = renderLazy(paths.signIn);
    await screen.findByRole("heading", { level: 1, name: "Sign in" });

    await act(() => router.navigate(paths.signUp));

    expect(await screen.findByRole("heading", { level: 1, name: "Create an account" })).toBeInTheDocument();
  });

  it("says the page could not be loaded and offers a reload when its code cannot be fetched", async () => {
    mockApi({});
    renderLazy(paths.consent, withFailingPage(routes, paths.consent));

    expect(await screen.findByRole("heading", { level: 1, name: "This page could not be loaded" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Reload" })).toBeInTheDocument();
    expect(screen.getByRole("banner")).toHaveTextContent("Tobira");
  });
});
