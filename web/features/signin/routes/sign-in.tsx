import { useEffect, useState } from "react";
import { Alert } from "../../../components/ui/alert";
import { Page } from "../../../components/ui/page";
import { Msg, useT } from "../../../i18n/i18n";
import { describeError } from "../../../lib/error-messages";
import { readNavigationState } from "../../../lib/navigation-state";
import { paths } from "../../../lib/paths";
import { Link, useLocation } from "../../../lib/router";
import { endPendingSignIn } from "../api/pending-sign-in";
import { PasskeySignInButton } from "../components/passkey-sign-in-button";
import { CancelSignInLink, ClientName, useRelyingParty } from "../components/relying-party";
import { SignInForm } from "../components/sign-in-form";
import { useFinishSignIn } from "../hooks/use-finish-sign-in";
import { usePasskeyAutofill } from "../hooks/use-passkey-autofill";

export function SignInRoute() {
  const t = useT();
  const location = useLocation();
  const { email, flash } = readNavigationState(location.state);
  const client = useRelyingParty();
  const finish = useFinishSignIn();
  const [autofillError, setAutofillError] = useState<unknown>(undefined);
  usePasskeyAutofill({ onDone: (answer) => void finish(answer), onError: setAutofillError });

  // A sign-in page starts afresh: an earlier attempt of this browser (another account's
  // password, "Sign in with a different account", a reload) ends on the server, so none of it
  // follows the next sign-in. The password step waits for this (api/pending-sign-in.ts).
  useEffect(() => {
    void endPendingSignIn();
  }, []);

  return (
    <Page title={t("signIn.title")} lead={client ? <Msg id="signIn.leadApp" values={{ app: <ClientName client={client} /> }} /> : undefined}>
      {flash ? <Alert tone={flash.tone}>{flash.message}</Alert> : null}
      {autofillError !== undefined ? <Alert tone="error">{describeError(autofillError)}</Alert> : null}
      <SignInForm defaultEmail={email} />
      <PasskeySignInButton onDone={(answer) => void finish(answer)} />
      <p className="page-footer">
        {t("signIn.newHere")} <Link to={paths.signUp}>{t("signIn.createAccount")}</Link>
      </p>
      <CancelSignInLink client={client} />
    </Page>
  );
}
