import { createContext, startTransition, useCallback, useContext, useEffect, useRef, useState, type AnchorHTMLAttributes, type MouseEvent, type ReactNode } from "react";

/**
 * The SPA's router: every page has a fixed path (lib/paths.ts), with no parameters, loaders or
 * nested URLs, so what it needs of a router is small — the current address and the history
 * state pages hand each other, links, redirects, layouts around pages (`Outlet`) — and it is
 * written here in place of React Router, whose 9 kB gzip were most of what the sign-in page
 * still loaded beyond React itself (README, "Performance of the first visit"). The names and
 * behaviour follow React Router's declarative API, which the pages were written against:
 * navigations render as React transitions (the current page stays until the next page's code
 * is in), paths match whatever their case and with or without a trailing slash, and a link to
 * the current address replaces its history entry instead of adding one.
 */

export interface Location {
  pathname: string;
  search: string;
  hash: string;
  /** What the page that navigated here handed over (parsed, never trusted: lib/navigation-state.ts). */
  state: unknown;
}

/** How the current address was reached: a link or `navigate` (PUSH, REPLACE), or Back/Forward (POP). */
export type NavigationType = "POP" | "PUSH" | "REPLACE";

export interface NavigateOptions {
  replace?: boolean | undefined;
  state?: unknown;
}

export type NavigateFunction = (to: string, options?: NavigateOptions) => void;

/** Where the addresses live: the browser's history, or a list in memory (tests). */
interface History {
  read(): Location;
  write(location: Location, type: "PUSH" | "REPLACE"): void;
  /** Calls `listener` on Back/Forward; returns the unsubscribe. */
  listen(listener: () => void): () => void;
}

/** `to` resolved against the current address: the same origin always (a path, not a URL). */
function resolve(to: string, from: Location, state: unknown): Location {
  const base = new URL(`${from.pathname}${from.search}`, "http://spa.invalid");
  const url = new URL(to, base);
  return { pathname: url.pathname, search: url.search, hash: url.hash, state: state ?? null };
}

function pathOf(location: Pick<Location, "pathname" | "search" | "hash">): string {
  return `${location.pathname}${location.search}${location.hash}`;
}

/** The page's history entries; each entry's history state holds the state a page handed over. */
function browserHistory(): History {
  return {
    read: () => {
      const entry = window.history.state as { usr?: unknown } | null;
      return { pathname: window.location.pathname, search: window.location.search, hash: window.location.hash, state: entry?.usr ?? null };
    },
    write: (location, type) => {
      const entry = { usr: location.state };
      if (type === "PUSH") window.history.pushState(entry, "", pathOf(location));
      else window.history.replaceState(entry, "", pathOf(location));
    },
    listen: (listener) => {
      window.addEventListener("popstate", listener);
      return () => window.removeEventListener("popstate", listener);
    },
  };
}

function memoryHistory(initialEntries: readonly (string | { pathname: string; state?: unknown })[]): History {
  const root: Location = { pathname: "/", search: "", hash: "", state: null };
  const entries = initialEntries.map((entry) => (typeof entry === "string" ? resolve(entry, root, null) : resolve(entry.pathname, root, entry.state)));
  if (entries.length === 0) entries.push(root);
  let index = entries.length - 1;
  return {
    read: () => entries[index]!,
    write: (location, type) => {
      if (type === "PUSH") {
        index += 1;
        entries.splice(index, entries.length - index, location);
      } else {
        entries[index] = location;
      }
    },
    listen: () => () => undefined,
  };
}

interface RouterState {
  location: Location;
  type: NavigationType;
  navigate: NavigateFunction;
}

const RouterContext = createContext<RouterState | null>(null);
const OutletContext = createContext<ReactNode>(null);

function Router({ history, children }: { history: History; children: ReactNode }) {
  const [current, setCurrent] = useState<{ location: Location; type: NavigationType }>(() => ({ location: history.read(), type: "POP" }));

  useEffect(() => history.listen(() => startTransition(() => setCurrent({ location: history.read(), type: "POP" }))), [history]);

  const navigate = useCallback<NavigateFunction>(
    (to, options = {}) => {
      const from = history.read();
      const location = resolve(to, from, options.state);
      const type = options.replace === true ? "REPLACE" : "PUSH";
      history.write(location, type);
      startTransition(() => setCurrent({ location, type }));
    },
    [history],
  );

  return <RouterContext value={{ ...current, navigate }}>{children}</RouterContext>;
}

