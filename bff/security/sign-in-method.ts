import type { SignInMethodLabel } from "../../common/api-contract";

/** RFC 8176 `amr` → how the account page names the way a session signed in. */
export function signInMethodOf(amr: readonly string[]): SignInMethodLabel | null {
  const passkey = amr.includes("hwk") || amr.includes("swk");
  if (amr.includes("pwd") && amr.includes("otp")) return "password_code";
  if (amr.includes("pwd") && passkey) return "password_passkey";
  if (passkey) return "passkey";
  // A password alone completes a sign-in only on a trusted device (the code step skipped).
  if (amr.includes("pwd")) return "password_trusted_device";
  return null;
}

/** The `locale` claim of an ID token, read without verification (it was verified at sign-in): the mail's language. */
export function localeOfIdToken(idToken: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(idToken.split(".")[1] ?? "", "base64url").toString("utf8")) as { locale?: unknown };
    return typeof payload.locale === "string" ? payload.locale : undefined;
  } catch {
    return undefined;
  }
}
