import type { z } from "zod";

export type FieldErrors<K extends string> = Partial<Record<K, string>>;

/**
 * Validates form values with a zod schema (the contract's, so the SPA and the BFF agree) and
 * returns either the parsed data or the first message per field.
 */
export function validateForm<S extends z.ZodType<Record<string, unknown>>>(
  schema: S,
  values: Record<string, unknown>,
): { ok: true; data: z.infer<S> } | { ok: false; errors: Record<string, string> } {
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    if (typeof field === "string" && errors[field] === undefined) errors[field] = issue.message;
  }
  return { ok: false, errors };
}

/** Keeps only digits (codes are numeric; people paste "123 456" or "123-456"). */
export function digitsOnly(value: string, maxLength: number): string {
  return value.replace(/\D/g, "").slice(0, maxLength);
}
