import { useState } from "react";
import { Link, useLocation } from "react-router-dom";
import { Alert } from "../../../components/ui/alert";
import { Page } from "../../../components/ui/page";
import { describeError } from "../../../lib/error-messages";
import { readNavigationState } from "../../../lib/navigation-state";
import { paths } from "../../../lib/paths";
import { useInteraction } from "../api/get-interaction";
import { PasskeySignInButton } from "../components/passkey-sign-in-button";
import { SignInForm } from "../components/sign-in-form";
import { useFinishSignIn } from "../hooks/use-finish-sign-in";
import { usePasskeyAutofill } from "../hooks/use-passkey-autofill";

export function SignInRoute() {
  const location = useLocation();
  const { email, flash } = readNavigationState(location.state);
  const interaction = useInteraction();
  const client = interaction.data?.client;
  const finish = useFinishSignIn();
  const [autofillError, setAutofillError] = useState<unknown>(undefined);
  usePasskeyAutofill({ onDone: finish, onError: setAutofillError });

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
      {autofillError !== undefined ? <Alert tone="error">{describeError(autofillError)}</Alert> : null}
      <SignInForm defaultEmail={email} />
      <PasskeySignInButton onDone={finish} />
      <p className="page-footer">
        New here? <Link to={paths.signUp}>Create an account</Link>
      </p>
      {client ? (
        <p className="page-footer">
          {/* A BFF route, not an SPA page: it answers the app's request with access_denied. */}
          <a href="/interaction/cancel">Cancel and go back to {client.name}</a>
        </p>
      ) : null}
    </Page>
  );
}
