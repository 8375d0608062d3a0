import { useState } from "react";
import { createBrowserRouter, RouterProvider, type RouteObject } from "react-router-dom";
import { AccountRoute } from "../features/account/routes/account";
import { ConnectedAppsSection } from "../features/connected-apps/components/connected-apps-section";
import { ConsentRoute } from "../features/consent/routes/consent";
import { PasskeysSection } from "../features/passkeys/components/passkeys-section";
import { AddPasskeyRoute } from "../features/passkeys/routes/add-passkey";
import { ForgotPasswordRoute } from "../features/password/routes/forgot-password";
import { ResetPasswordRoute } from "../features/password/routes/reset-password";
import { SignInRoute } from "../features/signin/routes/sign-in";
import { SignInChooseRoute } from "../features/signin/routes/sign-in-choose";
import { SignInCodeRoute } from "../features/signin/routes/sign-in-code";
import { SignUpRoute } from "../features/signup/routes/sign-up";
import { SignUpConfirmRoute } from "../features/signup/routes/sign-up-confirm";
import { paths } from "../lib/paths";
import { AppLayout } from "./layout";
import { HomeRoute } from "./routes/home";
import { NotFoundRoute } from "./routes/not-found";
import { SignInModeOnly } from "./sign-in-mode-only";

/** Every page of the SPA; `lib/paths.ts` lists the same paths for links and redirects. */
export const routes: RouteObject[] = [
  {
    element: <AppLayout />,
    children: [
      { path: paths.home, element: <HomeRoute /> },
      {
        // Not in ALB mode, where the load balancer signs people in (lib/paths.ts `signInModePaths`).
        element: <SignInModeOnly />,
        children: [
          { path: paths.signIn, element: <SignInRoute /> },
          { path: paths.signInCode, element: <SignInCodeRoute /> },
          { path: paths.signInChoose, element: <SignInChooseRoute /> },
          { path: paths.signUp, element: <SignUpRoute /> },
          { path: paths.signUpConfirm, element: <SignUpConfirmRoute /> },
          { path: paths.passwordForgot, element: <ForgotPasswordRoute /> },
          { path: paths.passwordReset, element: <ResetPasswordRoute /> },
          { path: paths.passkeyAdd, element: <AddPasskeyRoute /> },
        ],
      },
      {
        path: paths.account,
        element: (
          <AccountRoute
            renderSections={({ email }) => (
              <>
                <PasskeysSection email={email} />
                <ConnectedAppsSection />
              </>
            )}
          />
        ),
      },
      { path: paths.consent, element: <ConsentRoute /> },
      { path: "*", element: <NotFoundRoute /> },
    ],
  },
];

export function AppRouter() {
  // One router for the app's lifetime, created on first render rather than at import time, so
  // tests can import `routes` into a memory router without touching window.history.
  const [router] = useState(() => createBrowserRouter(routes));
  return <RouterProvider router={router} />;
}
