import { t } from "../../../i18n/i18n";

/**
 * What a failed browser ceremony means for the person. WebAuthn gives NotAllowedError for a
 * prompt that was dismissed or timed out (WebAuthn L3 §5.1.4.1 step 20, §5.1.3 step 20) —
 * not an error to report, just a way back to the choice; AbortError means the page
 * cancelled the ceremony itself (e.g. autofill stopped when the form was submitted).
 */
export type CeremonyOutcome = "cancelled" | "aborted" | "failed";

function nameOf(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? cause.name : error.name;
}

export function classifyCeremonyError(error: unknown): CeremonyOutcome {
  if ((error as { code?: unknown } | null)?.code === "ERROR_CEREMONY_ABORTED") return "aborted";
  switch (nameOf(error)) {
    case "NotAllowedError":
      return "cancelled";
    case "AbortError":
      return "aborted";
    default:
      return "failed";
  }
}

export function passkeyCancelledMessage(): string {
  return t("signIn.passkeyCancelled");
}
