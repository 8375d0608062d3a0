import { useQueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Navigate } from "react-router-dom";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Page } from "../../../components/ui/page";
import { LoadingBlock } from "../../../components/ui/spinner";
import { config } from "../../../config";
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

export interface AccountRouteProps {
  /** Sections other features add below the summary (composed in web/app, e.g. passkeys). */
  renderSections?: (user: { email: string }) => ReactNode;
}

export function AccountRoute({ renderSections }: AccountRouteProps = {}) {
  const queryClient = useQueryClient();
  // A logout may end at Cognito's hosted /logout (ALB mode), another origin.
  const followRedirect = useFollowRedirect({ allowOtherOrigins: true });
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
  const signedOut =
    session.data?.authenticated === false || (isApiError(claims.error) && claims.error.code === "unauthenticated");
  if (signedOut) {
    const state: NavigationState = { flash: { tone: "info", message: "Sign in to see your account." } };
    return <Navigate to={paths.signIn} replace state={state} />;
  }

  // One Page element for loading, error and content, so the h1 the app shell focused on
  // arrival stays in the document (and keeps focus) when the data comes in.
  return (
    <Page size="wide" title="Your account" lead={`You're signed in. This is what ${config.appName} knows about you.`}>
      {session.isPending ? (
        <LoadingBlock label="Loading your account…" />
      ) : session.isError || !session.data.authenticated ? (
        <Alert tone="error" title="We couldn't load your account.">
          <p>{describeError(session.error)}</p>
          <Button variant="secondary" onClick={() => void session.refetch()}>
            Try again
          </Button>
        </Alert>
      ) : (
        <>
          <AccountSummary
            email={session.data.user.email}
            amr={session.data.amr}
            authTime={session.data.authTime}
            onSignOut={onSignOut}
            signingOut={logout.isPending}
            signOutError={logout.isError ? describeError(logout.error) : undefined}
          />
          {renderSections?.({ email: session.data.user.email })}
          <h2 className="section-title">Your tokens</h2>
          <p className="section-lead">
            The claims from your sign-in, as the apps you use would see them. The tokens themselves never leave the server.
          </p>
          <ClaimsSection claims={claims} />
        </>
      )}
    </Page>
  );
}

function ClaimsSection({ claims }: { claims: ReturnType<typeof useClaims> }) {
  if (claims.isPending) return <LoadingBlock label="Loading claims…" />;
  if (claims.isError) {
    return (
      <Alert tone="error" title="We couldn't load your claims.">
        <p>{describeError(claims.error)}</p>
        <Button variant="secondary" onClick={() => void claims.refetch()}>
          Try again
        </Button>
      </Alert>
    );
  }
  return (
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
      <ClaimsPanel title="User info" description="Your attributes as the user pool stores them." claims={claims.data.userInfo} />
    </div>
  );
}
