import * as z from "zod/mini";

/**
 * What the "Add a passkey" page is told through history state: why it is shown, and where the
 * person goes next (a BFF `redirectTo`, followed through lib/redirect.ts, so only same-origin).
 * - "offer": after a sign-in with a password and a code;
 * - "signup": right after the email was confirmed;
 * - "resume": the person signed in again to finish adding a passkey.
 */
export const addPasskeyStateSchema = z.object({
  reason: z.enum(["offer", "signup", "resume"]),
  continueTo: z.string().check(z.minLength(1)),
});
export type AddPasskeyState = z.infer<typeof addPasskeyStateSchema>;

export function readAddPasskeyState(state: unknown): AddPasskeyState | undefined {
  const parsed = addPasskeyStateSchema.safeParse(state);
  return parsed.success ? parsed.data : undefined;
}
