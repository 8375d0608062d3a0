import type { ChangeEventHandler } from "react";
import { useT } from "../i18n/i18n";
import { digitsOnly } from "../lib/form";
import { PasswordChecklist } from "./password-checklist";
import { PasswordField, TextField } from "./ui/text-field";

export interface EmailFieldProps {
  id: string;
  /** "username" where a password manager should pair it with the password, "email" elsewhere. */
  autoComplete: string;
  hint?: string;
  value: string;
  onChange: ChangeEventHandler<HTMLInputElement>;
  error: string | undefined;
}

/** The email address input of the auth forms: no capitals or spell-check, the browser's email keyboard. */
export function EmailField({ id, autoComplete, hint, value, onChange, error }: EmailFieldProps) {
  const t = useT();
  return (
    <TextField
      id={id}
      label={t("field.email")}
      hint={hint}
      type="email"
      name="email"
      autoComplete={autoComplete}
      autoCapitalize="none"
      spellCheck={false}
      required
      value={value}
      onChange={onChange}
      error={error}
    />
  );
}

/** Longest code the contract accepts (`confirmationCodeSchema`). */
const emailedCodeMaxLength = 10;

export interface EmailedCodeFieldProps {
  id: string;
  label: string;
  value: string;
  /** Called with digits only (people paste "123 456"). */
  onCodeChange: (code: string) => void;
  error: string | undefined;
}

/** The input for a code sent by email (sign-up confirmation, password reset). */
export function EmailedCodeField({ id, label, value, onCodeChange, error }: EmailedCodeFieldProps) {
  const t = useT();
  return (
    <TextField
      id={id}
      label={label}
      hint={t("field.emailedCodeHint")}
      name="code"
      type="text"
      // WHATWG autofill "one-time-code": lets the browser/OS offer the code from the message.
      autoComplete="one-time-code"
      inputMode="numeric"
      pattern="[0-9]*"
      // No maxLength: the browser would cut a pasted "123 456" before the separators are removed.
      required
      className="input--code"
      value={value}
      onChange={(event) => onCodeChange(digitsOnly(event.target.value, emailedCodeMaxLength))}
      error={error}
    />
  );
}

export interface NewPasswordFieldProps {
  id: string;
  label: string;
  name: string;
  value: string;
  onChange: ChangeEventHandler<HTMLInputElement>;
  error: string | undefined;
}

/** A password being chosen, described by the policy checklist (id `${id}-rules`) that ticks off as it is typed. */
export function NewPasswordField({ id, label, name, value, onChange, error }: NewPasswordFieldProps) {
  const checklistId = `${id}-rules`;
  return (
    <PasswordField
      id={id}
      label={label}
      name={name}
      autoComplete="new-password"
      required
      value={value}
      onChange={onChange}
      error={error}
      describedBy={checklistId}
      after={<PasswordChecklist id={checklistId} password={value} />}
    />
  );
}
