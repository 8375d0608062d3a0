import { passwordSchema } from "../../common/api-contract";
import { config } from "../config";
import { isApiError } from "./api-client";

export interface PasswordRule {
  id: "length" | "upper" | "lower" | "number" | "symbol";
  label: string;
  /** Short form for "Your password needs …". */
  need: string;
  test: (password: string) => boolean;
}

// Cognito's special characters, the only ones its policy counts as symbols
// (AWS Cognito Developer Guide, "Password requirements"): ^ $ * . [ ] { } ( ) ? - " ! @ # % & / \ , > < ' : ; | _ ~ ` + = and space.
const cognitoSymbols = new Set(Array.from("^$*.[]{}()?-\"!@#%&/\\,><':;|_~`+= "));

export const passwordRules: readonly PasswordRule[] = [
  {
    id: "length",
    label: `At least ${config.passwordMinLength} characters`,
    need: `at least ${config.passwordMinLength} characters`,
    test: (password) => Array.from(password).length >= config.passwordMinLength,
  },
  { id: "upper", label: "An uppercase letter", need: "an uppercase letter", test: (p) => /[A-Z]/.test(p) },
  { id: "lower", label: "A lowercase letter", need: "a lowercase letter", test: (p) => /[a-z]/.test(p) },
  { id: "number", label: "A number", need: "a number", test: (p) => /[0-9]/.test(p) },
  {
    id: "symbol",
    label: "A symbol, such as ! @ # $ % ^ & *",
    need: "a symbol",
    test: (p) => Array.from(p).some((character) => cognitoSymbols.has(character)),
  },
];

/** The rules a password still breaks (empty when it meets the policy). */
export function unmetPasswordRules(password: string): PasswordRule[] {
  return passwordRules.filter((rule) => !rule.test(password));
}

/** One sentence for a field error, e.g. "Your password needs a number and a symbol." */
export function passwordPolicyError(password: string): string | undefined {
  if (password === "") return "Choose a password.";
  if (/^\s|\s$/.test(password)) return "Your password can't start or end with a space.";
  const unmet = unmetPasswordRules(password).map((rule) => rule.need);
  if (unmet.length === 0) return undefined;
  const list = unmet.length === 1 ? unmet[0] : `${unmet.slice(0, -1).join(", ")} and ${unmet.at(-1)}`;
  return `Your password needs ${list}.`;
}

/** A password being chosen (sign-up, reset): the contract's limits, then the pool's policy. */
export const newPasswordSchema = passwordSchema.superRefine((password, context) => {
  const message = passwordPolicyError(password);
  if (message) context.addIssue({ code: "custom", message });
});

/** The new-password field's message when the BFF refuses the password (`invalid_password`): its reason, if it sent one. */
export function rejectedPasswordFieldErrors(error: unknown): { password: string } | undefined {
  if (!isApiError(error) || error.code !== "invalid_password") return undefined;
  return { password: error.fields?.password ?? "Choose a password that meets every rule below." };
}
