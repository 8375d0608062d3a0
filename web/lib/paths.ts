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
  /** "Add a passkey": after sign-up, after a sign-in with a code, or to finish an add that needed a fresh sign-in. */
  passkeyAdd: "/passkeys/add",
} as const;

/** The pages that exist only where Tobira signs people in itself (not in ALB mode, where the load balancer does). */
export const signInModePaths: readonly string[] = [
  paths.signIn,
  paths.signInCode,
  paths.signInChoose,
  paths.signUp,
  paths.signUpConfirm,
  paths.passwordForgot,
  paths.passwordReset,
  paths.passkeyAdd,
];

export type AppPath = (typeof paths)[keyof typeof paths];

const spaPaths: ReadonlySet<string> = new Set(Object.values(paths));

/** True when `pathname` is a page of this SPA (anything else under the origin belongs to the BFF). */
export function isSpaPath(pathname: string): boolean {
  const trimmed = pathname.length > 1 && pathname.endsWith("/") ? pathname.slice(0, -1) : pathname;
  return spaPaths.has(trimmed);
}
