import { useEffect, useRef, useState } from "react";
import * as z from "zod/mini";
import { changeEmailRequestSchema, verifyEmailRequestSchema, type Delivery } from "../../../../common/api-contract";
import { EmailedCodeField, EmailField } from "../../../components/auth-fields";
import { FormErrorSummary } from "../../../components/form-error-summary";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Msg, t, useT } from "../../../i18n/i18n";
import { isApiError } from "../../../lib/api-client";
import { describeError } from "../../../lib/error-messages";
import { describeDelivery } from "../../../lib/format";
import { useContractForm } from "../../../lib/use-contract-form";
import { useChangeEmail, useResendEmailCode, useVerifyEmail } from "../api/security";
import { ReauthPrompt } from "./reauth-prompt";

type Step = "view" | "enter" | "verify";

function emailErrorMessage(error: unknown): string {
  if (isApiError(error)) {
    switch (error.code) {
      case "username_exists":
        return t("email.error.taken");
      case "code_mismatch":
        return t("email.error.mismatch");
      case "expired_code":
        return t("email.error.expired");
      case "reauthentication_required":
        return t("email.error.reauth");
    }
  }
  return describeError(error);
}

const emailFieldIds = { email: "account-new-email" };
const codeFieldIds = { code: "account-email-code" };
const codeFormSchema = z.object({
  code: z.pipe(z.string().check(z.minLength(1, { error: () => t("form.enterEmailedCode") })), verifyEmailRequestSchema.shape.code),
});

export interface ChangeEmailSectionProps {
  email: string;
  pendingEmail: string | null;
  /** Open the form at once (the person came back from signing in again to do this). */
  resume?: boolean;
}

/**
 * The email address: a new one gets a code; until the code is entered the current address stays
 * the one to sign in with (Cognito keeps it). The old address is told once the change is done.
 */
export function ChangeEmailSection({ email, pendingEmail, resume = false }: ChangeEmailSectionProps) {
  useT();
  const [step, setStep] = useState<Step>(resume ? "enter" : pendingEmail !== null ? "verify" : "view");
  const [newEmail, setNewEmail] = useState("");
  const [code, setCode] = useState("");
  const [delivery, setDelivery] = useState<Delivery | null>(null);
  const [changedTo, setChangedTo] = useState<string | null>(null);
  const change = useChangeEmail();
  const verify = useVerifyEmail();
  const resend = useResendEmailCode();
  const blockRef = useRef<HTMLDivElement>(null);
  const previousStep = useRef<Step>(step);

  useEffect(() => {
    // Back from a form: focus returns to the button that opened it (WCAG 2.4.3 Focus Order).
    if (step === "view" && previousStep.current !== "view") blockRef.current?.querySelector<HTMLElement>('[data-focus="change-email"]')?.focus();
    previousStep.current = step;
  }, [step]);

  const emailForm = useContractForm({
    fieldIds: emailFieldIds,
    schema: changeEmailRequestSchema,
    values: { email: newEmail },
    mutation: change,
    onSuccess: (answer) => {
      setDelivery(answer.delivery);
      setStep("verify");
    },
  });
  const codeForm = useContractForm({
    fieldIds: codeFieldIds,
    schema: codeFormSchema,
    values: { code },
    mutation: verify,
    onSuccess: (answer) => {
      setChangedTo(answer.email);
      setCode("");
      setStep("view");
    },
    onError: () => setCode(""),
    fieldErrorsFor: (error) => (isApiError(error) && (error.code === "code_mismatch" || error.code === "expired_code") ? { code: emailErrorMessage(error) } : undefined),
  });
  const needsReauth = isApiError(change.error) && change.error.code === "reauthentication_required";
  const waitingFor = pendingEmail ?? (newEmail || null);

  return (
    <div className="account-block" ref={blockRef}>
      <p>
        <Msg id="email.current" values={{ email: <strong className="summary-email">{email}</strong> }} />
      </p>
      {changedTo !== null ? (
        <Alert tone="success" title={t("email.changedTitle")}>
          <p>{t("email.changed", { email: changedTo })}</p>
        </Alert>
      ) : null}

      {step === "view" ? (
        <Button data-focus="change-email" variant="secondary" onClick={() => setStep("enter")}>
          {t("email.change")}
        </Button>
      ) : null}

      {step === "enter" ? (
        <form className="form" noValidate onSubmit={emailForm.onSubmit}>
          {needsReauth ? (
            <ReauthPrompt action="change-email" email={email} />
          ) : (
            <FormErrorSummary failure={emailForm.failure} describe={emailErrorMessage} fieldErrors={emailForm.summaryLinks} />
          )}
          <EmailField
            id={emailFieldIds.email}
            autoComplete="email"
            hint={t("email.newHint")}
            value={newEmail}
            onChange={(event) => setNewEmail(event.target.value)}
            error={emailForm.fieldErrors.email}
          />
          <div className="form-row">
            <Button type="submit" loading={emailForm.pending} loadingText={t("email.sendingCode")}>
              {t("email.sendCode")}
            </Button>
            <Button variant="quiet" onClick={() => setStep("view")}>
              {t("common.cancel")}
            </Button>
          </div>
        </form>
      ) : null}

      {step === "verify" ? (
        <form className="form" noValidate onSubmit={codeForm.onSubmit}>
          <p role="status">
            {delivery !== null
              ? t("email.sentTo", { delivery: describeDelivery(delivery) })
              : waitingFor !== null
                ? t("email.sentToAddress", { address: waitingFor })
                : t("email.sentToNew")}
          </p>
          <FormErrorSummary failure={codeForm.failure} describe={emailErrorMessage} fieldErrors={codeForm.summaryLinks} />
          <EmailedCodeField id={codeFieldIds.code} label={t("email.codeLabel")} value={code} onCodeChange={setCode} error={codeForm.fieldErrors.code} />
          <div className="form-row">
            <Button type="submit" loading={codeForm.pending} loadingText={t("email.checking")}>
              {t("email.confirm")}
            </Button>
            <Button
              variant="secondary"
              loading={resend.isPending}
              loadingText={t("common.sending")}
              onClick={() => resend.mutate(undefined, { onSuccess: (answer) => setDelivery(answer.delivery) })}
            >
              {t("email.resend")}
            </Button>
            <Button variant="quiet" onClick={() => setStep("enter")}>
              {t("email.another")}
            </Button>
          </div>
          {resend.isError ? (
            isApiError(resend.error) && resend.error.code === "reauthentication_required" ? (
              <ReauthPrompt action="change-email" email={email} />
            ) : (
              <p className="field-error" role="alert">
                {emailErrorMessage(resend.error)}
              </p>
            )
          ) : null}
        </form>
      ) : null}
    </div>
  );
}
