import { browserSupportsWebAuthn } from "@simplewebauthn/browser";
import { useState } from "react";
import * as z from "zod/mini";
import { EmailedCodeField, EmailField } from "../../../components/auth-fields";
import { FormErrorSummary } from "../../../components/form-error-summary";
import { ResendCode } from "../../../components/resend-code";
import { Button } from "../../../components/ui/button";
import { useT } from "../../../i18n/i18n";
import { isApiError } from "../../../lib/api-client";
import { describeEmailedCodeError } from "../../../lib/error-messages";
import { enterEmailedCodeSchema, enterEmailSchema, useResendToEmail } from "../../../lib/form";
import type { NavigationState } from "../../../lib/navigation-state";
import { paths } from "../../../lib/paths";
import { useFollowRedirect } from "../../../lib/redirect";
import { useNavigate } from "../../../lib/router";
import { useContractForm } from "../../../lib/use-contract-form";
import type { AddPasskeyState } from "../../passkeys/utils/add-passkey-state";
import { forgetSignedOutData } from "../../signin/hooks/use-finish-sign-in";
import { useConfirmSignUp } from "../api/confirm-sign-up";
import { useResendSignUpCode } from "../api/resend-sign-up-code";
import { signUpErrorMessage } from "../utils/error-messages";
import { forgetSignUpPassword } from "../utils/held-password";

const confirmFormSchema = z.object({ email: enterEmailSchema, code: enterEmailedCodeSchema });

const fieldIds = { email: "confirm-email", code: "confirm-code" };

export function ConfirmSignUpForm({ defaultEmail = "" }: { defaultEmail?: string | undefined }) {
  const t = useT();
  const navigate = useNavigate();
  const followRedirect = useFollowRedirect();
  const confirm = useConfirmSignUp();
  const resend = useResendSignUpCode();
  const [email, setEmail] = useState(defaultEmail);
  const [code, setCode] = useState("");
  const form = useContractForm({
    fieldIds,
    schema: confirmFormSchema,
    values: { email, code },
    mutation: confirm,
    onSuccess: (answer, body) => {
      forgetSignUpPassword();
      if (answer.next === "done") {
        // Signed in by the confirmation: a passkey can be added right away (it counts as a recent sign-in).
        forgetSignedOutData();
        if (browserSupportsWebAuthn()) {
          const state: AddPasskeyState = { reason: "signup", continueTo: answer.redirectTo };
          void navigate(paths.passkeyAdd, { replace: true, state });
        } else {
          followRedirect(answer.redirectTo, { fallback: paths.account, replace: true });
        }
        return;
      }
      const state: NavigationState = {
        email: body.email,
        flash: { tone: "success", message: t("confirm.done") },
      };
      void navigate(paths.signIn, { state });
    },
    onError: (error) => {
      if (isApiError(error) && (error.code === "code_mismatch" || error.code === "expired_code")) setCode("");
    },
  });
  const { resendFieldError, onResend } = useResendToEmail(email, (address) => resend.mutate({ email: address }));

  return (
    <>
      <form className="form" noValidate onSubmit={form.onSubmit}>
        <FormErrorSummary failure={form.failure} describe={describeEmailedCodeError} fieldErrors={form.summaryLinks} />
        <EmailField
          id={fieldIds.email}
          autoComplete="email"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={form.fieldErrors.email ?? resendFieldError}
        />
        <EmailedCodeField id={fieldIds.code} label={t("confirm.codeLabel")} value={code} onCodeChange={setCode} error={form.fieldErrors.code} />
        <Button type="submit" block loading={form.pending} loadingText={t("confirm.confirming")}>
          {t("confirm.submit")}
        </Button>
      </form>
      <ResendCode
        onResend={onResend}
        pending={resend.isPending}
        sentTo={resend.isSuccess ? resend.data.delivery : undefined}
        error={resend.isError ? signUpErrorMessage(resend.error) : resendFieldError}
      />
    </>
  );
}
