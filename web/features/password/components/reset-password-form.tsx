import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router-dom";
import { z } from "zod";
import { EmailedCodeField, EmailField, NewPasswordField } from "../../../components/auth-fields";
import { FormErrorSummary } from "../../../components/form-error-summary";
import { ResendCode } from "../../../components/resend-code";
import { Button } from "../../../components/ui/button";
import { isApiError } from "../../../lib/api-client";
import { describeError } from "../../../lib/error-messages";
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
import { newPasswordSchema } from "../../../lib/password-policy";
import { paths } from "../../../lib/paths";
import { useForgotPassword } from "../api/forgot-password";
import { useResetPassword } from "../api/reset-password";
import { resetErrorMessage } from "../utils/error-messages";

const resetFormSchema = z.object({ email: enterEmailSchema, code: enterEmailedCodeSchema, password: newPasswordSchema });

type Field = "email" | "code" | "password";
const fieldIds: Record<Field, string> = { email: "reset-email", code: "reset-code", password: "reset-password" };

export function ResetPasswordForm({ defaultEmail = "" }: { defaultEmail?: string | undefined }) {
  const navigate = useNavigate();
  const reset = useResetPassword();
  const resend = useForgotPassword();
  const [email, setEmail] = useState(defaultEmail);
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  const [fieldErrors, setFieldErrors] = useState<FieldErrors<Field>>({});
  const { failure, fail, clearFailure } = useFormFailure();
  const { resendFieldError, onResend } = useResendToEmail(email, (address) => resend.mutate({ email: address }));

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (reset.isPending) return;
    const result = validateForm(resetFormSchema, { email, code, password });
    if (!result.ok) {
      setFieldErrors(pickFieldErrors(fieldIds, result.errors));
      fail();
      return;
    }
    setFieldErrors({});
    clearFailure();
    const body = result.data;
    reset.mutate(body, {
      onSuccess: () => {
        const state: NavigationState = {
          email: body.email,
          flash: { tone: "success", message: "Your password has been changed. Sign in with your new password." },
        };
        void navigate(paths.signIn, { state });
      },
      onError: (error) => {
        if (isApiError(error)) {
          if (error.code === "invalid_password") {
            setFieldErrors({ password: error.fields?.password ?? "Choose a password that meets every rule below." });
          } else if (error.code === "code_mismatch" || error.code === "expired_code") {
            setCode("");
            setFieldErrors({ code: resetErrorMessage(error) });
          }
        }
        fail(error);
      },
    });
  };

  return (
    <>
      <form className="form" noValidate onSubmit={onSubmit}>
        <FormErrorSummary
          failure={failure}
          describe={resetErrorMessage}
          fieldErrors={isApiError(failure?.error) ? [] : summaryFieldErrors(fieldIds, fieldErrors)}
        />
        <EmailField
          id={fieldIds.email}
          autoComplete="username"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={fieldErrors.email ?? resendFieldError}
        />
        <EmailedCodeField
          id={fieldIds.code}
          label="Reset code"
          value={code}
          onCodeChange={setCode}
          error={fieldErrors.code}
        />
        <NewPasswordField
          id={fieldIds.password}
          label="New password"
          name="new-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={fieldErrors.password}
        />
        <Button type="submit" block loading={reset.isPending} loadingText="Saving…">
          Set new password
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
