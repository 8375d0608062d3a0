import type { ReactNode } from "react";
import type { Delivery } from "../../common/api-contract";
import { useT } from "../i18n/i18n";
import { describeDelivery } from "../lib/format";
import { StatusMessage } from "./ui/alert";
import { Button } from "./ui/button";

export interface ResendCodeProps {
  onResend: () => void;
  pending: boolean;
  /** Where the new code went, once it has been sent. */
  sentTo?: Delivery | undefined;
  /** A message a person understands, when resending failed. */
  error?: string | undefined;
  label?: string;
  /** Seconds until another code may be asked for (a cool-down between codes): the button waits. */
  availableInSeconds?: number | undefined;
  /** Shown instead of the button when no more codes may be sent (e.g. a way to start again). */
  exhausted?: ReactNode;
}

/** "Didn't get it? Send a new code", with its own status line, separate from the form's errors. */
export function ResendCode({ onResend, pending, sentTo, error, label: labelProp, availableInSeconds = 0, exhausted }: ResendCodeProps) {
  const t = useT();
  const label = labelProp ?? t("resend.button");
  const waiting = availableInSeconds > 0 && !pending;
  return (
    <div className="resend">
      <p className="resend-prompt">{t("resend.prompt")}</p>
      {exhausted ?? (
        <Button variant="secondary" onClick={onResend} loading={pending} loadingText={t("common.sending")} disabled={waiting}>
          {waiting ? t("resend.buttonWaiting", { label, seconds: availableInSeconds }) : label}
        </Button>
      )}
      <StatusMessage tone={error ? "error" : "success"}>{error ?? (sentTo ? t("resend.sent", { delivery: describeDelivery(sentTo) }) : null)}</StatusMessage>
    </div>
  );
}
