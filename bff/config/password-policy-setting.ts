import type { PasswordPolicyRules } from "../../common/api-contract";
import { describeIssues } from "../../common/env";
import { passwordPolicySchema } from "../../common/local-config";

/**
 * PASSWORD_POLICY: the user pool's password policy in Cognito's terms, JSON, e.g.
 * `{"minimumLength":12,"requireSymbols":false}` (kinds left out are required, as in Cognito's
 * default policy). The BFF does not enforce it — Cognito does — it hands it to the SPA
 * (GET /api/config) so the new-password checklist asks for what Cognito will check. Unset: the
 * mode's default (locally the emulator's pool in config/local.json; on AWS Cognito's default,
 * which the infrastructure app overrides with the pool it creates).
 */
export function parsePasswordPolicy(raw: string | undefined, fallback: PasswordPolicyRules, problems: string[]): PasswordPolicyRules {
  if (raw === undefined) return fallback;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    problems.push("PASSWORD_POLICY: not valid JSON");
    return fallback;
  }
  const parsed = passwordPolicySchema.strict().safeParse(json);
  if (parsed.success) return parsed.data;
  problems.push(...describeIssues(parsed.error.issues, "PASSWORD_POLICY"));
  return fallback;
}

/** Cognito's default policy (a new pool without a PasswordPolicy): 8 characters, every kind required. */
export const cognitoDefaultPasswordPolicy: PasswordPolicyRules = passwordPolicySchema.parse({});
