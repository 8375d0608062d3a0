import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router-dom";
import { z } from "zod";
import { passwordSchema, type Delivery } from "../../../../common/api-contract";
import { EmailField } from "../../../components/auth-fields";
import { FormErrorSummary } from "../../../components/form-error-summary";
import { Button } from "../../../components/ui/button";
import { PasswordField } from "../../../components/ui/text-field";
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
import { paths } from "../../../lib/paths";
import { useSignIn } from "../api/sign-in";
import { stopPasskeyAutofill } from "../hooks/use-passkey-autofill";
import { signInErrorMessage } from "../utils/error-messages";

const signInFormSchema = z.object({ email: enterEmailSchema, password: passwordSchema });

type Field = "email" | "password";
const fieldIds: Record<Field, string> = { email: "signin-email", password: "signin-password" };

export function SignInForm({ defaultEmail = "" }: { defaultEmail?: string | undefined }) {
  const navigate = useNavigate();
  const signIn = useSignIn();
  const [email, setEmail] = useState(defaultEmail);
  const [password, setPassword] = useState("");
  const [fieldErrors, setFieldErrors] = useState<FieldErrors<Field>>({});
  const { failure, fail, clearFailure } = useFormFailure();
  const pending = signIn.isPending;

  // An API error's field messages go next to their inputs as well as into the summary.
  const failWithApiError = (error: unknown) => {
    if (isApiError(error) && error.fields) setFieldErrors(pickFieldErrors(fieldIds, error.fields));
    fail(error);
  };

  const goToCode = (delivery: Delivery, signedInEmail: string) => {
    const state: NavigationState = { email: signedInEmail, delivery };
    void navigate(paths.signInCode, { state });
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending) return;
    const result = validateForm(signInFormSchema, { email, password });
    if (!result.ok) {
      setFieldErrors(pickFieldErrors(fieldIds, result.errors));
      fail();
      return;
    }
    setFieldErrors({});
    clearFailure();
    // A passkey waiting in the autofill would otherwise hold the authenticator during the next step.
    stopPasskeyAutofill();
    const body = result.data;
    signIn.mutate(body, {
      onSuccess: (answer) => {
        if (answer.next === "otp") {
          goToCode(answer.delivery, body.email);
        } else {
          // No code is sent yet: the person picks the passkey or a code on the next page.
          const state: NavigationState = { email: body.email };
          void navigate(paths.signInChoose, { state });
        }
      },
      onError: failWithApiError,
    });
  };

  const error = failure?.error;

  return (
    <form className="form" noValidate onSubmit={onSubmit}>
      <FormErrorSummary
        failure={failure}
        describe={signInErrorMessage}
        fieldErrors={summaryFieldErrors(fieldIds, fieldErrors)}
      >
        {isApiError(error) && error.code === "user_not_confirmed" ? (
          <p>
            <Link to={paths.signUpConfirm} state={{ email: email.trim().toLowerCase() } satisfies NavigationState}>
              Confirm your email address
            </Link>{" "}
            with the code we sent you, or get a new one there.
          </p>
        ) : null}
      </FormErrorSummary>
      <EmailField
        id={fieldIds.email}
        // "webauthn" lets the browser offer passkeys in this field's autofill (conditional mediation).
        autoComplete="username webauthn"
        value={email}
        onChange={(event) => setEmail(event.target.value)}
        error={fieldErrors.email}
      />
      <PasswordField
        id={fieldIds.password}
        label="Password"
        name="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        error={fieldErrors.password}
      />
      <div className="form-row form-row--end">
        <Link className="text-link" to={paths.passwordForgot} state={emailState(email)}>
          Forgot your password?
        </Link>
      </div>
      <Button type="submit" block loading={pending} loadingText="Signing in…">
        Continue
      </Button>
    </form>
  );
}

function emailState(email: string): NavigationState {
  const trimmed = email.trim().toLowerCase();
  return trimmed ? { email: trimmed } : {};
}
