import type { ReactNode } from "react";
import type { SignInStatusResponse } from "../../../../common/api-contract";
import { LoadingBlock } from "../../../components/ui/spinner";
import { useT } from "../../../i18n/i18n";
import { useSessionCheck } from "../../../lib/auth";
import type { NavigationState } from "../../../lib/navigation-state";
import { paths } from "../../../lib/paths";
import { Navigate } from "../../../lib/router";
import { useSignInStatus } from "../api/pending-sign-in";

export type PendingSignIn = Extract<SignInStatusResponse, { pending: true }>;

/**
 * The code and choose pages belong to a sign-in in progress. On arrival they ask the BFF
 * whether one is (`GET /api/signin`): opened directly, or reached with Back after signing in,
 * there is none, and the person goes to the account page (signed in) or to the sign-in page
 * with a plain note, instead of a form that can only fail with "your sign-in has expired". If
 * the question cannot be answered (offline), the page shows as it is; its own requests will say
 * what is wrong.
 */
export function PendingSignInGate({ email, children }: { email: string | undefined; children: (pending: PendingSignIn | undefined) => ReactNode }) {
  const t = useT();
  const status = useSignInStatus();
  const none = status.data?.pending === false;
  const session = useSessionCheck({ enabled: none });

  // Only an answer fetched for this arrival counts (useSignInStatus asks on every mount).
  if (status.isPending || (none && session.isPending)) return <LoadingBlock label={t("app.loading")} />;
  if (none) {
    if (session.data?.authenticated === true) return <Navigate to={paths.account} replace />;
    const state: NavigationState = { email, flash: { tone: "info", message: t("signIn.noneInProgress") } };
    return <Navigate to={paths.signIn} replace state={state} />;
  }
  return <>{children(status.data?.pending === true ? status.data : undefined)}</>;
}
