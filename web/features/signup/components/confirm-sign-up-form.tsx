import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router-dom";
import { z } from "zod";
import { EmailedCodeField, EmailField } from "../../../components/auth-fields";
import { FormErrorSummary } from "../../../components/form-error-summary";
import { ResendCode } from "../../../components/resend-code";
import { Button } from "../../../components/ui/button";
import { isApiError } from "../../../lib/api-client";
import { describeEmailedCodeError } from "../../../lib/error-messages";
import {
  enterEmailedCodeSchema,
  enterEmailSchema,
  pickFieldErrors,
  summaryFieldErrors,
  useFormFailure,
  useResendToEmail,
  validateForm,
  type FieldErrors,
} from "../../../lib/form";
import type { NavigationState } from "../../../lib/navigation-state";
import { paths } from "../../../lib/paths";
import { useConfirmSignUp } from "../api/confirm-sign-up";
import { useResendSignUpCode } from "../api/resend-sign-up-code";
import { signUpErrorMessage } from "../utils/error-messages";

const confirmFormSchema = z.object({ email: enterEmailSchema, code: enterEmailedCodeSchema });

type Field = "email" | "code";
const fieldIds: Record<Field, string> = { email: "confirm-email", code: "confirm-code" };

export function ConfirmSignUpForm({ defaultEmail = "" }: { defaultEmail?: string | undefined }) {
  const navigate = useNavigate();
  const confirm = useConfirmSignUp();
  const resend = useResendSignUpCode();
  const [email, setEmail] = useState(defaultEmail);
  const [code, setCode] = useState("");
  const [fieldErrors, setFieldErrors] = useState<FieldErrors<Field>>({});
  const { failure, fail, clearFailure } = useFormFailure();
  const { resendFieldError, onResend } = useResendToEmail(email, (address) => resend.mutate({ email: address }));

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (confirm.isPending) return;
    const result = validateForm(confirmFormSchema, { email, code });
    if (!result.ok) {
      setFieldErrors(pickFieldErrors(fieldIds, result.errors));
      fail();
      return;
    }
    setFieldErrors({});
    clearFailure();
    const body = result.data;
    confirm.mutate(body, {
      onSuccess: () => {
        const state: NavigationState = {
          email: body.email,
          flash: { tone: "success", message: "Your email address is confirmed. Sign in to continue." },
        };
        void navigate(paths.signIn, { state });
      },
      onError: (error) => {
        if (isApiError(error) && (error.code === "code_mismatch" || error.code === "expired_code")) setCode("");
        fail(error);
      },
    });
  };

  return (
    <>
      <form className="form" noValidate onSubmit={onSubmit}>
        <FormErrorSummary
          failure={failure}
          describe={describeEmailedCodeError}
          fieldErrors={summaryFieldErrors(fieldIds, fieldErrors)}
        />
        <EmailField
          id={fieldIds.email}
          autoComplete="email"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={fieldErrors.email ?? resendFieldError}
        />
        <EmailedCodeField
          id={fieldIds.code}
          label="Confirmation code"
          value={code}
          onCodeChange={setCode}
          error={fieldErrors.code}
        />
        <Button type="submit" block loading={confirm.isPending} loadingText="Confirming…">
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
