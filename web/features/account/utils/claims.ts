/**
 * Turning claim sets into something people can read: known claims get a label, NumericDate
 * claims (RFC 7519 §2, OIDC Core §5.1 `updated_at`) become dates, the rest is shown as text.
 */
export const timeClaims: ReadonlySet<string> = new Set(["exp", "iat", "nbf", "auth_time", "updated_at"]);

const claimLabels: Readonly<Record<string, string>> = {
  sub: "Subject",
  iss: "Issuer",
  aud: "Audience",
  client_id: "Client",
  exp: "Expires",
  iat: "Issued",
  nbf: "Not before",
  auth_time: "Signed in",
  updated_at: "Updated",
  email: "Email",
  email_verified: "Email verified",
  phone_number: "Phone number",
  phone_number_verified: "Phone number verified",
  name: "Name",
  username: "Username",
  "cognito:username": "Username",
  "cognito:groups": "Groups",
  token_use: "Token use",
  scope: "Scope",
  jti: "Token ID",
  origin_jti: "Original token ID",
  event_id: "Event ID",
  amr: "Authentication methods",
  acr: "Authentication context",
  nonce: "Nonce",
  sid: "Session ID",
};

export function claimLabel(name: string): string | undefined {
  return claimLabels[name];
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
const amrLabels: Readonly<Record<string, string>> = {
  pwd: "password",
  otp: "one-time code",
  // RFC 8176 "hwk"/"swk" name how the key is held; people know them as device-bound and synced
  // passkeys (a laptop's built-in authenticator is not a "hardware key").
  hwk: "device-bound passkey",
  swk: "synced passkey",
  user: "user verification",
  mfa: "two factors",
};

/** "Password and one-time code" from ["pwd", "otp", "mfa"]. */
export function describeAmr(amr: readonly string[]): string {
  const methods = amr.filter((value) => value !== "mfa" && value !== "user").map((value) => amrLabels[value] ?? value);
  if (methods.length === 0) return amr.length === 0 ? "Unknown" : amr.join(", ");
  const sentence = methods.length === 1 ? methods[0]! : `${methods.slice(0, -1).join(", ")} and ${methods.at(-1)!}`;
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}
