import { useQueryClient } from "@tanstack/react-query";
import { Navigate } from "react-router-dom";
import { Alert } from "../../../components/ui/alert";
import { LoadingBlock } from "../../../components/ui/spinner";
import { Button } from "../../../components/ui/button";
import { Page } from "../../../components/ui/page";
import { isApiError } from "../../../lib/api-client";
import { useSession } from "../../../lib/auth";
import { describeError } from "../../../lib/error-messages";
import type { NavigationState } from "../../../lib/navigation-state";
import { paths } from "../../../lib/paths";
import { useFollowRedirect } from "../../../lib/redirect";
import { useClaims } from "../api/get-claims";
import { useLogout } from "../api/logout";
import { AccountSummary } from "../components/account-summary";
import { ClaimsPanel } from "../components/claims-panel";

export function AccountRoute() {
  const queryClient = useQueryClient();
  const followRedirect = useFollowRedirect();
  const logout = useLogout();
  // Once signed out, stop reading (and refetching) this account's data.
  const leaving = logout.isSuccess;
  const session = useSession({ enabled: !leaving });
  const claims = useClaims({ enabled: !leaving && session.data?.authenticated === true });

  const onSignOut = () => {
    logout.mutate(undefined, {
      onSuccess: ({ redirectTo }) => {
        queryClient.removeQueries();
        const state: NavigationState = { flash: { tone: "success", message: "You have signed out." } };
        followRedirect(redirectTo, { state, fallback: paths.signIn });
      },
    });
  };

  if (leaving) {
    return (
      <Page title="Signing out">
        <LoadingBlock label="Signing you out…" />
      </Page>
    );
  }
  if (session.isPending) {
    return (
      <Page title="Your account">
        <LoadingBlock label="Loading your account…" />
      </Page>
    );
  }
  const signedOut =
    (session.data?.authenticated === false) || (isApiError(claims.error) && claims.error.code === "unauthenticated");
  if (signedOut) {
    const state: NavigationState = { flash: { tone: "info", message: "Sign in to see your account." } };
    return <Navigate to={paths.signIn} replace state={state} />;
  }
  if (session.isError || !session.data?.authenticated) {
    return (
      <Page title="Your account">
        <Alert tone="error" title="We couldn't load your account.">
          <p>{describeError(session.error)}</p>
          <Button variant="secondary" onClick={() => void session.refetch()}>
            Try again
          </Button>
        </Alert>
      </Page>
    );
  }

  const { user, amr, authTime } = session.data;
  return (
    <Page size="wide" title="Your account" lead="You're signed in. This is what Tobira knows about you.">
      <AccountSummary
        email={user.email}
        amr={amr}
        authTime={authTime}
        onSignOut={onSignOut}
        signingOut={logout.isPending}
        signOutError={logout.isError ? describeError(logout.error) : undefined}
      />
      <h2 className="section-title">Your tokens</h2>
      <p className="section-lead">The claims from your sign-in, as the apps you use would see them. Tokens themselves never leave the server.</p>
      {claims.isPending ? (
        <LoadingBlock label="Loading claims…" />
      ) : claims.isError ? (
        <Alert tone="error" title="We couldn't load your claims.">
          <p>{describeError(claims.error)}</p>
          <Button variant="secondary" onClick={() => void claims.refetch()}>
            Try again
          </Button>
        </Alert>
      ) : (
        <div className="panels">
          <ClaimsPanel
            title="ID token claims"
            badge="Verified"
            description="Who you are. The signature was checked against the user pool's published keys."
            claims={claims.data.idToken}
          />
          <ClaimsPanel
            title="Access token claims"
            description="What apps may do on your behalf: the client, scopes and lifetime."
            claims={claims.data.accessToken}
          />
          <ClaimsPanel
            title="User info"
            description="Your attributes as the user pool stores them."
            claims={claims.data.userInfo}
          />
        </div>
      )}
    </Page>
  );
}
