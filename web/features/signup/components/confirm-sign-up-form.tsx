import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router-dom";
import { z } from "zod";
import { confirmationCodeSchema, emailSchema } from "../../../../common/api-contract";
import { ResendCode } from "../../../components/resend-code";
import { Button } from "../../../components/ui/button";
import { ErrorSummary } from "../../../components/ui/alert";
import { TextField } from "../../../components/ui/text-field";
import { isApiError } from "../../../lib/api-client";
import { digitsOnly, validateForm, type FieldErrors } from "../../../lib/form";
import type { NavigationState } from "../../../lib/navigation-state";
import { paths } from "../../../lib/paths";
import { useConfirmSignUp } from "../api/confirm-sign-up";
import { useResendSignUpCode } from "../api/resend-sign-up-code";
import { confirmErrorMessage, signUpErrorMessage } from "../utils/error-messages";

const enterEmail = z.string().trim().min(1, "Enter your email address.").pipe(emailSchema);
const confirmFormSchema = z.object({
  email: enterEmail,
  code: z.string().trim().min(1, "Enter the code from the email.").pipe(confirmationCodeSchema),
});

type Field = "email" | "code";
const fieldIds: Record<Field, string> = { email: "confirm-email", code: "confirm-code" };
const maxCodeLength = 10;

export function ConfirmSignUpForm({ defaultEmail = "" }: { defaultEmail?: string | undefined }) {
  const navigate = useNavigate();
  const confirm = useConfirmSignUp();
  const resend = useResendSignUpCode();
  const [email, setEmail] = useState(defaultEmail);
  const [code, setCode] = useState("");
  const [fieldErrors, setFieldErrors] = useState<FieldErrors<Field>>({});
  const [failure, setFailure] = useState<{ attempt: number; error?: unknown } | null>(null);
  const [resendFieldError, setResendFieldError] = useState<string | undefined>();

  const fail = (error?: unknown) => {
    setFailure((previous) => ({ attempt: (previous?.attempt ?? 0) + 1, error }));
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (confirm.isPending) return;
    const result = validateForm(confirmFormSchema, { email, code });
    if (!result.ok) {
      setFieldErrors({ email: result.errors.email, code: result.errors.code });
      fail();
      return;
    }
    setFieldErrors({});
    setFailure(null);
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
  const emailError = fieldErrors.email ?? resendFieldError;
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
            title={error === undefined ? "There is a problem" : confirmErrorMessage(error)}
            fieldErrors={summaryFieldErrors}
          />
        ) : null}
        <TextField
          id={fieldIds.email}
          label="Email address"
          type="email"
          name="email"
          autoComplete="email"
          autoCapitalize="none"
          spellCheck={false}
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={emailError}
        />
        <TextField
          id={fieldIds.code}
          label="Confirmation code"
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

