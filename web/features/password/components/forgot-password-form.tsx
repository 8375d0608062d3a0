import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router-dom";
import { z } from "zod";
import { emailSchema } from "../../../../common/api-contract";
import { Button } from "../../../components/ui/button";
import { ErrorSummary } from "../../../components/ui/alert";
import { TextField } from "../../../components/ui/text-field";
import { describeError } from "../../../lib/error-messages";
import type { NavigationState } from "../../../lib/navigation-state";
import { paths } from "../../../lib/paths";
import { useForgotPassword } from "../api/forgot-password";

const enterEmail = z.string().trim().min(1, "Enter your email address.").pipe(emailSchema);
const emailFieldId = "forgot-email";

export function ForgotPasswordForm({ defaultEmail = "" }: { defaultEmail?: string | undefined }) {
  const navigate = useNavigate();
  const forgot = useForgotPassword();
  const [email, setEmail] = useState(defaultEmail);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [failure, setFailure] = useState<{ attempt: number; error?: unknown } | null>(null);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (forgot.isPending) return;
    const parsed = enterEmail.safeParse(email);
    if (!parsed.success) {
      setFieldError(parsed.error.issues[0]?.message);
      setFailure((previous) => ({ attempt: (previous?.attempt ?? 0) + 1 }));
      return;
    }
    setFieldError(undefined);
    setFailure(null);
    forgot.mutate(
      { email: parsed.data },
      {
        onSuccess: ({ delivery }) => {
          const state: NavigationState = { email: parsed.data, delivery };
          void navigate(paths.passwordReset, { state });
        },
        onError: (error) => setFailure((previous) => ({ attempt: (previous?.attempt ?? 0) + 1, error })),
      },
    );
  };

  return (
    <form className="form" noValidate onSubmit={onSubmit}>
      {failure ? (
        <ErrorSummary
          key={failure.attempt}
          title={failure.error === undefined ? "There is a problem" : describeError(failure.error)}
          fieldErrors={fieldError ? [{ fieldId: emailFieldId, message: fieldError }] : []}
        />
      ) : null}
      <TextField
        id={emailFieldId}
        label="Email address"
        type="email"
        name="email"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        required
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
