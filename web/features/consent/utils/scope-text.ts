/**
 * What each scope gives an app, in words (OpenID Connect Core §5.4), for the consent page and
 * the connected apps. `openid` is the sign-in itself; unknown scopes are named as they are.
 */
const scopeTexts: Record<string, string> = {
  openid: "Sign you in and know it's you (a user ID that stays the same for this app)",
  email: "Your email address, and whether it's verified",
  profile: "Your profile: name, nickname, picture, website, gender, birthday, time zone and language, where you've set them",
  phone: "Your phone number, and whether it's verified",
  offline_access: "Stay connected when you're not using it (until you disconnect it here)",
};

export function describeScope(scope: string): string {
  return scopeTexts[scope] ?? `“${scope}”`;
}

/** The scopes in a stable, readable order: the sign-in first, then the rest as listed above. */
export function orderedScopes(scopes: readonly string[]): string[] {
  const order = Object.keys(scopeTexts);
  const rank = (scope: string) => (order.includes(scope) ? order.indexOf(scope) : order.length);
  return [...new Set(scopes)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
