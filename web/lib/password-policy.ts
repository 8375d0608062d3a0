import * as z from "zod/mini";
import { passwordSchema, type PasswordPolicyRules } from "../../common/api-contract";
import { config } from "../config";
import { i18n, t } from "../i18n/i18n";
import { isApiError } from "./api-client";
import { useClientConfig } from "./client-config";
import { localizeServerFieldMessage } from "./form";

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
      label: t("password.rule.length", { count: policy.minimumLength }),
      need: t("password.need.length", { count: policy.minimumLength }),
      test: (password) => Array.from(password).length >= policy.minimumLength,
    },
  ];
  if (policy.requireUppercase) rules.push({ id: "upper", label: t("password.rule.upper"), need: t("password.need.upper"), test: (p) => /[A-Z]/.test(p) });
  if (policy.requireLowercase) rules.push({ id: "lower", label: t("password.rule.lower"), need: t("password.need.lower"), test: (p) => /[a-z]/.test(p) });
  if (policy.requireNumbers) rules.push({ id: "number", label: t("password.rule.number"), need: t("password.need.number"), test: (p) => /[0-9]/.test(p) });
  if (policy.requireSymbols) {
    rules.push({
      id: "symbol",
      label: t("password.rule.symbol"),
      need: t("password.need.symbol"),
      test: (p) => Array.from(p).some((character) => cognitoSymbols.has(character)),
    });
  }
  return rules;
}

/** The pool's policy as the BFF reports it (GET /api/config); the fallback while it loads. */
export function usePasswordPolicy(): PasswordPolicyRules {
  const clientConfig = useClientConfig();
  return clientConfig.data?.passwordPolicy ?? fallbackPasswordPolicy;
}

/** The rules a password still breaks (empty when it meets the policy). */
export function unmetPasswordRules(password: string, policy: PasswordPolicyRules): PasswordRule[] {
  return passwordRulesFor(policy).filter((rule) => !rule.test(password));
}

/** "a, b and c" / 「a、b、c」: Intl's conjunction list in the active language. */
function listFormat(): Intl.ListFormat {
  return new Intl.ListFormat(i18n.locale, { style: "long", type: "conjunction" });
}

/** One sentence for a field error, e.g. "Your password needs a number and a symbol." */
export function passwordPolicyError(password: string, policy: PasswordPolicyRules): string | undefined {
  if (password === "") return t("password.choose");
  if (/^\s|\s$/.test(password)) return t("password.noSpaceAtEnds");
  const unmet = unmetPasswordRules(password, policy).map((rule) => rule.need);
  if (unmet.length === 0) return undefined;
  return t("password.needsList", { list: listFormat().format(unmet) });
}

/** A password being chosen (sign-up, reset): the contract's limits, then the pool's policy. */
export function newPasswordSchemaFor(policy: PasswordPolicyRules) {
  return passwordSchema.check(
    z.superRefine((password, context) => {
      const message = passwordPolicyError(password, policy);
      if (message) context.addIssue({ code: "custom", message });
    }),
  );
}

/** The new-password field's message when the BFF refuses the password (`invalid_password`): its reason, if it sent one. */
export function rejectedPasswordFieldErrors(error: unknown): { password: string } | undefined {
  if (!isApiError(error) || error.code !== "invalid_password") return undefined;
  return { password: error.fields?.password === undefined ? t("password.meetEveryRule") : localizeServerFieldMessage(error.fields.password) };
}
