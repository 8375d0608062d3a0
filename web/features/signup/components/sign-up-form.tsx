import { useMemo, useState } from "react";
import * as z from "zod/mini";
import type { PasswordPolicyRules } from "../../../../common/api-contract";
import { EmailField, NewPasswordField } from "../../../components/auth-fields";
import { FormErrorSummary } from "../../../components/form-error-summary";
import { Button } from "../../../components/ui/button";
import { useT } from "../../../i18n/i18n";
import { isApiError } from "../../../lib/api-client";
import { enterEmailSchema } from "../../../lib/form";
import type { NavigationState } from "../../../lib/navigation-state";
import { newPasswordSchemaFor, rejectedPasswordFieldErrors, usePasswordPolicy } from "../../../lib/password-policy";
import { paths } from "../../../lib/paths";
import { Link, useNavigate } from "../../../lib/router";
import { useContractForm } from "../../../lib/use-contract-form";
import { usePrefillFromLoginHint } from "../../signin/components/relying-party";
import { useSignUp } from "../api/sign-up";
import { signUpErrorMessage } from "../utils/error-messages";
import { holdSignUpPassword } from "../utils/held-password";

/** The form checks the password against the pool's policy, as the checklist shows it. */
const signUpFormSchemaFor = (policy: PasswordPolicyRules) => z.object({ email: enterEmailSchema, password: newPasswordSchemaFor(policy) });

const fieldIds = { email: "signup-email", password: "signup-password" };

export function SignUpForm({ defaultEmail = "" }: { defaultEmail?: string | undefined }) {
  const t = useT();
  const navigate = useNavigate();
  const signUp = useSignUp();
  const [email, setEmail] = useState(defaultEmail);
  usePrefillFromLoginHint(setEmail);
  const [password, setPassword] = useState("");
  const policy = usePasswordPolicy();
  const schema = useMemo(() => signUpFormSchemaFor(policy), [policy]);
  const form = useContractForm({
    fieldIds,
    schema,
    values: { email, password },
    mutation: signUp,
    fieldErrorsFor: rejectedPasswordFieldErrors,
    onSuccess: ({ delivery }, body) => {
      // Memory only: the confirmation signs the new user in with it, for a passkey at once.
      holdSignUpPassword(body.email, body.password);
      const state: NavigationState = { email: body.email, delivery };
      void navigate(paths.signUpConfirm, { state });
    },
  });

  const error = form.failure?.error;
  const knownEmail: NavigationState = { email: email.trim().toLowerCase() };

  return (
    <form className="form" noValidate onSubmit={form.onSubmit}>
      <FormErrorSummary failure={form.failure} describe={signUpErrorMessage} fieldErrors={form.summaryLinks}>
        {isApiError(error) && error.code === "username_exists" ? (
          <p>
            <Link to={paths.signIn} state={knownEmail}>
              {t("signUp.existsSignIn")}
            </Link>
            {t("signUp.existsMiddle")}
            <Link to={paths.passwordForgot} state={knownEmail}>
              {t("signUp.existsReset")}
            </Link>
            {t("signUp.existsEnd")}
          </p>
        ) : null}
      </FormErrorSummary>
      <EmailField
        id={fieldIds.email}
        autoComplete="username"
        hint={t("signUp.emailHint")}
        value={email}
        onChange={(event) => setEmail(event.target.value)}
        error={form.fieldErrors.email}
      />
      <NewPasswordField
        id={fieldIds.password}
        label={t("field.password")}
        name="password"
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        error={form.fieldErrors.password}
      />
      <Button type="submit" block loading={form.pending} loadingText={t("signUp.creating")}>
        {t("signUp.submit")}
      </Button>
    </form>
  );
}