/** The router of the running app: the browser's address bar and history. */
export function BrowserRouter({ children }: { children: ReactNode }) {
  const [history] = useState(browserHistory);
  return <Router history={history}>{children}</Router>;
}

/** A router whose history is a list in memory, starting at the last of `initialEntries` (tests). */
export function MemoryRouter({ initialEntries = ["/"], children }: { initialEntries?: (string | { pathname: string; state?: unknown })[]; children: ReactNode }) {
  const [history] = useState(() => memoryHistory(initialEntries));
  return <Router history={history}>{children}</Router>;
}

function useRouter(): RouterState {
  const router = useContext(RouterContext);
  if (router === null) throw new Error("a page or link is rendered outside the router (BrowserRouter)");
  return router;
}

export function useLocation(): Location {
  return useRouter().location;
}

export function useNavigationType(): NavigationType {
  return useRouter().type;
}

export function useNavigate(): NavigateFunction {
  return useRouter().navigate;
}

export interface LinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, "href"> {
  to: string;
  state?: unknown;
  replace?: boolean;
}

/**
 * A link to a page of the SPA: a real `<a href>` (open in a new tab, copy the address), followed
 * inside the app on a plain left click. A link to the current address replaces its entry.
 */
export function Link({ to, state, replace, onClick, target, ...anchor }: LinkProps) {
  const { location, navigate } = useRouter();
  const href = pathOf(resolve(to, location, null));
  const onLinkClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    const plainClick = event.button === 0 && !event.metaKey && !event.altKey && !event.ctrlKey && !event.shiftKey;
    if (event.defaultPrevented || !plainClick || (target !== undefined && target !== "_self")) return;
    event.preventDefault();
    navigate(to, { state, replace: replace ?? href === pathOf(location) });
  };
  return <a {...anchor} href={href} target={target} onClick={onLinkClick} />;
}

/** Goes to `to` once it has rendered (a redirect inside the app), once per mount. */
export function Navigate({ to, replace, state }: { to: string; replace?: boolean; state?: unknown }) {
  const navigate = useNavigate();
  // Once: the state is a new object at each render, and the page being left may render again
  // before the transition to `to` is done.
  const done = useRef(false);
  useEffect(() => {
    if (done.current) return;
    done.current = true;
    navigate(to, { replace, state });
  });
  return null;
}

/** Where a layout route renders the page matched below it. */
export function Outlet() {
  return <>{useContext(OutletContext)}</>;
}

/** A page (`path`) or a layout around pages (no `path`, `children`); `path: "*"` matches any address no other route does. */
export interface RouteObject {
  path?: string;
  element?: ReactNode;
  children?: RouteObject[];
}

export interface RouteMatch {
  route: RouteObject;
}

/** A path as routes are compared: lower case, no trailing slash. */
function normalize(pathname: string): string {
  const lower = pathname.toLowerCase();
  return lower.length > 1 && lower.endsWith("/") ? lower.slice(0, -1) : lower;
}

function findBranch(routes: readonly RouteObject[], pathname: string, splat: boolean): RouteMatch[] | null {
  for (const route of routes) {
    if (route.children !== undefined) {
      const below = findBranch(route.children, pathname, splat);
      if (below !== null) return [{ route }, ...below];
    } else if (route.path === "*" ? splat : route.path !== undefined && normalize(route.path) === pathname) {
      return [{ route }];
    }
  }
  return null;
}

/** The routes from the outermost layout to the page at `pathname`; a page's own path wins over "*". */
export function matchRoutes(routes: readonly RouteObject[], pathname: string): RouteMatch[] | null {
  const path = normalize(pathname);
  return findBranch(routes, path, false) ?? findBranch(routes, path, true);
}

/** The element tree for the current address: each layout with the next route in its `Outlet`. */
export function useRoutes(routes: readonly RouteObject[]): ReactNode {
  const branch = matchRoutes(routes, useLocation().pathname);
  if (branch === null) return null;
  return branch.reduceRight<ReactNode>(
    (inner, { route }) => <OutletContext value={inner}>{route.element === undefined ? <Outlet /> : route.element}</OutletContext>,
    null,
  );
}
