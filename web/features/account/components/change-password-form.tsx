import { useState } from "react";
import { changePasswordRequestSchema } from "../../../../common/api-contract";
import { NewPasswordField } from "../../../components/auth-fields";
import { FormErrorSummary } from "../../../components/form-error-summary";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { PasswordField } from "../../../components/ui/text-field";
import { isApiError } from "../../../lib/api-client";
import { describeError } from "../../../lib/error-messages";
import { useContractForm } from "../../../lib/use-contract-form";
import { useChangePassword } from "../api/security";

const fieldIds = { currentPassword: "account-current-password", newPassword: "account-new-password" };

function changePasswordErrorMessage(error: unknown): string {
  if (isApiError(error)) {
    if (error.code === "invalid_credentials") return "Your current password is not right.";
    if (error.code === "invalid_password") return error.message || "The new password does not meet the rules.";
  }
  return describeError(error);
}

/** Current password, then the new one with the pool's checklist; other sessions end, this one stays. */
export function ChangePasswordForm() {
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
        <Alert tone="success" title="Password changed">
          <p>
            You're still signed in here. {ended === 0 ? "You had no other sessions." : `${ended} other ${ended === 1 ? "session was" : "sessions were"} signed out.`} Apps
            you signed in to with your account must sign you in again, and trusted devices will ask for a code.
          </p>
        </Alert>
      ) : null}
      <FormErrorSummary failure={form.failure} describe={changePasswordErrorMessage} fieldErrors={form.summaryLinks} />
      <PasswordField
        id={fieldIds.currentPassword}
        label="Current password"
        name="current-password"
        autoComplete="current-password"
        required
        value={currentPassword}
        onChange={(event) => setCurrentPassword(event.target.value)}
        error={form.fieldErrors.currentPassword}
      />
      <NewPasswordField
        id={fieldIds.newPassword}
        label="New password"
        name="new-password"
        value={newPassword}
        onChange={(event) => setNewPassword(event.target.value)}
        error={form.fieldErrors.newPassword}
      />
      <div className="form-row">
        <Button type="submit" loading={form.pending} loadingText="Changing your password…">
          Change password
        </Button>
      </div>
    </form>
  );
}
