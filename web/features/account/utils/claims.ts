import { i18n, t, type MessageId } from "../../../i18n/i18n";

/**
 * Turning claim sets into something people can read: known claims get a label, NumericDate
 * claims (RFC 7519 §2, OIDC Core §5.1 `updated_at`) become dates, the rest is shown as text.
 */
export const timeClaims: ReadonlySet<string> = new Set(["exp", "iat", "nbf", "auth_time", "updated_at"]);

const claimLabels: Readonly<Record<string, MessageId>> = {
  sub: "claim.sub",
  iss: "claim.iss",
  aud: "claim.aud",
  client_id: "claim.client_id",
  exp: "claim.exp",
  iat: "claim.iat",
  nbf: "claim.nbf",
  auth_time: "claim.auth_time",
  updated_at: "claim.updated_at",
  email: "claim.email",
  email_verified: "claim.email_verified",
  phone_number: "claim.phone_number",
  phone_number_verified: "claim.phone_number_verified",
  name: "claim.name",
  username: "claim.username",
  "cognito:username": "claim.username",
  "cognito:groups": "claim.groups",
  token_use: "claim.token_use",
  scope: "claim.scope",
  jti: "claim.jti",
  origin_jti: "claim.origin_jti",
  event_id: "claim.event_id",
  amr: "claim.amr",
  acr: "claim.acr",
  nonce: "claim.nonce",
  sid: "claim.sid",
};

export function claimLabel(name: string): string | undefined {
  const id = Object.hasOwn(claimLabels, name) ? claimLabels[name] : undefined;
  return id === undefined ? undefined : t(id);
}

export type ClaimValue =
  { kind: "time"; seconds: number } | { kind: "text"; text: string } | { kind: "list"; items: string[] } | { kind: "json"; json: string } | { kind: "empty" };

export function classifyClaim(name: string, value: unknown): ClaimValue {
  if (value === null || value === undefined || value === "") return { kind: "empty" };
  if (timeClaims.has(name) && typeof value === "number" && Number.isFinite(value)) return { kind: "time", seconds: value };
  if (typeof value === "string") return { kind: "text", text: value };
  if (typeof value === "number" || typeof value === "boolean") return { kind: "text", text: String(value) };
  if (Array.isArray(value) && value.every((item) => typeof item === "string" || typeof item === "number")) {
    return { kind: "list", items: value.map(String) };
  }
  return { kind: "json", json: JSON.stringify(value, null, 2) };
}

/** Claims in a stable, useful order: identity first, then the rest alphabetically. */
const leadingClaims = ["sub", "email", "email_verified", "username", "cognito:username", "iss", "aud", "client_id"];
export function sortClaims(claims: Record<string, unknown>): [string, unknown][] {
  const rank = (name: string) => {
    const index = leadingClaims.indexOf(name);
    return index === -1 ? leadingClaims.length : index;
  };
  return Object.entries(claims).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

/** RFC 8176 authentication method references, as words. */
const amrLabels: Readonly<Record<string, MessageId>> = {
  pwd: "amr.pwd",
  otp: "amr.otp",
  // RFC 8176 "hwk"/"swk" name how the key is held; people know them as device-bound and synced
  // passkeys (a laptop's built-in authenticator is not a "hardware key").
  hwk: "amr.hwk",
  swk: "amr.swk",
};

/** "Password and one-time code" from ["pwd", "otp", "mfa"] (Intl's list in the active language). */
export function describeAmr(amr: readonly string[]): string {
  const methods = amr
    .filter((value) => value !== "mfa" && value !== "user")
    .map((value) => {
      const id = Object.hasOwn(amrLabels, value) ? amrLabels[value] : undefined;
      return id === undefined ? value : t(id);
    });
  if (methods.length === 0) return amr.length === 0 ? t("account.unknown") : amr.join(", ");
  const sentence = new Intl.ListFormat(i18n.locale, { style: "long", type: "conjunction" }).format(methods);
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}
