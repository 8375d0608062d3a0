import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router-dom";
import { EmailField } from "../../../components/auth-fields";
import { FormErrorSummary } from "../../../components/form-error-summary";
import { Button } from "../../../components/ui/button";
import { describeError } from "../../../lib/error-messages";
import { enterEmailSchema, useFormFailure } from "../../../lib/form";
import type { NavigationState } from "../../../lib/navigation-state";
import { paths } from "../../../lib/paths";
import { useForgotPassword } from "../api/forgot-password";

const emailFieldId = "forgot-email";

export function ForgotPasswordForm({ defaultEmail = "" }: { defaultEmail?: string | undefined }) {
  const navigate = useNavigate();
  const forgot = useForgotPassword();
  const [email, setEmail] = useState(defaultEmail);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const { failure, fail, clearFailure } = useFormFailure();

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (forgot.isPending) return;
    const parsed = enterEmailSchema.safeParse(email);
    if (!parsed.success) {
      setFieldError(parsed.error.issues[0]?.message);
      fail();
      return;
    }
    setFieldError(undefined);
    clearFailure();
    forgot.mutate(
      { email: parsed.data },
      {
        onSuccess: ({ delivery }) => {
          const state: NavigationState = { email: parsed.data, delivery };
          void navigate(paths.passwordReset, { state });
        },
        onError: fail,
      },
    );
  };

  return (
    <form className="form" noValidate onSubmit={onSubmit}>
      <FormErrorSummary
        failure={failure}
        describe={describeError}
        fieldErrors={fieldError ? [{ fieldId: emailFieldId, message: fieldError }] : []}
      />
      <EmailField
        id={emailFieldId}
        autoComplete="username"
        value={email}
        onChange={(event) => setEmail(event.target.value)}
        error={fieldError}
      />
      <Button type="submit" block loading={forgot.isPending} loadingText="Sending…">
        Send reset code
      </Button>
    </form>
  );
}
