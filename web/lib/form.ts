import { useState } from "react";
import * as z from "zod/mini";
import { confirmationCodeSchema, emailSchema } from "../../common/api-contract";
import { i18n, t, type MessageId } from "../i18n/i18n";
import { defaultLocale } from "../i18n/locales";

export type FieldErrors<K extends string> = Partial<Record<K, string>>;

/** The contract's email rule, with its own message for an empty field. */
export const enterEmailSchema = z.pipe(z.string().check(z.trim(), z.minLength(1, { error: () => t("form.enterEmail") })), emailSchema);

/** The contract's rule for a code sent by email (sign-up confirmation, password reset). */
export const enterEmailedCodeSchema = z.pipe(z.string().check(z.trim(), z.minLength(1, { error: () => t("form.enterEmailedCode") })), confirmationCodeSchema);

/**
 * The English field messages of the wire contract's schemas (common/api-contract.ts) and of the
 * BFF's `fields`, by the id of their translation: both are shared with the server, so they stay
 * English there and are translated where the SPA shows them.
 */
const knownFieldMessages: Record<string, MessageId> = {
  "Enter a valid email address.": "form.invalidEmail",
  "Enter your password.": "form.enterPassword",
  "Passwords are at most 256 characters.": "form.passwordTooLong",
  "Enter the 6-digit code.": "form.enterOtp",
  "Enter the code from the email.": "form.enterEmailedCode",
  "Your current password is not right.": "form.currentPasswordWrong",
  "That password is not right.": "form.passwordWrong",
  "That is already your email address.": "form.sameEmail",
};

/** A contract message in the active language; the SPA's own messages are translated already. */
export function localizeFieldMessage(message: string): string {
  const id = Object.hasOwn(knownFieldMessages, message) ? knownFieldMessages[message] : undefined;
  return id === undefined ? message : t(id);
}

/**
 * A field message the BFF sent: translated when known; an unknown one (a newer BFF's) as sent in
 * English, and as a general "check this entry" in another language.
 */
export function localizeServerFieldMessage(message: string): string {
  const id = Object.hasOwn(knownFieldMessages, message) ? knownFieldMessages[message] : undefined;
  if (id !== undefined) return t(id);
  return i18n.locale === defaultLocale ? message : t("form.checkField");
}

/**
 * Validates form values with a zod schema (the contract's, so the SPA and the BFF agree) and
 * returns either the parsed data or the first message per field.
 */
export function validateForm<T>(schema: z.core.$ZodType<T>, values: unknown): { ok: true; data: T } | { ok: false; errors: Record<string, string> } {
  const parsed = z.safeParse(schema, values);
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    if (typeof field === "string" && errors[field] === undefined) errors[field] = localizeFieldMessage(issue.message);
  }
  return { ok: false, errors };
}

/** The messages of a form's own fields (named by the keys of `fieldIds`), from `validateForm` or an ApiError's `fields`. */
export function pickFieldErrors<K extends string>(fieldIds: Readonly<Record<K, string>>, errors: Readonly<Record<string, string>>): FieldErrors<K> {
  const picked: FieldErrors<K> = {};
  for (const field of Object.keys(fieldIds) as K[]) {
    const message = errors[field];
    if (message) picked[field] = message;
  }
  return picked;
}

/** One link of an error summary: a field's message, pointing at its input's id. */
export interface SummaryLink {
  fieldId: string;
  message: string;
}

/** The error summary's links, in the form's field order, each pointing at its input's id. */
export function summaryFieldErrors<K extends string>(fieldIds: Readonly<Record<K, string>>, fieldErrors: FieldErrors<K>): SummaryLink[] {
  return (Object.keys(fieldIds) as K[]).flatMap((field) => {
    const message = fieldErrors[field];
    return message ? [{ fieldId: fieldIds[field], message }] : [];
  });
}

/**
 * "Send a new code" beside a code form: checks the form's email field first (its message is
 * shown on the field and under the button) and calls `send` with the parsed address.
 */
export function useResendToEmail(email: string, send: (email: string) => void) {
  const [resendFieldError, setResendFieldError] = useState<string | undefined>();
  const onResend = () => {
    const parsed = enterEmailSchema.safeParse(email);
    if (!parsed.success) {
      setResendFieldError(localizeFieldMessage(parsed.error.issues[0]?.message ?? t("form.enterEmail")));
      return;
    }
    setResendFieldError(undefined);
    send(parsed.data);
  };
  return { resendFieldError, onResend };
}

/**
 * Keeps only digits, then at most `maxLength` of them (codes are numeric; people paste "123 456"
 * or "123-456"). The separators go first, so they never count against the length: the input
 * itself must not carry a maxLength, or the browser cuts the pasted text before this runs.
 */
export function digitsOnly(value: string, maxLength: number): string {
  return value.replace(/\D/g, "").slice(0, maxLength);
}
