import { useState } from "react";
import { Link, useLocation, useNavigate } from "react-router-dom";
import { Alert, ErrorSummary } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Page } from "../../../components/ui/page";
import { describeError } from "../../../lib/error-messages";
import { readNavigationState, type NavigationState } from "../../../lib/navigation-state";
import { paths } from "../../../lib/paths";
import { usePasskeySignIn } from "../api/passkey-sign-in";
import { useSendOtp } from "../api/send-otp";
import { useFinishSignIn } from "../hooks/use-finish-sign-in";
import { endedSignInMessage, signInErrorMessage } from "../utils/error-messages";
import { classifyCeremonyError, passkeyCancelledMessage } from "../utils/passkey-ceremony";

type Notice = { attempt: number; tone: "info" | "error"; message: string };

/**
 * The second step for a user with a passkey (`{next:"choose"}`): the passkey, or a code sent
 * now. No code has been sent yet. Closing the browser's passkey prompt brings the person back
 * here with a calm note, never to an error page.
 */
export function SignInChooseRoute() {
  const location = useLocation();
  const navigate = useNavigate();
  const finish = useFinishSignIn();
  const { email } = readNavigationState(location.state);
  const passkey = usePasskeySignIn();
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
      onSuccess: finish,
      onError: (error) => {
        const outcome = classifyCeremonyError(error);
        if (outcome === "cancelled") show("info", passkeyCancelledMessage);
        else if (outcome === "failed") onError(error, describeError);
      },
    });
  };

  const chooseCode = () => {
    setNotice(null);
    sendOtp.mutate(undefined, {
      onSuccess: ({ delivery }) => {
        const state: NavigationState = { email, delivery };
        void navigate(paths.signInCode, { state });
      },
      onError: (error) => onError(error, signInErrorMessage),
    });
  };

  return (
    <Page title="Choose how to confirm it's you" lead="Your password was right. Confirm it's you with one of these.">
      {notice?.tone === "info" ? <Alert tone="info">{notice.message}</Alert> : null}
      {notice?.tone === "error" ? <ErrorSummary key={notice.attempt} title={notice.message} /> : null}
      <div className="choice-list">
        <Button block onClick={choosePasskey} disabled={busy && !passkey.isPending} loading={passkey.isPending} loadingText="Waiting for your passkey…">
          Use a passkey
        </Button>
        <Button variant="secondary" block onClick={chooseCode} disabled={busy && !sendOtp.isPending} loading={sendOtp.isPending} loadingText="Sending a code…">
          Email me a code
        </Button>
      </div>
      <p className="page-footer">
        <Link to={paths.signIn} state={email ? ({ email } satisfies NavigationState) : undefined}>
          Sign in with a different account
        </Link>
      </p>
    </Page>
  );
}
