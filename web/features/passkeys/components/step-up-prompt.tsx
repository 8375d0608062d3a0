import { browserSupportsWebAuthn } from "@simplewebauthn/browser";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { stepUpPasswordRequestSchema } from "../../../../common/api-contract";
import { FormErrorSummary } from "../../../components/form-error-summary";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { PasswordField } from "../../../components/ui/text-field";
import { t, useT } from "../../../i18n/i18n";
import { isApiError } from "../../../lib/api-client";
import { describeError } from "../../../lib/error-messages";
import { useContractForm } from "../../../lib/use-contract-form";
import { useStepUpWithPasskey, useStepUpWithPassword } from "../api/step-up";
import { registrationCeremonyOutcome } from "../utils/passkey-text";

/** Why the step-up is asked for: adding a passkey, confirming one a password reset paused, or deleting one. */
export type StepUpPurpose = "add" | "confirm" | "delete";

function lead(purpose: StepUpPurpose, withPasskey: boolean): string {
  return withPasskey ? t(`stepUp.lead.${purpose}OrPasskey`) : t(`stepUp.lead.${purpose}`);
}

function passwordErrorMessage(error: unknown): string {
  if (isApiError(error) && error.code === "invalid_credentials") return t("form.passwordWrong");
  return describeError(error);
}

/**
 * Shown when the BFF answers `step_up_required` to adding a passkey: binding a new passkey needs
 * the password, or a passkey the account already has, proved within minutes — a session that is
 * merely signed in is not enough; so do confirming a passkey a password reset paused and deleting
 * one. Once proved, `onProved` resumes what was asked (the registration, the confirmation, the delete). The heading
 * takes focus when the prompt appears, so a screen reader hears why the add stopped (WCAG 2.4.3).
 */
export function StepUpPrompt({
  passkeyAvailable,
  onProved,
  headingLevel = 2,
  purpose = "add",
}: {
  passkeyAvailable: boolean;
  onProved: () => void;
  headingLevel?: 2 | 3 | 4;
  purpose?: StepUpPurpose;
}) {
  useT();
  const idBase = useId();
  const ids = useMemo(() => ({ title: `${idBase}-title`, lead: `${idBase}-lead`, password: `${idBase}-password` }), [idBase]);
  const fieldIds = useMemo(() => ({ password: ids.password }), [ids]);
  const withPassword = useStepUpWithPassword();
  const withPasskey = useStepUpWithPasskey();
  const [password, setPassword] = useState("");
  const [canUsePasskey] = useState(() => passkeyAvailable && browserSupportsWebAuthn());
  const headingRef = useRef<HTMLHeadingElement>(null);
  const form = useContractForm({
    fieldIds,
    schema: stepUpPasswordRequestSchema,
    values: { password },
    mutation: withPassword,
    beforeRequest: () => withPasskey.reset(),
    onSuccess: () => {
      setPassword("");
      onProved();
    },
    fieldErrorsFor: (error) => (isApiError(error) && error.code === "invalid_credentials" ? { password: passwordErrorMessage(error) } : undefined),
  });

  useEffect(() => headingRef.current?.focus(), []);

  const Heading = `h${headingLevel}` as const;
  const passkeyOutcome = withPasskey.isError ? registrationCeremonyOutcome(withPasskey.error) : undefined;

  return (
    <section className="step-up" aria-labelledby={ids.title}>
      <Heading className="section-title" id={ids.title} ref={headingRef} tabIndex={-1}>
        {t("stepUp.title")}
      </Heading>
      <p id={ids.lead}>{lead(purpose, canUsePasskey)}</p>
      {passkeyOutcome === "cancelled" ? (
        <Alert tone="info">{t("stepUp.cancelled")}</Alert>
      ) : withPasskey.isError ? (
        <Alert tone="error">{describeError(withPasskey.error)}</Alert>
      ) : null}
      <form className="form" noValidate onSubmit={form.onSubmit} aria-describedby={ids.lead}>
        <FormErrorSummary failure={form.failure} describe={passwordErrorMessage} fieldErrors={form.summaryLinks} />
        <PasswordField
          id={ids.password}
          label={t("field.password")}
          name="current-password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={form.fieldErrors.password}
        />
        <div className="form-row">
          <Button type="submit" loading={form.pending} loadingText={t("stepUp.checking")} disabled={withPasskey.isPending}>
            {t(`stepUp.submit.${purpose}`)}
          </Button>
        </div>
      </form>
      {canUsePasskey ? (
        <Button
          variant="secondary"
          onClick={() => withPasskey.mutate(undefined, { onSuccess: () => onProved() })}
          loading={withPasskey.isPending}
          loadingText={t("signIn.waitingForPasskey")}
          disabled={form.pending}
        >
          {t("stepUp.usePasskey")}
        </Button>
      ) : null}
    </section>
  );
}
