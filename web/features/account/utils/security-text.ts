import type { SecurityEventType, SignInMethodLabel } from "../../../../common/api-contract";
import { t } from "../../../i18n/i18n";

/** How a session signed in, in words. */
export function methodText(method: SignInMethodLabel | null): string {
  return method === null ? t("account.unknown") : t(`method.${method}`);
}

/** What a history entry says happened. */
export function eventText(type: SecurityEventType, method: SignInMethodLabel | null): string {
  if (type === "sign_in_failed") return method === "code" ? t("event.sign_in_failed.code") : t("event.sign_in_failed.password");
  return t(`event.${type}`);
}

/**
 * A device's name as the BFF words it (bff/security/device-summary.ts: "Firefox on Linux",
 * "A browser on Linux", "Unknown browser"), in the active language; the browser's and the
 * system's own names stay as they are.
 */
export function deviceText(label: string): string {
  if (label === "Unknown browser") return t("device.unknown");
  const onlySystem = /^A browser on (.+)$/.exec(label);
  if (onlySystem) return t("device.aBrowserOn", { os: onlySystem[1] });
  const both = /^(.+) on (.+)$/.exec(label);
  if (both) return t("device.browserOnOs", { browser: both[1], os: both[2] });
  return label;
}
