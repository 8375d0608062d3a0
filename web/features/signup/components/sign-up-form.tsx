import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router-dom";
import { z } from "zod";
import { EmailField, NewPasswordField } from "../../../components/auth-fields";
import { FormErrorSummary } from "../../../components/form-error-summary";
import { Button } from "../../../components/ui/button";
import { isApiError } from "../../../lib/api-client";
import {
  enterEmailSchema,
  pickFieldErrors,
  summaryFieldErrors,
  useFormFailure,
  validateForm,
  type FieldErrors,
} from "../../../lib/form";
import type { NavigationState } from "../../../lib/navigation-state";
import { newPasswordSchema } from "../../../lib/password-policy";
import { paths } from "../../../lib/paths";
import { useSignUp } from "../api/sign-up";
import { signUpErrorMessage } from "../utils/error-messages";

const signUpFormSchema = z.object({ email: enterEmailSchema, password: newPasswordSchema });

type Field = "email" | "password";
const fieldIds: Record<Field, string> = { email: "signup-email", password: "signup-password" };

export function SignUpForm({ defaultEmail = "" }: { defaultEmail?: string | undefined }) {
  const navigate = useNavigate();
  const signUp = useSignUp();
  const [email, setEmail] = useState(defaultEmail);
  const [password, setPassword] = useState("");
  const [fieldErrors, setFieldErrors] = useState<FieldErrors<Field>>({});
  const { failure, fail, clearFailure } = useFormFailure();

  // An API error's field messages go next to their inputs as well as into the summary.
  const failWithApiError = (error: unknown) => {
    if (isApiError(error) && error.code === "invalid_password") {
      setFieldErrors({ password: error.fields?.password ?? "Choose a password that meets every rule below." });
    } else if (isApiError(error) && error.fields) {
      setFieldErrors(pickFieldErrors(fieldIds, error.fields));
    }
    fail(error);
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (signUp.isPending) return;
    const result = validateForm(signUpFormSchema, { email, password });
    if (!result.ok) {
      setFieldErrors(pickFieldErrors(fieldIds, result.errors));
      fail();
      return;
    }
    setFieldErrors({});
    clearFailure();
    const body = result.data;
    signUp.mutate(body, {
      onSuccess: ({ delivery }) => {
        const state: NavigationState = { email: body.email, delivery };
        void navigate(paths.signUpConfirm, { state });
      },
      onError: failWithApiError,
    });
  };

  const error = failure?.error;
  const knownEmail: NavigationState = { email: email.trim().toLowerCase() };

  return (
    <form className="form" noValidate onSubmit={onSubmit}>
      <FormErrorSummary
        failure={failure}
        describe={signUpErrorMessage}
        fieldErrors={summaryFieldErrors(fieldIds, fieldErrors)}
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
      </FormErrorSummary>
      <EmailField
        id={fieldIds.email}
        autoComplete="username"
        hint="We'll send a code to confirm it."
        value={email}
        onChange={(event) => setEmail(event.target.value)}
        error={fieldErrors.email}
      />
      <NewPasswordField
        id={fieldIds.password}
        label="Password"
        name="password"
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        error={fieldErrors.password}
      />
      <Button type="submit" block loading={signUp.isPending} loadingText="Creating your account…">
        Create account
      </Button>
    </form>
  );
}
