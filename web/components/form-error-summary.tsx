import type { ReactNode } from "react";
import { useT } from "../i18n/i18n";
import type { FormFailure } from "../lib/use-contract-form";
import { ErrorSummary, type FieldErrorLink } from "./ui/alert";
import { Button } from "./ui/button";

export interface FormErrorSummaryProps {
  /** From useContractForm; nothing is shown while it is null. */
  failure: FormFailure | null;
  /** The feature's message for an error from the API. */
  describe: (error: unknown) => string;
  fieldErrors?: FieldErrorLink[];
  children?: ReactNode;
}

/**
 * The summary above a form after a failed submit. Keyed on the attempt, so the same error a
 * second time is a new alert that is announced and focused again (WCAG 3.3.1, 4.1.3). When no
 * answer came (offline, a timeout), it offers "Try again", which sends the same values once more.
 */
export function FormErrorSummary({ failure, describe, fieldErrors, children }: FormErrorSummaryProps) {
  const t = useT();
  if (!failure) return null;
  const { retry } = failure;
  return (
    <ErrorSummary key={failure.attempt} title={failure.error === undefined ? t("form.problem") : describe(failure.error)} fieldErrors={fieldErrors}>
      {children}
      {retry ? (
        <Button variant="secondary" onClick={retry}>
          {t("common.tryAgain")}
        </Button>
      ) : null}
    </ErrorSummary>
  );
}
