import { z } from "zod";

/**
 * The SPA's one configuration schema (project rule: one zod config per runtime). Vite inlines
 * `import.meta.env.VITE_*` at build time; every value has a default so a plain build needs nothing.
 */
const webConfigSchema = z.object({
  VITE_APP_NAME: z.string().trim().min(1).default("Tobira"),
  // Must match the user pool's policy (Cognito allows 6–99); the checklist shows it, Cognito enforces it.
  VITE_PASSWORD_MIN_LENGTH: z.coerce.number().int().min(6).max(99).default(8),
});

const parsed = webConfigSchema.safeParse({
  VITE_APP_NAME: import.meta.env.VITE_APP_NAME || undefined,
  VITE_PASSWORD_MIN_LENGTH: import.meta.env.VITE_PASSWORD_MIN_LENGTH || undefined,
});
if (!parsed.success) {
  const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  throw new Error(`Invalid web configuration: ${problems.join("; ")}`);
}

export const config = {
  appName: parsed.data.VITE_APP_NAME,
  passwordMinLength: parsed.data.VITE_PASSWORD_MIN_LENGTH,
} as const;
export type WebConfig = typeof config;
