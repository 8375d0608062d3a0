import { Link, useLocation } from "react-router-dom";
import { Alert } from "../../../components/ui/alert";
import { Page } from "../../../components/ui/page";
import { readNavigationState } from "../../../lib/navigation-state";
import { paths } from "../../../lib/paths";
import { useInteraction } from "../api/get-interaction";
import { SignInForm } from "../components/sign-in-form";

export function SignInRoute() {
  const location = useLocation();
  const { email, flash } = readNavigationState(location.state);
  const interaction = useInteraction();
  const client = interaction.data?.client;

  return (
    <Page
      title="Sign in"
      lead={
        client ? (
          <>
            Sign in to continue to <strong className="client-name">{client.name}</strong>
          </>
        ) : undefined
      }
    >
      {flash ? <Alert tone={flash.tone}>{flash.message}</Alert> : null}
      <SignInForm defaultEmail={email} />
      <p className="page-footer">
        New here? <Link to={paths.signUp}>Create an account</Link>
      </p>
    </Page>
  );
}
