import { useState } from "react";
import { z } from "zod";
import { confirmationCodeSchema, emailSchema } from "../../common/api-contract";

export type FieldErrors<K extends string> = Partial<Record<K, string>>;

/** The contract's email rule, with its own message for an empty field. */
export const enterEmailSchema = z.string().trim().min(1, "Enter your email address.").pipe(emailSchema);

/** The contract's rule for a code sent by email (sign-up confirmation, password reset). */
export const enterEmailedCodeSchema = z.string().trim().min(1, "Enter the code from the email.").pipe(confirmationCodeSchema);

/**
 * Validates form values with a zod schema (the contract's, so the SPA and the BFF agree) and
 * returns either the parsed data or the first message per field.
 */
export function validateForm<T>(schema: z.ZodType<T>, values: unknown): { ok: true; data: T } | { ok: false; errors: Record<string, string> } {
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    if (typeof field === "string" && errors[field] === undefined) errors[field] = issue.message;
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
      setResendFieldError(parsed.error.issues[0]?.message ?? "Enter your email address.");
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
