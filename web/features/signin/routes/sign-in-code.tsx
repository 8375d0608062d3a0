import { useState } from "react";
import type { OtpSentResponse } from "../../../../common/api-contract";
import { ResendCode } from "../../../components/resend-code";
import { Page } from "../../../components/ui/page";
import { Msg, useT } from "../../../i18n/i18n";
import { isApiError } from "../../../lib/api-client";
import { describeDelivery } from "../../../lib/format";
import { readNavigationState, type NavigationState } from "../../../lib/navigation-state";
import { paths } from "../../../lib/paths";
import { Link, Navigate, useLocation, useNavigate } from "../../../lib/router";
import { useCountdown } from "../../../lib/use-countdown";
import { endPendingSignIn } from "../api/pending-sign-in";
import { useSendOtp } from "../api/send-otp";
import { OtpForm } from "../components/otp-form";
import { PendingSignInGate, type PendingSignIn } from "../components/pending-sign-in-gate";
import { CancelSignInLink, ClientName, useRelyingParty } from "../components/relying-party";
import { useFinishSignIn } from "../hooks/use-finish-sign-in";
import { endedSignInMessage, resendErrorMessage } from "../utils/error-messages";

export function SignInCodeRoute() {
  const location = useLocation();
  const { email } = readNavigationState(location.state);
  return <PendingSignInGate email={email}>{(pending) => <SignInCode pending={pending} />}</PendingSignInGate>;
}

function SignInCode({ pending }: { pending: PendingSignIn | undefined }) {
  const t = useT();
  const location = useLocation();
  const navigate = useNavigate();
  const finish = useFinishSignIn();
  const client = useRelyingParty();
  const { email, delivery: deliveryFromState } = readNavigationState(location.state);
  const resend = useSendOtp();
  // The latest word on the code: the resend's answer, else what the BFF said on arrival.
  const [latest, setLatest] = useState<Pick<OtpSentResponse, "resendAvailableInSeconds" | "resendsLeft"> & { at: number }>(() => ({
    resendAvailableInSeconds: pending?.next === "otp" ? pending.resendAvailableInSeconds : undefined,
    resendsLeft: pending?.next === "otp" ? pending.resendsLeft : undefined,
    at: Date.now(),
  }));
  // A new code makes the form new: the last code's error and attempts no longer apply.
  const [formKey, setFormKey] = useState(0);
  const waitSeconds = useCountdown(latest.resendAvailableInSeconds === undefined ? undefined : latest.at + latest.resendAvailableInSeconds * 1000);

  // No code was sent yet (the person has a passkey and has not chosen): that choice comes first.
  if (pending?.next === "choose") return <Navigate to={paths.signInChoose} replace state={{ email } satisfies NavigationState} />;
  const delivery = (pending?.next === "otp" ? pending.delivery : undefined) ?? deliveryFromState;

  const backToSignIn = (message: string) => {
    const state: NavigationState = { email, flash: { tone: "error", message } };
    // Replace: this code page belongs to a sign-in that no longer exists.
    void navigate(paths.signIn, { replace: true, state });
  };

  const onResend = () => {
    resend.mutate(undefined, {
      onSuccess: (answer) => {
        setLatest({ resendAvailableInSeconds: answer.resendAvailableInSeconds, resendsLeft: answer.resendsLeft, at: Date.now() });
        setFormKey((key) => key + 1);
      },
      onError: (error) => {
        const ended = endedSignInMessage(error);
        if (ended !== null) backToSignIn(ended);
        else if (isApiError(error) && error.code === "resend_too_soon" && error.retryAfterSeconds !== undefined) {
          setLatest((current) => ({ ...current, resendAvailableInSeconds: error.retryAfterSeconds, at: Date.now() }));
        } else if (isApiError(error) && error.code === "limit_exceeded") {
          setLatest((current) => ({ ...current, resendsLeft: 0 }));
        }
      },
    });
  };

  const resendError = resend.isError && endedSignInMessage(resend.error) === null ? resendErrorMessage(resend.error) : undefined;
  const exhausted =
    latest.resendsLeft === 0 ? (
      <p>
        {t("code.exhaustedBefore")}{" "}
        <Link to={paths.signIn} state={email ? ({ email } satisfies NavigationState) : undefined}>
          {t("code.exhaustedLink")}
        </Link>
        {t("code.exhaustedAfter")}
      </p>
    ) : undefined;

  return (
    <Page
      title={t("code.title")}
      lead={
        delivery ? (
          client ? (
            <Msg id="code.leadSentApp" values={{ delivery: describeDelivery(delivery), app: <ClientName client={client} /> }} />
          ) : (
            t("code.leadSent", { delivery: describeDelivery(delivery) })
          )
        ) : client ? (
          <Msg id="code.leadApp" values={{ app: <ClientName client={client} /> }} />
        ) : (
          t("code.lead")
        )
      }
    >
      <OtpForm key={formKey} onDone={(answer) => void finish(answer, { offerPasskey: true })} onSignInEnded={backToSignIn} />
      <ResendCode
        onResend={onResend}
        pending={resend.isPending}
        sentTo={resend.isSuccess ? resend.data.delivery : undefined}
        error={resendError}
        availableInSeconds={waitSeconds}
        exhausted={exhausted}
      />
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
