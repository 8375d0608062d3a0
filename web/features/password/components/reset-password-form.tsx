import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router-dom";
import { z } from "zod";
import { confirmationCodeSchema, emailSchema, passwordSchema } from "../../../../common/api-contract";
import { PasswordChecklist } from "../../../components/password-checklist";
import { ResendCode } from "../../../components/resend-code";
import { Button } from "../../../components/ui/button";
import { ErrorSummary } from "../../../components/ui/alert";
import { PasswordField, TextField } from "../../../components/ui/text-field";
import { isApiError } from "../../../lib/api-client";
import { describeError } from "../../../lib/error-messages";
import { digitsOnly, validateForm, type FieldErrors } from "../../../lib/form";
import type { NavigationState } from "../../../lib/navigation-state";
import { passwordPolicyError } from "../../../lib/password-policy";
import { paths } from "../../../lib/paths";
import { useForgotPassword } from "../api/forgot-password";
import { useResetPassword } from "../api/reset-password";
import { resetErrorMessage } from "../utils/error-messages";

const enterEmail = z.string().trim().min(1, "Enter your email address.").pipe(emailSchema);
const resetFormSchema = z.object({
  email: enterEmail,
  code: z.string().trim().min(1, "Enter the code from the email.").pipe(confirmationCodeSchema),
  password: passwordSchema.superRefine((password, context) => {
    const message = passwordPolicyError(password);
    if (message) context.addIssue({ code: "custom", message });
  }),
});

type Field = "email" | "code" | "password";
const fieldIds: Record<Field, string> = { email: "reset-email", code: "reset-code", password: "reset-password" };
const checklistId = "reset-password-rules";
const maxCodeLength = 10;

export function ResetPasswordForm({ defaultEmail = "" }: { defaultEmail?: string | undefined }) {
  const navigate = useNavigate();
  const reset = useResetPassword();
  const resend = useForgotPassword();
  const [email, setEmail] = useState(defaultEmail);
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  const [fieldErrors, setFieldErrors] = useState<FieldErrors<Field>>({});
  const [failure, setFailure] = useState<{ attempt: number; error?: unknown } | null>(null);
  const [resendFieldError, setResendFieldError] = useState<string | undefined>();

  const fail = (error?: unknown) => {
    setFailure((previous) => ({ attempt: (previous?.attempt ?? 0) + 1, error }));
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (reset.isPending) return;
    const result = validateForm(resetFormSchema, { email, code, password });
    if (!result.ok) {
      setFieldErrors({ email: result.errors.email, code: result.errors.code, password: result.errors.password });
      fail();
      return;
    }
    setFieldErrors({});
    setFailure(null);
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

  const onResend = () => {
    const parsed = enterEmail.safeParse(email);
    if (!parsed.success) {
      setResendFieldError(parsed.error.issues[0]?.message ?? "Enter your email address.");
      return;
    }
    setResendFieldError(undefined);
    resend.mutate({ email: parsed.data });
  };

  const error = failure?.error;
  const summaryFieldErrors = (Object.keys(fieldIds) as Field[]).flatMap((field) => {
    const message = fieldErrors[field];
    return message ? [{ fieldId: fieldIds[field], message }] : [];
  });

  return (
    <>
      <form className="form" noValidate onSubmit={onSubmit}>
        {failure ? (
          <ErrorSummary
            key={failure.attempt}
            title={error === undefined ? "There is a problem" : resetErrorMessage(error)}
            fieldErrors={isApiError(error) ? [] : summaryFieldErrors}
          />
        ) : null}
        <TextField
          id={fieldIds.email}
          label="Email address"
          type="email"
          name="email"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={fieldErrors.email ?? resendFieldError}
        />
        <TextField
          id={fieldIds.code}
          label="Reset code"
          hint="The code from the email we sent you."
          name="code"
          type="text"
          autoComplete="one-time-code"
          inputMode="numeric"
          pattern="[0-9]*"
          maxLength={maxCodeLength}
          required
          className="input--code"
          value={code}
          onChange={(event) => setCode(digitsOnly(event.target.value, maxCodeLength))}
          error={fieldErrors.code}
        />
        <PasswordField
          id={fieldIds.password}
          label="New password"
          name="new-password"
          autoComplete="new-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={fieldErrors.password}
          describedBy={checklistId}
          after={<PasswordChecklist id={checklistId} password={password} />}
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
