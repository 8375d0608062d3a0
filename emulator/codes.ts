import { createHash, randomInt, timingSafeEqual } from "node:crypto";
import type { PendingCode } from "./state/user-store";

/** Sign-up confirmation codes last 24 hours, password-reset codes 1 hour (AWS DG, user sign-up and password recovery). */
export const CONFIRMATION_CODE_TTL_MS = 24 * 3600_000;
export const RESET_CODE_TTL_MS = 3600_000;

/** Six digits from the CSPRNG, uniformly distributed (NIST SP 800-63B §5.1.3.1). */
export function generateCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, "0");
}

function digest(code: string): string {
  return createHash("sha256").update(code).digest("base64url");
}

export function pendingCode(code: string, expiresAt: number): PendingCode {
  return { digest: digest(code), expiresAt };
}

export type CodeCheck = "match" | "mismatch" | "expired";

/** Constant-time comparison of a presented code with the stored digest. */
export function checkCode(pending: PendingCode, presented: string, now: number): CodeCheck {
  const expected = Buffer.from(pending.digest);
  const actual = Buffer.from(digest(presented));
  if (!timingSafeEqual(actual, expected)) return "mismatch";
  return now >= pending.expiresAt ? "expired" : "match";
}

/**
 * Masks a destination as Cognito's CodeDeliveryDetails do: the first character of the address and
 * of the domain, nothing of the top-level domain ("a***@e***"), or the last four digits of a
 * phone number ("+*******1234").
 */
export function maskDestination(destination: string): string {
  const at = destination.lastIndexOf("@");
  if (at < 0) return `+*******${destination.replace(/\D/g, "").slice(-4)}`;
  return `${destination.charAt(0)}***@${destination.charAt(at + 1)}***`;
}
