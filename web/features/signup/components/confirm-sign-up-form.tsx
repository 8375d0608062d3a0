import { useState } from "react";
import { useNavigate } from "react-router-dom";
import { z } from "zod";
import { EmailedCodeField, EmailField } from "../../../components/auth-fields";
import { FormErrorSummary } from "../../../components/form-error-summary";
import { ResendCode } from "../../../components/resend-code";
import { Button } from "../../../components/ui/button";
import { isApiError } from "../../../lib/api-client";
import { describeEmailedCodeError } from "../../../lib/error-messages";
import { enterEmailedCodeSchema, enterEmailSchema, useResendToEmail } from "../../../lib/form";
import type { NavigationState } from "../../../lib/navigation-state";
import { paths } from "../../../lib/paths";
import { useContractForm } from "../../../lib/use-contract-form";
import { useConfirmSignUp } from "../api/confirm-sign-up";
import { useResendSignUpCode } from "../api/resend-sign-up-code";
import { signUpErrorMessage } from "../utils/error-messages";

const confirmFormSchema = z.object({ email: enterEmailSchema, code: enterEmailedCodeSchema });

const fieldIds = { email: "confirm-email", code: "confirm-code" };

export function ConfirmSignUpForm({ defaultEmail = "" }: { defaultEmail?: string | undefined }) {
  const navigate = useNavigate();
  const confirm = useConfirmSignUp();
  const resend = useResendSignUpCode();
  const [email, setEmail] = useState(defaultEmail);
  const [code, setCode] = useState("");
  const form = useContractForm({
    fieldIds,
    schema: confirmFormSchema,
    values: { email, code },
    mutation: confirm,
    onSuccess: (_answer, body) => {
      const state: NavigationState = {
        email: body.email,
        flash: { tone: "success", message: "Your email address is confirmed. Sign in to continue." },
      };
      void navigate(paths.signIn, { state });
    },
    onError: (error) => {
      if (isApiError(error) && (error.code === "code_mismatch" || error.code === "expired_code")) setCode("");
    },
  });
  const { resendFieldError, onResend } = useResendToEmail(email, (address) => resend.mutate({ email: address }));

  return (
    <>
      <form className="form" noValidate onSubmit={form.onSubmit}>
        <FormErrorSummary failure={form.failure} describe={describeEmailedCodeError} fieldErrors={form.summaryLinks} />
        <EmailField
          id={fieldIds.email}
          autoComplete="email"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={form.fieldErrors.email ?? resendFieldError}
        />
        <EmailedCodeField
          id={fieldIds.code}
          label="Confirmation code"
          value={code}
          onCodeChange={setCode}
          error={form.fieldErrors.code}
        />
        <Button type="submit" block loading={form.pending} loadingText="Confirming…">
          Confirm email address
        </Button>
      </form>
      <ResendCode
        onResend={onResend}
        pending={resend.isPending}
        sentTo={resend.isSuccess ? resend.data.delivery : undefined}
        error={resend.isError ? signUpErrorMessage(resend.error) : resendFieldError}
      />
    </>
  );
}
