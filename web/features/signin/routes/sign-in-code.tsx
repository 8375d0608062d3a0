import { Link, useLocation, useNavigate } from "react-router-dom";
import { ResendCode } from "../../../components/resend-code";
import { Page } from "../../../components/ui/page";
import { describeDelivery } from "../../../lib/format";
import { readNavigationState, type NavigationState } from "../../../lib/navigation-state";
import { paths } from "../../../lib/paths";
import { useSendOtp } from "../api/send-otp";
import { OtpForm } from "../components/otp-form";
import { useFinishSignIn } from "../hooks/use-finish-sign-in";
import { endedSignInMessage, signInErrorMessage } from "../utils/error-messages";

export function SignInCodeRoute() {
  const location = useLocation();
  const navigate = useNavigate();
  const finish = useFinishSignIn();
  const { email, delivery } = readNavigationState(location.state);
  const resend = useSendOtp();

  const backToSignIn = (message: string) => {
    const state: NavigationState = { email, flash: { tone: "error", message } };
    // Replace: this code page belongs to a sign-in that no longer exists.
    void navigate(paths.signIn, { replace: true, state });
  };

  const onResend = () => {
    resend.mutate(undefined, {
      onError: (error) => {
        const ended = endedSignInMessage(error);
        if (ended !== null) backToSignIn(ended);
      },
    });
  };

  const resendError = resend.isError && endedSignInMessage(resend.error) === null ? signInErrorMessage(resend.error) : undefined;

  return (
    <Page
      title="Enter your code"
      lead={
        delivery
          ? `We sent a 6-digit code ${describeDelivery(delivery)}. Enter it below to finish signing in.`
          : "Enter the 6-digit code we sent you to finish signing in."
      }
    >
      <OtpForm onDone={finish} onSignInEnded={backToSignIn} />
      <ResendCode
        onResend={onResend}
        pending={resend.isPending}
        sentTo={resend.isSuccess ? resend.data.delivery : undefined}
        error={resendError}
      />
      <p className="page-footer">
        <Link to={paths.signIn} state={email ? ({ email } satisfies NavigationState) : undefined}>
          Sign in with a different account
        </Link>
      </p>
    </Page>
  );
}
