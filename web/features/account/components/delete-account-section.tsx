import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { deleteAccountRequestSchema } from "../../../../common/api-contract";
import { FormErrorSummary } from "../../../components/form-error-summary";
import { Button } from "../../../components/ui/button";
import { TextField } from "../../../components/ui/text-field";
import { useT } from "../../../i18n/i18n";
import { isApiError } from "../../../lib/api-client";
import { describeError } from "../../../lib/error-messages";
import type { NavigationState } from "../../../lib/navigation-state";
import { paths } from "../../../lib/paths";
import { useFollowRedirect } from "../../../lib/redirect";
import { useContractForm } from "../../../lib/use-contract-form";
import { useDeleteAccount } from "../api/security";
import { ReauthPrompt } from "./reauth-prompt";

const fieldIds = { confirmation: "account-delete-confirmation" };

/**
 * Deleting the account: what it erases, a typed confirmation (the email address), and a recent
 * sign-in (the BFF asks for one). Afterwards the person lands on the sign-in page.
 */
export function DeleteAccountSection({ email, resume = false }: { email: string; resume?: boolean }) {
  const t = useT();
  const [open, setOpen] = useState(resume);
  const [confirmation, setConfirmation] = useState("");
  const remove = useDeleteAccount();
  const queryClient = useQueryClient();
  const followRedirect = useFollowRedirect();
  const form = useContractForm({
    fieldIds,
    schema: deleteAccountRequestSchema,
    values: { confirmation },
    mutation: remove,
    onSuccess: ({ redirectTo }) => {
      queryClient.removeQueries();
      const state: NavigationState = { flash: { tone: "success", message: t("delete.done") } };
      followRedirect(redirectTo, { state, fallback: paths.signIn, replace: true });
    },
  });
  const needsReauth = isApiError(remove.error) && remove.error.code === "reauthentication_required";

  return (
    <div className="account-block">
      <p>{t("delete.lead")}</p>
      {open ? (
        <form className="form" noValidate onSubmit={form.onSubmit}>
          {needsReauth ? (
            <ReauthPrompt action="delete-account" email={email} />
          ) : (
            <FormErrorSummary failure={form.failure} describe={describeError} fieldErrors={form.summaryLinks} />
          )}
          <TextField
            id={fieldIds.confirmation}
            label={t("delete.confirmLabel")}
            hint={email}
            name="confirmation"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            value={confirmation}
            onChange={(event) => setConfirmation(event.target.value)}
            error={form.fieldErrors.confirmation}
          />
          <div className="form-row">
            <Button type="submit" className="button--danger" loading={form.pending} loadingText={t("delete.deleting")}>
              {t("delete.submit")}
            </Button>
            <Button variant="quiet" onClick={() => setOpen(false)}>
              {t("common.cancel")}
            </Button>
          </div>
        </form>
      ) : (
        <Button variant="secondary" className="button--danger-outline" onClick={() => setOpen(true)}>
          {t("delete.open")}
        </Button>
      )}
    </div>
  );
}
