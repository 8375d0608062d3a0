import { useState } from "react";
import { createBrowserRouter, RouterProvider, type RouteObject } from "react-router-dom";
import { loadCatalogPart } from "../i18n/i18n";
import { paths } from "../lib/paths";
import { AppLayout } from "./layout";
import { lazyPage, PageLoadError, PageLoading } from "./lazy-route";
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
        // Inside the layout: the header stays while the first page's chunk loads or when it fails.
        HydrateFallback: PageLoading,
        errorElement: <PageLoadError />,
        children: [
          { path: paths.home, element: <HomeRoute /> },
          {
            // Not in ALB mode, where the load balancer signs people in (lib/paths.ts `signInModePaths`).
            element: <SignInModeOnly />,
            children: [
              { path: paths.signIn, ...lazyPage(() => import("../features/signin/routes/sign-in").then((module) => module.SignInRoute)) },
              { path: paths.signInCode, ...lazyPage(() => import("../features/signin/routes/sign-in-code").then((module) => module.SignInCodeRoute)) },
              { path: paths.signInChoose, ...lazyPage(() => import("../features/signin/routes/sign-in-choose").then((module) => module.SignInChooseRoute)) },
              { path: paths.signUp, ...lazyPage(() => import("../features/signup/routes/sign-up").then((module) => module.SignUpRoute)) },
              { path: paths.signUpConfirm, ...lazyPage(() => import("../features/signup/routes/sign-up-confirm").then((module) => module.SignUpConfirmRoute)) },
              { path: paths.passwordForgot, ...lazyPage(() => import("../features/password/routes/forgot-password").then((module) => module.ForgotPasswordRoute)) },
              { path: paths.passwordReset, ...lazyPage(() => import("../features/password/routes/reset-password").then((module) => module.ResetPasswordRoute)) },
              {
                path: paths.passkeyAdd,
                ...lazyPage(() => withAccountStrings(import("../features/passkeys/routes/add-passkey")).then((module) => module.AddPasskeyRoute)),
              },
            ],
          },
          { path: paths.account, ...lazyPage(loadAccountPage) },
          { path: paths.consent, ...lazyPage(() => withAccountStrings(import("../features/consent/routes/consent")).then((module) => module.ConsentRoute)) },
          { path: "*", element: <NotFoundRoute /> },
        ],
      },
    ],
  },
];

export function AppRouter() {
  // One router for the app's lifetime, created on first render rather than at import time, so
  // tests can import `routes` into a memory router without touching window.history.
  const [router] = useState(() => createBrowserRouter(routes));
  return <RouterProvider router={router} />;
}
