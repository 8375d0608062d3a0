import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router-dom";
import { z } from "zod";
import { emailSchema, passwordSchema, type Delivery } from "../../../../common/api-contract";
import { Button } from "../../../components/ui/button";
import { ErrorSummary } from "../../../components/ui/alert";
import { PasswordField, TextField } from "../../../components/ui/text-field";
import { isApiError } from "../../../lib/api-client";
import { validateForm, type FieldErrors } from "../../../lib/form";
import type { NavigationState } from "../../../lib/navigation-state";
import { paths } from "../../../lib/paths";
import { useSignIn } from "../api/sign-in";
import { stopPasskeyAutofill } from "../hooks/use-passkey-autofill";
import { signInErrorMessage } from "../utils/error-messages";

const signInFormSchema = z.object({
  email: z.string().trim().min(1, "Enter your email address.").pipe(emailSchema),
  password: passwordSchema,
});

type Field = "email" | "password";
const fieldIds: Record<Field, string> = { email: "signin-email", password: "signin-password" };

type Failure = { attempt: number; error?: unknown };

export function SignInForm({ defaultEmail = "" }: { defaultEmail?: string | undefined }) {
  const navigate = useNavigate();
  const signIn = useSignIn();
  const [email, setEmail] = useState(defaultEmail);
  const [password, setPassword] = useState("");
  const [fieldErrors, setFieldErrors] = useState<FieldErrors<Field>>({});
  const [failure, setFailure] = useState<Failure | null>(null);
  const pending = signIn.isPending;

  const fail = (error?: unknown) => {
    if (isApiError(error) && error.fields) setFieldErrors(pickFields(error.fields));
    setFailure((previous) => ({ attempt: (previous?.attempt ?? 0) + 1, error }));
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
      setFieldErrors(pickFields(result.errors));
      fail();
      return;
    }
    setFieldErrors({});
    setFailure(null);
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
      onError: fail,
    });
  };

  const error = failure?.error;
  const summaryFieldErrors = (Object.keys(fieldIds) as Field[]).flatMap((field) => {
    const message = fieldErrors[field];
    return message ? [{ fieldId: fieldIds[field], message }] : [];
  });

  return (
    <form className="form" noValidate onSubmit={onSubmit}>
      {failure ? (
        <ErrorSummary
          key={failure.attempt}
          title={error === undefined ? "There is a problem" : signInErrorMessage(error)}
          fieldErrors={summaryFieldErrors}
        >
          {isApiError(error) && error.code === "user_not_confirmed" ? (
            <p>
              <Link to={paths.signUpConfirm} state={{ email: email.trim().toLowerCase() } satisfies NavigationState}>
                Confirm your email address
              </Link>{" "}
              with the code we sent you, or get a new one there.
            </p>
          ) : null}
        </ErrorSummary>
      ) : null}
      <TextField
        id={fieldIds.email}
        label="Email address"
        type="email"
        name="email"
        // "webauthn" lets the browser offer passkeys in this field's autofill (conditional mediation).
        autoComplete="username webauthn"
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

function pickFields(errors: Readonly<Record<string, string>>): FieldErrors<Field> {
  const picked: FieldErrors<Field> = {};
  if (errors.email) picked.email = errors.email;
  if (errors.password) picked.password = errors.password;
  return picked;
}

function emailState(email: string): NavigationState {
  const trimmed = email.trim().toLowerCase();
  return trimmed ? { email: trimmed } : {};
}
