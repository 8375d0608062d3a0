import { act, fireEvent, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { lazy, Suspense, type JSX } from "react";
import { afterEach, describe, expect, it } from "vitest";
import {
  BrowserRouter,
  Link,
  matchRoutes,
  MemoryRouter,
  Navigate,
  Outlet,
  useLocation,
  useNavigate,
  useNavigationType,
  useRoutes,
  type RouteObject,
} from "../../web/lib/router";
import { deferred } from "./helpers";

/** The SPA's own router (web/lib/router.tsx): what the pages rely on of it. */

function Where() {
  const location = useLocation();
  return (
    <p data-testid="where">
      {location.pathname}
      {location.search} {useNavigationType()} {JSON.stringify(location.state)}
    </p>
  );
}

const routes: RouteObject[] = [
  {
    element: (
      <div>
        <h2>layout</h2>
        <Outlet />
        <Where />
      </div>
    ),
    children: [
      { path: "/", element: <h1>home</h1> },
      {
        path: "/signin",
        element: (
          <>
            <h1>sign in</h1>
            <Link to="/signup" state={{ email: "ada@example.com" }}>
              sign up
            </Link>
            <Link to="/signin">this page</Link>
          </>
        ),
      },
      { path: "/signup", element: <h1>sign up</h1> },
      { path: "/old", element: <Navigate to="/signin" replace state={{ note: "moved" }} /> },
      { path: "*", element: <h1>not found</h1> },
    ],
  },
];

function Routes() {
  return useRoutes(routes);
}

function renderAt(entry: string | { pathname: string; state?: unknown }) {
  return render(
    <MemoryRouter initialEntries={[entry]}>
      <Routes />
    </MemoryRouter>,
  );
}

const where = () => screen.getByTestId("where").textContent;

describe("matching an address to its page", () => {
  it("renders the page inside its layout's Outlet", () => {
    renderAt("/signin");
    expect(screen.getByRole("heading", { level: 2, name: "layout" })).toBeInTheDocument();
    expect(screen.getByRole("heading", { level: 1, name: "sign in" })).toBeInTheDocument();
  });

  it("matches whatever the case and with a trailing slash, as React Router did", () => {
    expect(matchRoutes(routes, "/SignIn/")?.at(-1)?.route.path).toBe("/signin");
    expect(matchRoutes(routes, "/")?.at(-1)?.route.path).toBe("/");
  });

  it("gives an address no page has to the '*' page, and a page's own path wins over '*'", () => {
    expect(matchRoutes(routes, "/signin/other")?.at(-1)?.route.path).toBe("*");
    renderAt("/nothing-here");
    expect(screen.getByRole("heading", { level: 1, name: "not found" })).toBeInTheDocument();
  });

  it("lists the layouts from the outside in, then the page", () => {
    const branch = matchRoutes(routes, "/signup");
    expect(branch?.map(({ route }) => route.path ?? "layout")).toEqual(["layout", "/signup"]);
  });

  it("matches nothing when no route takes the address", () => {
    expect(matchRoutes([{ path: "/a", element: null }], "/b")).toBeNull();
  });
});

describe("links and navigation", () => {
  it("follows a link inside the app with a plain click, handing its state to the next page", async () => {
    renderAt("/signin");
    await userEvent.setup().click(screen.getByRole("link", { name: "sign up" }));
    expect(screen.getByRole("heading", { level: 1, name: "sign up" })).toBeInTheDocument();
    expect(where()).toBe('/signup PUSH {"email":"ada@example.com"}');
  });

  it("renders a real href, so a link can be opened in a new tab", () => {
    renderAt("/signin");
    expect(screen.getByRole("link", { name: "sign up" })).toHaveAttribute("href", "/signup");
  });

  it("leaves a click with a modifier key (new tab, new window) to the browser", () => {
    renderAt("/signin");
    const link = screen.getByRole("link", { name: "sign up" });
    for (const modifier of [{ ctrlKey: true }, { metaKey: true }, { shiftKey: true }, { altKey: true }, { button: 1 }]) {
      // The browser's default action is not run in jsdom: what matters is that the app did not navigate.
      fireEvent.click(link, modifier);
      expect(screen.getByRole("heading", { level: 1, name: "sign in" })).toBeInTheDocument();
    }
  });

  it("replaces the history entry for a link to the current address, instead of adding one", async () => {
    renderAt("/signin");
    await userEvent.setup().click(screen.getByRole("link", { name: "this page" }));
    expect(where()).toBe("/signin REPLACE null");
  });

  it("redirects with Navigate, replacing the entry and passing its state", async () => {
    renderAt("/old");
    expect(await screen.findByRole("heading", { level: 1, name: "sign in" })).toBeInTheDocument();
    expect(where()).toBe('/signin REPLACE {"note":"moved"}');
  });

  it("starts at the initial entry's state, as a reload of that entry would", () => {
    renderAt({ pathname: "/signup", state: { email: "x@example.com" } });
    expect(where()).toBe('/signup POP {"email":"x@example.com"}');
  });

  it("keeps the search part of an address it navigates to", async () => {
    let navigate: ReturnType<typeof useNavigate> | undefined;
    function Grab() {
      navigate = useNavigate();
      return null;
    }
    render(
      <MemoryRouter initialEntries={["/"]}>
        <Grab />
        <Routes />
      </MemoryRouter>,
    );
    await act(async () => navigate?.("/signup?x=1#top"));
    expect(where()).toBe("/signup?x=1 PUSH null");
  });

  it("keeps the current page on screen while the next page's code loads (a navigation is a transition)", async () => {
    const code = deferred<{ default: () => JSX.Element }>();
    const Later = lazy(() => code.promise);
    const withLazy: RouteObject[] = [
      {
        element: (
          <Suspense fallback={<p>loading</p>}>
            <Outlet />
          </Suspense>
        ),
        children: [
          { path: "/", element: <Link to="/later">next</Link> },
          { path: "/later", element: <Later /> },
        ],
      },
    ];
    function LazyRoutes() {
      return useRoutes(withLazy);
    }
    render(
      <MemoryRouter>
        <LazyRoutes />
      </MemoryRouter>,
    );
    await userEvent.setup().click(screen.getByRole("link", { name: "next" }));
    expect(screen.getByRole("link", { name: "next" })).toBeInTheDocument();
    expect(screen.queryByText("loading")).not.toBeInTheDocument();
    await act(async () => code.resolve({ default: () => <h1>later</h1> }));
    expect(await screen.findByRole("heading", { level: 1, name: "later" })).toBeInTheDocument();
  });
});

describe("the browser's history", () => {
  afterEach(() => {
    window.history.replaceState(null, "", "/");
  });

  it("writes the address and the state to the browser's history, and follows Back", async () => {
    window.history.replaceState(null, "", "/signin");
    render(
      <BrowserRouter>
        <Routes />
      </BrowserRouter>,
    );
    await userEvent.setup().click(screen.getByRole("link", { name: "sign up" }));
    expect(window.location.pathname).toBe("/signup");
    expect(window.history.state).toEqual({ usr: { email: "ada@example.com" } });

    await act(async () => {
      window.history.replaceState({ usr: null }, "", "/signin");
      window.dispatchEvent(new PopStateEvent("popstate"));
    });
    expect(screen.getByRole("heading", { level: 1, name: "sign in" })).toBeInTheDocument();
    expect(where()).toBe("/signin POP null");
  });

  it("refuses to render a link outside the router, with a message that says so", () => {
    expect(() => render(<Link to="/signin">x</Link>)).toThrow(/outside the router/);
  });
});
