import { useState } from "react";
import * as z from "zod/mini";
import { EmailField } from "../../../components/auth-fields";
import { FormErrorSummary } from "../../../components/form-error-summary";
import { Button } from "../../../components/ui/button";
import { useT } from "../../../i18n/i18n";
import { describeError } from "../../../lib/error-messages";
import { enterEmailSchema } from "../../../lib/form";
import type { NavigationState } from "../../../lib/navigation-state";
import { paths } from "../../../lib/paths";
import { useNavigate } from "../../../lib/router";
import { useContractForm } from "../../../lib/use-contract-form";
import { useForgotPassword } from "../api/forgot-password";

const forgotFormSchema = z.object({ email: enterEmailSchema });

const fieldIds = { email: "forgot-email" };

export function ForgotPasswordForm({ defaultEmail = "" }: { defaultEmail?: string | undefined }) {
  const t = useT();
  const navigate = useNavigate();
  const forgot = useForgotPassword();
  const [email, setEmail] = useState(defaultEmail);
  const form = useContractForm({
    fieldIds,
    schema: forgotFormSchema,
    values: { email },
    mutation: forgot,
    onSuccess: ({ delivery }, body) => {
      const state: NavigationState = { email: body.email, delivery };
      void navigate(paths.passwordReset, { state });
    },
  });

  return (
    <form className="form" noValidate onSubmit={form.onSubmit}>
      <FormErrorSummary failure={form.failure} describe={describeError} fieldErrors={form.summaryLinks} />
      <EmailField id={fieldIds.email} autoComplete="username" value={email} onChange={(event) => setEmail(event.target.value)} error={form.fieldErrors.email} />
      <Button type="submit" block loading={form.pending} loadingText={t("common.sending")}>
        {t("forgot.submit")}
      </Button>
    </form>
  );
}
