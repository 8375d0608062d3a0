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
