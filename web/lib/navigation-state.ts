import * as z from "zod/mini";
import { deliverySchema } from "../../common/api-contract";

/**
 * What one page hands to the next through router history state: the email typed so far, where a
 * code went, and a one-line message to show on arrival. History state survives reloads but can
 * be anything, so it is parsed, never trusted. Passwords and codes never go in here.
 */
const flashSchema = z.object({
  tone: z.enum(["info", "success", "error"]),
  message: z.string().check(z.minLength(1)),
});
export type Flash = z.infer<typeof flashSchema>;

const navigationStateSchema = z.object({
  email: z.catch(z.optional(z.string()), undefined),
  delivery: z.catch(z.optional(deliverySchema), undefined),
  flash: z.catch(z.optional(flashSchema), undefined),
});
export type NavigationState = z.infer<typeof navigationStateSchema>;

export function readNavigationState(state: unknown): NavigationState {
  const parsed = navigationStateSchema.safeParse(state ?? {});
  return parsed.success ? parsed.data : {};
}
