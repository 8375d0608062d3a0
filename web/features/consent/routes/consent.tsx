import { useId } from "react";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Page } from "../../../components/ui/page";
import { LoadingBlock } from "../../../components/ui/spinner";
import { config } from "../../../config";
import { useRequestedLocales, useT } from "../../../i18n/i18n";
import { isApiError } from "../../../lib/api-client";
import { describeError } from "../../../lib/error-messages";
import type { NavigationState } from "../../../lib/navigation-state";
import { paths } from "../../../lib/paths";
import { useSession } from "../../../lib/query/session";
import { useFollowRedirect } from "../../../lib/redirect";
import { Link, Navigate } from "../../../lib/router";
import { useConsentDecision, usePendingConsent } from "../api/consent";
import { describeScope, orderedScopes } from "../utils/scope-text";

/**
 * The consent page (OpenID Connect Core §3.1.2.4): an app that is not Tobira's own asks to use
 * the signed-in account. It names the app, says in words what it will receive, and offers Allow
 * or Don't allow; either answer goes back to the app through the provider. Tobira remembers an
 * allowed app (the account page lists it under "Connected apps", where it can be disconnected).
 */
export function ConsentRoute() {
  const t = useT();
  const session = useSession();
  const pending = usePendingConsent();
  // The app's ui_locales, as on the sign-in pages.
  useRequestedLocales(pending.data?.uiLocales);
  const decide = useConsentDecision();
  const followRedirect = useFollowRedirect();
  const listId = useId();

  if (session.data?.authenticated === false || (isApiError(decide.error) && decide.error.code === "unauthenticated")) {
    const state: NavigationState = { flash: { tone: "info", message: t("consent.signIn") } };
    return <Navigate to={paths.signIn} replace state={state} />;
  }

  const answer = (decision: "allow" | "deny") =>
    decide.mutate(decision, {
      onSuccess: ({ redirectTo }) => followRedirect(redirectTo, { fallback: paths.account, replace: true }),
    });

  if (session.isPending || pending.isPending) {
    return (
      <Page title={t("consent.loadingTitle")}>
        <LoadingBlock label={t("consent.loading")} />
      </Page>
    );
  }

  if (pending.isError || pending.data === null) {
    return (
      <Page title={t("consent.noneTitle")} lead={t("consent.noneLead")}>
        {pending.isError ? (
          <Alert tone="error" title={t("consent.loadFailed")}>
            <p>{describeError(pending.error)}</p>
          </Alert>
        ) : null}
        <p className="page-footer">
          <Link to={paths.account}>{t("consent.toAccount")}</Link>
        </p>
      </Page>
    );
  }

  const { client, scopes = ["openid"] } = pending.data;
  const email = session.data?.authenticated ? session.data.user.email : undefined;
  const busy = decide.isPending || decide.isSuccess;
  return (
    <Page title={t("consent.title", { app: client.name })} lead={email === undefined ? undefined : t("consent.signedInAs", { email })}>
      <p id={listId}>{t("consent.willBeAble", { app: client.name })}</p>
      <ul className="claim-list" aria-labelledby={listId}>
        {orderedScopes(scopes).map((scope) => (
          <li key={scope}>{describeScope(scope)}</li>
        ))}
      </ul>
      <p className="section-lead">{t("consent.notOurs", { app: client.name, appName: config.appName })}</p>
      {decide.isError ? (
        <Alert tone="error" title={t("consent.answerFailed")}>
          <p>{describeError(decide.error)}</p>
        </Alert>
      ) : null}
      <div className="choice-list">
        <Button block loading={decide.isPending && decide.variables === "allow"} loadingText={t("consent.allowing")} disabled={busy} onClick={() => answer("allow")}>
          {t("consent.allow")}
        </Button>
        <Button
          block
          variant="secondary"
          loading={decide.isPending && decide.variables === "deny"}
          loadingText={t("consent.goingBack")}
          disabled={busy}
          onClick={() => answer("deny")}
        >
          {t("consent.deny")}
        </Button>
      </div>
    </Page>
  );
}
