import { t, type MessageId } from "../../../i18n/i18n";

/**
 * What each scope gives an app, in words (OpenID Connect Core §5.4), for the consent page and
 * the connected apps. `openid` is the sign-in itself; unknown scopes are named as they are.
 */
const scopeTexts: Record<string, MessageId> = {
  openid: "scope.openid",
  email: "scope.email",
  profile: "scope.profile",
  phone: "scope.phone",
  offline_access: "scope.offline_access",
};

export function describeScope(scope: string): string {
  const id = Object.hasOwn(scopeTexts, scope) ? scopeTexts[scope] : undefined;
  return id === undefined ? t("scope.other", { scope }) : t(id);
}

/** The scopes in a stable, readable order: the sign-in first, then the rest as listed above. */
export function orderedScopes(scopes: readonly string[]): string[] {
  const order = Object.keys(scopeTexts);
  const rank = (scope: string) => (order.includes(scope) ? order.indexOf(scope) : order.length);
  return [...new Set(scopes)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
