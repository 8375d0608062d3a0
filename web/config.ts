import * as z from "zod/mini";
import { parseEnv } from "../common/env";

/**
 * The SPA's one configuration schema (project rule: one zod config per runtime). Vite inlines
 * `import.meta.env.VITE_*` at build time; every value has a default so a plain build needs nothing.
 */
const webConfigSchema = z.object({
  VITE_APP_NAME: z._default(z.string().check(z.trim(), z.minLength(1)), "Tobira"),
  // Must match the user pool's policy (Cognito allows 6–99); the checklist shows it, Cognito enforces it.
  VITE_PASSWORD_MIN_LENGTH: z._default(z.pipe(z.coerce.number(), z.int().check(z.gte(6), z.lte(99))), 8),
});

const values = parseEnv(webConfigSchema, import.meta.env, "web configuration");

export const config = {
  appName: values.VITE_APP_NAME,
  passwordMinLength: values.VITE_PASSWORD_MIN_LENGTH,
} as const;
export type WebConfig = typeof config;
