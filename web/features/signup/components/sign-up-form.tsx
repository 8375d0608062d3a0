import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router-dom";
import { z } from "zod";
import { emailSchema, passwordSchema } from "../../../../common/api-contract";
import { PasswordChecklist } from "../../../components/password-checklist";
import { Button } from "../../../components/ui/button";
import { ErrorSummary } from "../../../components/ui/alert";
import { PasswordField, TextField } from "../../../components/ui/text-field";
import { isApiError } from "../../../lib/api-client";
import { validateForm, type FieldErrors } from "../../../lib/form";
import type { NavigationState } from "../../../lib/navigation-state";
import { passwordPolicyError } from "../../../lib/password-policy";
import { paths } from "../../../lib/paths";
import { useSignUp } from "../api/sign-up";
import { signUpErrorMessage } from "../utils/error-messages";

const signUpFormSchema = z.object({
  email: z.string().trim().min(1, "Enter your email address.").pipe(emailSchema),
  password: passwordSchema.superRefine((password, context) => {
    const message = passwordPolicyError(password);
    if (message) context.addIssue({ code: "custom", message });
  }),
});

type Field = "email" | "password";
const fieldIds: Record<Field, string> = { email: "signup-email", password: "signup-password" };
const checklistId = "signup-password-rules";

export function SignUpForm({ defaultEmail = "" }: { defaultEmail?: string | undefined }) {
  const navigate = useNavigate();
  const signUp = useSignUp();
  const [email, setEmail] = useState(defaultEmail);
  const [password, setPassword] = useState("");
  const [fieldErrors, setFieldErrors] = useState<FieldErrors<Field>>({});
  const [failure, setFailure] = useState<{ attempt: number; error?: unknown } | null>(null);

  const fail = (error?: unknown) => {
    if (isApiError(error) && error.code === "invalid_password") {
      setFieldErrors({ password: error.fields?.password ?? "Choose a password that meets every rule below." });
    } else if (isApiError(error) && error.fields) {
      setFieldErrors(pickFields(error.fields));
    }
    setFailure((previous) => ({ attempt: (previous?.attempt ?? 0) + 1, error }));
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (signUp.isPending) return;
    const result = validateForm(signUpFormSchema, { email, password });
    if (!result.ok) {
      setFieldErrors(pickFields(result.errors));
      fail();
      return;
    }
    setFieldErrors({});
    setFailure(null);
    const body = result.data;
    signUp.mutate(body, {
      onSuccess: ({ delivery }) => {
        const state: NavigationState = { email: body.email, delivery };
        void navigate(paths.signUpConfirm, { state });
      },
      onError: fail,
    });
  };

  const error = failure?.error;
  const summaryFieldErrors = (Object.keys(fieldIds) as Field[]).flatMap((field) => {
    const message = fieldErrors[field];
    return message ? [{ fieldId: fieldIds[field], message }] : [];
  });
  const knownEmail: NavigationState = { email: email.trim().toLowerCase() };

  return (
    <form className="form" noValidate onSubmit={onSubmit}>
      {failure ? (
        <ErrorSummary
          key={failure.attempt}
          title={error === undefined ? "There is a problem" : signUpErrorMessage(error)}
          fieldErrors={summaryFieldErrors}
        >
          {isApiError(error) && error.code === "username_exists" ? (
            <p>
              <Link to={paths.signIn} state={knownEmail}>
                Sign in
              </Link>{" "}
              instead, or{" "}
              <Link to={paths.passwordForgot} state={knownEmail}>
                reset your password
              </Link>{" "}
              if you've forgotten it.
            </p>
          ) : null}
        </ErrorSummary>
      ) : null}
      <TextField
        id={fieldIds.email}
        label="Email address"
        hint="We'll send a code to confirm it."
        type="email"
        name="email"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        required
        value={email}
        onChange={(event) => setEmail(event.target.value)}
        error={fieldErrors.email}
      />
      <PasswordField
        id={fieldIds.password}
        label="Password"
        name="password"
        autoComplete="new-password"
        required
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        error={fieldErrors.password}
        describedBy={checklistId}
        after={<PasswordChecklist id={checklistId} password={password} />}
      />
      <Button type="submit" block loading={signUp.isPending} loadingText="Creating your account…">
        Create account
      </Button>
    </form>
  );
}

function pickFields(errors: Readonly<Record<string, string>>): FieldErrors<Field> {
  const picked: FieldErrors<Field> = {};
  if (errors.email) picked.email = errors.email;
  if (errors.password) picked.password = errors.password;
  return picked;
}
