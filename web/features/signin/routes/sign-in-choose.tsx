import { useState } from "react";
import { Alert, ErrorSummary } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Page } from "../../../components/ui/page";
import { Msg, useT } from "../../../i18n/i18n";
import { describeError } from "../../../lib/error-messages";
import { readNavigationState, type NavigationState } from "../../../lib/navigation-state";
import { paths } from "../../../lib/paths";
import { Link, useLocation, useNavigate } from "../../../lib/router";
import { usePasskeySignIn } from "../api/passkey-sign-in";
import { endPendingSignIn } from "../api/pending-sign-in";
import { useSendOtp } from "../api/send-otp";
import { PendingSignInGate, type PendingSignIn } from "../components/pending-sign-in-gate";
import { CancelSignInLink, ClientName, useRelyingParty } from "../components/relying-party";
import { useFinishSignIn } from "../hooks/use-finish-sign-in";
import { endedSignInMessage, signInErrorMessage } from "../utils/error-messages";
import { classifyCeremonyError, passkeyCancelledMessage } from "../utils/passkey-ceremony";

type Notice = { attempt: number; tone: "info" | "error"; message: string };

/**
 * The second step for a user with a passkey (`{next:"choose"}`): the passkey, or a code sent
 * now. Closing the browser's passkey prompt brings the person back here with a calm note, never
 * to an error page.
 */
export function SignInChooseRoute() {
  const location = useLocation();
  const { email } = readNavigationState(location.state);
  return <PendingSignInGate email={email}>{(pending) => <SignInChoose pending={pending} />}</PendingSignInGate>;
}

function SignInChoose({ pending }: { pending: PendingSignIn | undefined }) {
  const t = useT();
  const location = useLocation();
  const navigate = useNavigate();
  const finish = useFinishSignIn();
  const client = useRelyingParty();
  const { email } = readNavigationState(location.state);
  // Only the passkeys of the account whose password was given (purpose second-factor).
  const passkey = usePasskeySignIn("second-factor");
  const sendOtp = useSendOtp();
  const [notice, setNotice] = useState<Notice | null>(null);
  const busy = passkey.isPending || sendOtp.isPending;

  const show = (tone: Notice["tone"], message: string) => setNotice((previous) => ({ attempt: (previous?.attempt ?? 0) + 1, tone, message }));

  const backToSignIn = (message: string) => {
    const state: NavigationState = { email, flash: { tone: "error", message } };
    void navigate(paths.signIn, { replace: true, state });
  };

  const onError = (error: unknown, describe: (error: unknown) => string) => {
    const ended = endedSignInMessage(error);
    if (ended !== null) backToSignIn(ended);
    else show("error", describe(error));
  };

  const choosePasskey = () => {
    setNotice(null);
    passkey.mutate(undefined, {
      onSuccess: (answer) => void finish(answer),
      onError: (error) => {
        const outcome = classifyCeremonyError(error);
        if (outcome === "cancelled") show("info", passkeyCancelledMessage());
        else if (outcome === "failed") onError(error, describeError);
      },
    });
  };

  const chooseCode = () => {
    setNotice(null);
    // A code is already on its way (the person came back here from the code page): no second one.
    if (pending?.next === "otp") {
      const state: NavigationState = { email, delivery: pending.delivery };
      void navigate(paths.signInCode, { state });
      return;
    }
    sendOtp.mutate(undefined, {
      onSuccess: ({ delivery }) => {
        const state: NavigationState = { email, delivery };
        void navigate(paths.signInCode, { state });
      },
      onError: (error) => onError(error, signInErrorMessage),
    });
  };

  return (
    <Page title={t("choose.title")} lead={client ? <Msg id="choose.leadApp" values={{ app: <ClientName client={client} /> }} /> : t("choose.lead")}>
      {notice?.tone === "info" ? <Alert tone="info">{notice.message}</Alert> : null}
      {notice?.tone === "error" ? <ErrorSummary key={notice.attempt} title={notice.message} /> : null}
      <div className="choice-list">
        <Button block onClick={choosePasskey} disabled={busy && !passkey.isPending} loading={passkey.isPending} loadingText={t("signIn.waitingForPasskey")}>
          {t("choose.usePasskey")}
        </Button>
        <Button variant="secondary" block onClick={chooseCode} disabled={busy && !sendOtp.isPending} loading={sendOtp.isPending} loadingText={t("choose.sendingCode")}>
          {pending?.next === "otp" ? t("choose.enterSentCode") : t("choose.emailCode")}
        </Button>
      </div>
      <p className="page-footer">
        {/* Ends this sign-in on the server too (so does the sign-in page itself, on arrival). */}
        <Link to={paths.signIn} onClick={() => void endPendingSignIn()}>
          {t("signIn.differentAccount")}
        </Link>
      </p>
      <CancelSignInLink client={client} />
    </Page>
  );
}
