/** Every route of the SPA, in one place, so links and redirects agree with the router. */
export const paths = {
  home: "/",
  signIn: "/signin",
  signInCode: "/signin/code",
  signInChoose: "/signin/choose",
  signUp: "/signup",
  signUpConfirm: "/signup/confirm",
  passwordForgot: "/password/forgot",
  passwordReset: "/password/reset",
  account: "/account",
  /** An app that is not Tobira's own asks to use the account (the provider sends the browser here). */
  consent: "/consent",
} as const;

export type AppPath = (typeof paths)[keyof typeof paths];

const spaPaths: ReadonlySet<string> = new Set(Object.values(paths));

/** True when `pathname` is a page of this SPA (anything else under the origin belongs to the BFF). */
export function isSpaPath(pathname: string): boolean {
  const trimmed = pathname.length > 1 && pathname.endsWith("/") ? pathname.slice(0, -1) : pathname;
  return spaPaths.has(trimmed);
}
