import { useState } from "react";
import * as z from "zod/mini";
import { passwordSchema } from "../../../../common/api-contract";
import { EmailField } from "../../../components/auth-fields";
import { FormErrorSummary } from "../../../components/form-error-summary";
import { Button } from "../../../components/ui/button";
import { PasswordField } from "../../../components/ui/text-field";
import { useT } from "../../../i18n/i18n";
import { isApiError } from "../../../lib/api-client";
import { enterEmailSchema } from "../../../lib/form";
import type { NavigationState } from "../../../lib/navigation-state";
import { paths } from "../../../lib/paths";
import { Link, useNavigate } from "../../../lib/router";
import { useContractForm } from "../../../lib/use-contract-form";
import { useSignIn } from "../api/sign-in";
import { useFinishSignIn } from "../hooks/use-finish-sign-in";
import { stopPasskeyAutofill } from "../hooks/use-passkey-autofill";
import { signInErrorMessage } from "../utils/error-messages";
import { usePrefillFromLoginHint } from "./relying-party";

const signInFormSchema = z.object({ email: enterEmailSchema, password: passwordSchema });

const fieldIds = { email: "signin-email", password: "signin-password" };

export function SignInForm({ defaultEmail = "" }: { defaultEmail?: string | undefined }) {
  const t = useT();
  const navigate = useNavigate();
  const signIn = useSignIn();
  const finishSignIn = useFinishSignIn();
  const [email, setEmail] = useState(defaultEmail);
  usePrefillFromLoginHint(setEmail);
  const [password, setPassword] = useState("");
  const form = useContractForm({
    fieldIds,
    schema: signInFormSchema,
    values: { email, password },
    mutation: signIn,
    // A passkey waiting in the autofill would otherwise hold the authenticator during the next step.
    beforeRequest: stopPasskeyAutofill,
    onSuccess: (answer, body) => {
      if (answer.next === "done") {
        // A trusted device of this user: the password was enough (README, "Your account").
        void finishSignIn(answer);
      } else if (answer.next === "otp") {
        const state: NavigationState = { email: body.email, delivery: answer.delivery };
        void navigate(paths.signInCode, { state });
      } else {
        // No code is sent yet: the person picks the passkey or a code on the next page.
        const state: NavigationState = { email: body.email };
        void navigate(paths.signInChoose, { state });
      }
    },
  });

  const error = form.failure?.error;

  return (
    <form className="form" noValidate onSubmit={form.onSubmit}>
      <FormErrorSummary failure={form.failure} describe={signInErrorMessage} fieldErrors={form.summaryLinks}>
        {isApiError(error) && error.code === "user_not_confirmed" ? (
          <p>
            <Link to={paths.signUpConfirm} state={{ email: email.trim().toLowerCase() } satisfies NavigationState}>
              {t("signIn.confirmEmailLink")}
            </Link>{" "}
            {t("signIn.confirmEmailRest")}
          </p>
        ) : null}
      </FormErrorSummary>
      <EmailField
        id={fieldIds.email}
        // "webauthn" lets the browser offer passkeys in this field's autofill (conditional mediation).
        autoComplete="username webauthn"
        value={email}
        onChange={(event) => setEmail(event.target.value)}
        error={form.fieldErrors.email}
      />
      <PasswordField
        id={fieldIds.password}
        label={t("field.password")}
        name="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        error={form.fieldErrors.password}
      />
      <div className="form-row form-row--end">
        <Link className="text-link" to={paths.passwordForgot} state={emailState(email)}>
          {t("signIn.forgotPassword")}
        </Link>
      </div>
      <Button type="submit" block loading={form.pending} loadingText={t("signIn.signingIn")}>
        {t("common.continue")}
      </Button>
    </form>
  );
}

function emailState(email: string): NavigationState {
  const trimmed = email.trim().toLowerCase();
  return trimmed ? { email: trimmed } : {};
}
