import { useId } from "react";
import { Link, Navigate } from "react-router-dom";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Page } from "../../../components/ui/page";
import { LoadingBlock } from "../../../components/ui/spinner";
import { isApiError } from "../../../lib/api-client";
import { useSession } from "../../../lib/auth";
import { describeError } from "../../../lib/error-messages";
import type { NavigationState } from "../../../lib/navigation-state";
import { paths } from "../../../lib/paths";
import { useFollowRedirect } from "../../../lib/redirect";
import { useConsentDecision, usePendingConsent } from "../api/consent";
import { describeScope, orderedScopes } from "../utils/scope-text";

/**
 * The consent page (OpenID Connect Core §3.1.2.4): an app that is not Tobira's own asks to use
 * the signed-in account. It names the app, says in words what it will receive, and offers Allow
 * or Don't allow; either answer goes back to the app through the provider. Tobira remembers an
 * allowed app (the account page lists it under "Connected apps", where it can be disconnected).
 */
export function ConsentRoute() {
  const session = useSession();
  const pending = usePendingConsent();
  const decide = useConsentDecision();
  const followRedirect = useFollowRedirect();
  const listId = useId();

  if (session.data?.authenticated === false || (isApiError(decide.error) && decide.error.code === "unauthenticated")) {
    const state: NavigationState = { flash: { tone: "info", message: "Sign in to continue to the app." } };
    return <Navigate to={paths.signIn} replace state={state} />;
  }

  const answer = (decision: "allow" | "deny") =>
    decide.mutate(decision, {
      onSuccess: ({ redirectTo }) => followRedirect(redirectTo, { fallback: paths.account, replace: true }),
    });

  if (session.isPending || pending.isPending) {
    return (
      <Page title="Allow access?">
        <LoadingBlock label="Loading the app's request…" />
      </Page>
    );
  }

  if (pending.isError || pending.data === null) {
    return (
      <Page title="No app is waiting" lead="There's no request from an app to answer in this browser. It may have been answered already, or it expired.">
        {pending.isError ? (
          <Alert tone="error" title="We couldn't load the app's request.">
            <p>{describeError(pending.error)}</p>
          </Alert>
        ) : null}
        <p className="page-footer">
          <Link to={paths.account}>Go to your account</Link>
        </p>
      </Page>
    );
  }

  const { client, scopes = ["openid"] } = pending.data;
  const email = session.data?.authenticated ? session.data.user.email : undefined;
  const busy = decide.isPending || decide.isSuccess;
  return (
    <Page title={`Allow ${client.name} to use your account?`} lead={email === undefined ? undefined : `You're signed in as ${email}.`}>
      <p id={listId}>{client.name} will be able to:</p>
      <ul className="claim-list" aria-labelledby={listId}>
        {orderedScopes(scopes).map((scope) => (
          <li key={scope}>{describeScope(scope)}</li>
        ))}
      </ul>
      <p className="section-lead">{client.name} is not run by Tobira. Allow it only if you trust it. You can disconnect it at any time from your account page.</p>
      {decide.isError ? (
        <Alert tone="error" title="Your answer didn't reach the app.">
          <p>{describeError(decide.error)}</p>
        </Alert>
      ) : null}
      <div className="choice-list">
        <Button block loading={decide.isPending && decide.variables === "allow"} loadingText="Allowing…" disabled={busy} onClick={() => answer("allow")}>
          Allow
        </Button>
        <Button
          block
          variant="secondary"
          loading={decide.isPending && decide.variables === "deny"}
          loadingText="Going back…"
          disabled={busy}
          onClick={() => answer("deny")}
        >
          Don't allow
        </Button>
      </div>
    </Page>
  );
}
