import { Alert } from "../../components/ui/alert";
import { Button } from "../../components/ui/button";
import { Page } from "../../components/ui/page";
import { LoadingBlock } from "../../components/ui/spinner";
import { useT } from "../../i18n/i18n";
import { useSessionCheck } from "../../lib/auth";
import { describeError } from "../../lib/error-messages";
import { paths } from "../../lib/paths";
import { Navigate } from "../../lib/router";

/** `/`: the account page when signed in, otherwise sign-in. */
export function HomeRoute() {
  const t = useT();
  const session = useSessionCheck();
  if (session.isPending) return <LoadingBlock label={t("app.loading")} />;
  if (session.isError) {
    return (
      <Page title={t("app.home.errorTitle")}>
        <Alert tone="error" title={t("app.home.sessionCheckFailed")}>
          <p>{describeError(session.error)}</p>
          <Button variant="secondary" onClick={() => void session.refetch()}>
            {t("common.tryAgain")}
          </Button>
        </Alert>
      </Page>
    );
  }
  return <Navigate to={session.data.authenticated ? paths.account : paths.signIn} replace />;
}
