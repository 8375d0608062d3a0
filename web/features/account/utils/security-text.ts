import type { SecurityEventType, SignInMethodLabel } from "../../../../common/api-contract";

/** How a session signed in, in words. */
export function methodText(method: SignInMethodLabel | null): string {
  switch (method) {
    case "password_code":
      return "Password and emailed code";
    case "password_passkey":
      return "Password and passkey";
    case "passkey":
      return "Passkey";
    case "password_trusted_device":
      return "Password on a trusted device";
    case "password":
      return "Password";
    case "code":
      return "Emailed code";
    default:
      return "Unknown";
  }
}

/** What a history entry says happened. */
export function eventText(type: SecurityEventType, method: SignInMethodLabel | null): string {
  switch (type) {
    case "sign_in_succeeded":
      return "Signed in";
    case "sign_in_failed":
      return method === "code" ? "Failed sign-in: wrong code" : "Failed sign-in: wrong password";
    case "password_changed":
      return "Password changed";
    case "email_change_requested":
      return "Email change started";
    case "email_changed":
      return "Email address changed";
    case "passkey_added":
      return "Passkey added";
    case "passkey_removed":
      return "Passkey removed";
    case "session_revoked":
      return "Signed out a session";
    case "signed_out_everywhere":
      return "Signed out everywhere";
    case "trusted_device_added":
      return "Device trusted";
    case "trusted_device_removed":
      return "Trusted device forgotten";
    case "account_deleted":
      return "Account deleted";
  }
}
