import { useMemo, useState } from "react";
import * as z from "zod/mini";
import type { PasswordPolicyRules } from "../../../../common/api-contract";
import { EmailedCodeField, EmailField, NewPasswordField } from "../../../components/auth-fields";
import { FormErrorSummary } from "../../../components/form-error-summary";
import { ResendCode } from "../../../components/resend-code";
import { Button } from "../../../components/ui/button";
import { useT } from "../../../i18n/i18n";
import { isApiError } from "../../../lib/api-client";
import { describeError } from "../../../lib/error-messages";
import { enterEmailedCodeSchema, enterEmailSchema, useResendToEmail } from "../../../lib/form";
import type { NavigationState } from "../../../lib/navigation-state";
import { newPasswordSchemaFor, rejectedPasswordFieldErrors, usePasswordPolicy } from "../../../lib/password-policy";
import { paths } from "../../../lib/paths";
import { useNavigate } from "../../../lib/router";
import { useContractForm } from "../../../lib/use-contract-form";
import { useForgotPassword } from "../api/forgot-password";
import { useResetPassword } from "../api/reset-password";
import { resetErrorMessage } from "../utils/error-messages";

/** The form checks the password against the pool's policy, as the checklist shows it. */
const resetFormSchemaFor = (policy: PasswordPolicyRules) => z.object({ email: enterEmailSchema, code: enterEmailedCodeSchema, password: newPasswordSchemaFor(policy) });

const fieldIds = { email: "reset-email", code: "reset-code", password: "reset-password" };

const isCodeError = (error: unknown) => isApiError(error) && (error.code === "code_mismatch" || error.code === "expired_code");

export function ResetPasswordForm({ defaultEmail = "" }: { defaultEmail?: string | undefined }) {
  const t = useT();
  const navigate = useNavigate();
  const reset = useResetPassword();
  const resend = useForgotPassword();
  const [email, setEmail] = useState(defaultEmail);
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  const policy = usePasswordPolicy();
  const schema = useMemo(() => resetFormSchemaFor(policy), [policy]);
  const form = useContractForm({
    fieldIds,
    schema,
    values: { email, code, password },
    mutation: reset,
    onSuccess: (_answer, body) => {
      const state: NavigationState = {
        email: body.email,
        flash: { tone: "success", message: t("reset.done") },
      };
      void navigate(paths.signIn, { state });
    },
    onError: (error) => {
      if (isCodeError(error)) setCode("");
    },
    fieldErrorsFor: (error) => (isCodeError(error) ? { code: resetErrorMessage(error) } : rejectedPasswordFieldErrors(error)),
  });
  const { resendFieldError, onResend } = useResendToEmail(email, (address) => resend.mutate({ email: address }));

  return (
    <>
      <form className="form" noValidate onSubmit={form.onSubmit}>
        {/* After an API error the title already says what is wrong; the field keeps its message. */}
        <FormErrorSummary failure={form.failure} describe={resetErrorMessage} fieldErrors={isApiError(form.failure?.error) ? [] : form.summaryLinks} />
        <EmailField
          id={fieldIds.email}
          autoComplete="username"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={form.fieldErrors.email ?? resendFieldError}
        />
        <EmailedCodeField id={fieldIds.code} label={t("reset.codeLabel")} value={code} onCodeChange={setCode} error={form.fieldErrors.code} />
        <NewPasswordField
          id={fieldIds.password}
          label={t("field.newPassword")}
          name="new-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={form.fieldErrors.password}
        />
        <Button type="submit" block loading={form.pending} loadingText={t("common.saving")}>
          {t("reset.submit")}
        </Button>
      </form>
      <ResendCode
        onResend={onResend}
        pending={resend.isPending}
        sentTo={resend.isSuccess ? resend.data.delivery : undefined}
        error={resend.isError ? describeError(resend.error) : resendFieldError}
      />
    </>
  );
}
