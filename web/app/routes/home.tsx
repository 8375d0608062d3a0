import { Navigate } from "react-router-dom";
import { Alert } from "../../components/ui/alert";
import { Button } from "../../components/ui/button";
import { Page } from "../../components/ui/page";
import { LoadingBlock } from "../../components/ui/spinner";
import { useSession } from "../../lib/auth";
import { describeError } from "../../lib/error-messages";
import { paths } from "../../lib/paths";

/** `/`: the account page when signed in, otherwise sign-in. */
export function HomeRoute() {
  const session = useSession();
  if (session.isPending) return <LoadingBlock label="Loading…" />;
  if (session.isError) {
    return (
      <Page title="Something went wrong">
        <Alert tone="error" title="We couldn't check whether you're signed in.">
          <p>{describeError(session.error)}</p>
          <Button variant="secondary" onClick={() => void session.refetch()}>
            Try again
          </Button>
        </Alert>
      </Page>
    );
  }
  return <Navigate to={session.data.authenticated ? paths.account : paths.signIn} replace />;
}
