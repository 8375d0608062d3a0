import { useQuery } from "@tanstack/react-query";
import { passwordSchema, type PasswordPolicyRules } from "../../common/api-contract";
import { config } from "../config";
import { isApiError } from "./api-client";
import { clientConfigQueryOptions } from "./client-config";

export interface PasswordRule {
  id: "length" | "upper" | "lower" | "number" | "symbol";
  label: string;
  /** Short form for "Your password needs …". */
  need: string;
  test: (password: string) => boolean;
}

/**
 * Until GET /api/config has answered (or from a BFF too old to send the policy): Cognito's default
 * policy, every kind required, with the build's minimum length. Cognito enforces the real one.
 */
export const fallbackPasswordPolicy: PasswordPolicyRules = {
  minimumLength: config.passwordMinLength,
  requireUppercase: true,
  requireLowercase: true,
  requireNumbers: true,
  requireSymbols: true,
};

// Cognito's special characters, the only ones its policy counts as symbols
// (AWS Cognito Developer Guide, "Password requirements"): ^ $ * . [ ] { } ( ) ? - " ! @ # % & / \ , > < ' : ; | _ ~ ` + = and space.
const cognitoSymbols = new Set(Array.from("^$*.[]{}()?-\"!@#%&/\\,><':;|_~`+= "));

/** The checklist for one pool's policy: only the kinds it requires, in Cognito's order. */
export function passwordRulesFor(policy: PasswordPolicyRules): readonly PasswordRule[] {
  const rules: PasswordRule[] = [
    {
      id: "length",
      label: `At least ${policy.minimumLength} characters`,
      need: `at least ${policy.minimumLength} characters`,
      test: (password) => Array.from(password).length >= policy.minimumLength,
    },
  ];
  if (policy.requireUppercase) rules.push({ id: "upper", label: "An uppercase letter", need: "an uppercase letter", test: (p) => /[A-Z]/.test(p) });
  if (policy.requireLowercase) rules.push({ id: "lower", label: "A lowercase letter", need: "a lowercase letter", test: (p) => /[a-z]/.test(p) });
  if (policy.requireNumbers) rules.push({ id: "number", label: "A number", need: "a number", test: (p) => /[0-9]/.test(p) });
  if (policy.requireSymbols) {
    rules.push({
      id: "symbol",
      label: "A symbol, such as ! @ # $ % ^ & *",
      need: "a symbol",
      test: (p) => Array.from(p).some((character) => cognitoSymbols.has(character)),
    });
  }
  return rules;
}

/** The pool's policy as the BFF reports it (GET /api/config); the fallback while it loads. */
export function usePasswordPolicy(): PasswordPolicyRules {
  const clientConfig = useQuery(clientConfigQueryOptions());
  return clientConfig.data?.passwordPolicy ?? fallbackPasswordPolicy;
}

/** The rules a password still breaks (empty when it meets the policy). */
export function unmetPasswordRules(password: string, policy: PasswordPolicyRules): PasswordRule[] {
  return passwordRulesFor(policy).filter((rule) => !rule.test(password));
}

/** One sentence for a field error, e.g. "Your password needs a number and a symbol." */
export function passwordPolicyError(password: string, policy: PasswordPolicyRules): string | undefined {
  if (password === "") return "Choose a password.";
  if (/^\s|\s$/.test(password)) return "Your password can't start or end with a space.";
  const unmet = unmetPasswordRules(password, policy).map((rule) => rule.need);
  if (unmet.length === 0) return undefined;
  const list = unmet.length === 1 ? unmet[0] : `${unmet.slice(0, -1).join(", ")} and ${unmet.at(-1)}`;
  return `Your password needs ${list}.`;
}

/** A password being chosen (sign-up, reset): the contract's limits, then the pool's policy. */
export function newPasswordSchemaFor(policy: PasswordPolicyRules) {
  return passwordSchema.superRefine((password, context) => {
    const message = passwordPolicyError(password, policy);
    if (message) context.addIssue({ code: "custom", message });
  });
}

/** The new-password field's message when the BFF refuses the password (`invalid_password`): its reason, if it sent one. */
export function rejectedPasswordFieldErrors(error: unknown): { password: string } | undefined {
  if (!isApiError(error) || error.code !== "invalid_password") return undefined;
  return { password: error.fields?.password ?? "Choose a password that meets every rule below." };
}
