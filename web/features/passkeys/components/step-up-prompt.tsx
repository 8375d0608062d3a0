import { browserSupportsWebAuthn } from "@simplewebauthn/browser";
import { useEffect, useRef, useState } from "react";
import { stepUpPasswordRequestSchema } from "../../../../common/api-contract";
import { FormErrorSummary } from "../../../components/form-error-summary";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { PasswordField } from "../../../components/ui/text-field";
import { isApiError } from "../../../lib/api-client";
import { describeError } from "../../../lib/error-messages";
import { useContractForm } from "../../../lib/use-contract-form";
import { useStepUpWithPasskey, useStepUpWithPassword } from "../api/step-up";
import { registrationCeremonyOutcome } from "../utils/passkey-text";

const fieldIds = { password: "step-up-password" };

function passwordErrorMessage(error: unknown): string {
  if (isApiError(error) && error.code === "invalid_credentials") return "That password is not right.";
  return describeError(error);
}

/**
 * Shown when the BFF answers `step_up_required` to adding a passkey: binding a new passkey needs
 * the password, or a passkey the account already has, proved within minutes — a session that is
 * merely signed in is not enough. Once proved, `onProved` resumes the registration. The heading
 * takes focus when the prompt appears, so a screen reader hears why the add stopped (WCAG 2.4.3).
 */
export function StepUpPrompt({ passkeyAvailable, onProved, headingLevel = 2 }: { passkeyAvailable: boolean; onProved: () => void; headingLevel?: 2 | 3 }) {
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

  const Heading = headingLevel === 2 ? "h2" : "h3";
  const passkeyOutcome = withPasskey.isError ? registrationCeremonyOutcome(withPasskey.error) : undefined;

  return (
    <section className="step-up" aria-labelledby="step-up-title">
      <Heading className="section-title" id="step-up-title" ref={headingRef} tabIndex={-1}>
        Confirm it's you
      </Heading>
      <p id="step-up-lead">
        Adding a passkey gives a new way into your account, so we need your password{canUsePasskey ? ", or a passkey you already have," : ""} first.
      </p>
      {passkeyOutcome === "cancelled" ? (
        <Alert tone="info">The passkey prompt closed before it finished. Try again, or enter your password.</Alert>
      ) : withPasskey.isError ? (
        <Alert tone="error">{describeError(withPasskey.error)}</Alert>
      ) : null}
      <form className="form" noValidate onSubmit={form.onSubmit} aria-describedby="step-up-lead">
        <FormErrorSummary failure={form.failure} describe={passwordErrorMessage} fieldErrors={form.summaryLinks} />
        <PasswordField
          id={fieldIds.password}
          label="Password"
          name="current-password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={form.fieldErrors.password}
        />
        <div className="form-row">
          <Button type="submit" loading={form.pending} loadingText="Checking your password…" disabled={withPasskey.isPending}>
            Confirm and add the passkey
          </Button>
        </div>
      </form>
      {canUsePasskey ? (
        <Button
          variant="secondary"
          onClick={() => withPasskey.mutate(undefined, { onSuccess: () => onProved() })}
          loading={withPasskey.isPending}
          loadingText="Waiting for your passkey…"
          disabled={form.pending}
        >
          Use a passkey you already have
        </Button>
      ) : null}
    </section>
  );
}
