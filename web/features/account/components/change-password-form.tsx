import { useState } from "react";
import { changePasswordRequestSchema } from "../../../../common/api-contract";
import { NewPasswordField } from "../../../components/auth-fields";
import { FormErrorSummary } from "../../../components/form-error-summary";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { PasswordField } from "../../../components/ui/text-field";
import { i18n, t, useT } from "../../../i18n/i18n";
import { defaultLocale } from "../../../i18n/locales";
import { isApiError } from "../../../lib/api-client";
import { describeError } from "../../../lib/error-messages";
import { useContractForm } from "../../../lib/use-contract-form";
import { useChangePassword } from "../api/security";

const fieldIds = { currentPassword: "account-current-password", newPassword: "account-new-password" };

function changePasswordErrorMessage(error: unknown): string {
  if (isApiError(error)) {
    if (error.code === "invalid_credentials") return t("form.currentPasswordWrong");
    // The BFF's reason is English: shown as such in English only.
    if (error.code === "invalid_password") return (i18n.locale === defaultLocale && error.message) || t("changePassword.rulesNotMet");
  }
  return describeError(error);
}

/** Current password, then the new one with the pool's checklist; other sessions end, this one stays. */
export function ChangePasswordForm() {
  useT();
  const change = useChangePassword();
  const [currentPassword, setCurrentPassword] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [ended, setEnded] = useState<number | null>(null);
  const form = useContractForm({
    fieldIds,
    schema: changePasswordRequestSchema,
    values: { currentPassword, newPassword },
    mutation: change,
    beforeRequest: () => setEnded(null),
    onSuccess: ({ otherSessionsEnded }) => {
      setCurrentPassword("");
      setNewPassword("");
      setEnded(otherSessionsEnded);
    },
    fieldErrorsFor: (error) => (isApiError(error) && error.code === "invalid_password" ? { newPassword: changePasswordErrorMessage(error) } : undefined),
  });

  return (
    <form className="form" noValidate onSubmit={form.onSubmit} aria-labelledby="account-password-title">
      {ended !== null ? (
        <Alert tone="success" title={t("changePassword.doneTitle")}>
          <p>
            {t("changePassword.doneStill")} {ended === 0 ? t("changePassword.noOthers") : t("changePassword.othersEnded", { count: ended })}{" "}
            {t("changePassword.doneApps")}
          </p>
        </Alert>
      ) : null}
      <FormErrorSummary failure={form.failure} describe={changePasswordErrorMessage} fieldErrors={form.summaryLinks} />
      <PasswordField
        id={fieldIds.currentPassword}
        label={t("changePassword.current")}
        name="current-password"
        autoComplete="current-password"
        required
        value={currentPassword}
        onChange={(event) => setCurrentPassword(event.target.value)}
        error={form.fieldErrors.currentPassword}
      />
      <NewPasswordField
        id={fieldIds.newPassword}
        label={t("field.newPassword")}
        name="new-password"
        value={newPassword}
        onChange={(event) => setNewPassword(event.target.value)}
        error={form.fieldErrors.newPassword}
      />
      <div className="form-row">
        <Button type="submit" loading={form.pending} loadingText={t("changePassword.changing")}>
          {t("changePassword.submit")}
        </Button>
      </div>
    </form>
  );
}
