import { isValidElement, type ComponentType } from "react";
import { loadCatalogPart } from "../i18n/i18n";
import { paths } from "../lib/paths";
import { BrowserRouter, matchRoutes, useRoutes, type RouteObject } from "../lib/router";
import { AppLayout } from "./layout";
import { lazyPage, PageFrame, type LazyPage } from "./lazy-route";
import { HomeRoute } from "./routes/home";
import { NotFoundRoute } from "./routes/not-found";
import { SignInModeOnly } from "./sign-in-mode-only";

/**
 * The account page with its sections: one chunk, loaded only by /account (passkey management and
 * connected apps never reach the sign-in pages).
 */
async function loadAccountPage() {
  const [{ AccountRoute }, { PasskeysSection }, { ConnectedAppsSection }] = await Promise.all([
    import("../features/account/routes/account"),
    import("../features/passkeys/components/passkeys-section"),
    import("../features/connected-apps/components/connected-apps-section"),
    loadCatalogPart("account"),
  ]);
  return function AccountPage() {
    return (
      <AccountRoute
        renderSections={({ email }) => (
          <>
            <PasskeysSection email={email} />
            <ConnectedAppsSection />
          </>
        )}
      />
    );
  };
}

/** A page module together with the active language's "account" strings, which its page uses. */
async function withAccountStrings<T>(page: Promise<T>): Promise<T> {
  const [module] = await Promise.all([page, loadCatalogPart("account")]);
  return module;
}

/** The element of a page whose code is a chunk of its own (`lazyPage`). */
function page(load: () => Promise<ComponentType>) {
  const Page = lazyPage(load);
  return <Page />;
}

/**
 * The layout of the pages that read through TanStack Query (web/app/query-pages.tsx): loaded with
 * them, so the sign-in pages load no TanStack Query code.
 */
function queryPages() {
  return page(() => import("./query-pages").then((module) => module.QueryPages));
}

/**
 * Every page of the SPA; `lib/paths.ts` lists the same paths for links and redirects. Each
 * feature page is its own chunk (`lazyPage`); the layout, the start page and "not found" are in
 * the entry.
 */
export const routes: RouteObject[] = [
  {
    element: <AppLayout />,
    children: [
      {
        element: <PageFrame />,
        children: [
          { path: paths.home, element: <HomeRoute /> },
          {
            // Not in ALB mode, where the load balancer signs people in (lib/paths.ts `signInModePaths`).
            element: <SignInModeOnly />,
            children: [
              { path: paths.signIn, element: page(() => import("../features/signin/routes/sign-in").then((module) => module.SignInRoute)) },
              { path: paths.signInCode, element: page(() => import("../features/signin/routes/sign-in-code").then((module) => module.SignInCodeRoute)) },
              { path: paths.signInChoose, element: page(() => import("../features/signin/routes/sign-in-choose").then((module) => module.SignInChooseRoute)) },
              { path: paths.signUp, element: page(() => import("../features/signup/routes/sign-up").then((module) => module.SignUpRoute)) },
              { path: paths.signUpConfirm, element: page(() => import("../features/signup/routes/sign-up-confirm").then((module) => module.SignUpConfirmRoute)) },
              { path: paths.passwordForgot, element: page(() => import("../features/password/routes/forgot-password").then((module) => module.ForgotPasswordRoute)) },
              { path: paths.passwordReset, element: page(() => import("../features/password/routes/reset-password").then((module) => module.ResetPasswordRoute)) },
              {
                element: queryPages(),
                children: [
                  {
                    path: paths.passkeyAdd,
                    element: page(() => withAccountStrings(import("../features/passkeys/routes/add-passkey")).then((module) => module.AddPasskeyRoute)),
                  },
                ],
              },
            ],
          },
          {
            element: queryPages(),
            children: [
              { path: paths.account, element: page(loadAccountPage) },
              { path: paths.consent, element: page(() => withAccountStrings(import("../features/consent/routes/consent")).then((module) => module.ConsentRoute)) },
            ],
          },
          { path: "*", element: <NotFoundRoute /> },
        ],
      },
    ],
  },
];

/**
 * Starts fetching the code of the page at `pathname` and of the lazy layout it sits in, if any (the
 * first page, before the app renders), so that page renders at once instead of suspending (`lazyPage`).
 */
export function preloadPageAt(pathname: string): void {
  for (const { route } of matchRoutes(routes, pathname) ?? []) {
    const element = route.element;
    if (isValidElement(element) && typeof element.type === "function" && "preload" in element.type) {
      (element.type as LazyPage).preload().catch(() => undefined);
    }
  }
}

/** The pages for the current address (tests render them in a memory router). */
export function AppRoutes() {
  return useRoutes(routes);
}

/**
 * The app's own small router (web/lib/router.tsx) on the browser's history: the pages load their
 * data themselves, and the paths are fixed, so a routing library's code on every first visit buys
 * nothing (README, "Performance of the first visit").
 */
export function AppRouter() {
  return (
    <BrowserRouter>
      <AppRoutes />
    </BrowserRouter>
  );
}
