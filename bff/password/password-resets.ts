import type { Store } from "../store/store";

/**
 * When a user last reset their password (docs/architecture.md, "After a password reset"): kept
 * by `sub` for the passkeys (a passkey created or confirmed before the reset no longer signs in
 * until its owner confirms it again on the account page) and by email for the pending sign-ins
 * (one that began before the reset dies with it). OWASP Forgot Password Cheat Sheet: a reset
 * must evict whoever held the account.
 */
export const passwordResetKind = "password-reset";

/** A pending sign-in lives 10 minutes by default; the email mark outlives any of them. */
const emailMarkTtlSeconds = 24 * 60 * 60;

export interface PasswordResets {
  /** Records a reset that happened at `at` (epoch milliseconds) for the account's subs and its email. */
  record(input: { subs: readonly string[]; email: string; at: number }): Promise<void>;
  /** Epoch milliseconds of the last reset of the user, if any. */
  lastForSub(sub: string): Promise<number | undefined>;
  /** Epoch milliseconds of the last reset of the account signing in with this email, if any (recent ones only). */
  lastForEmail(email: string): Promise<number | undefined>;
  /** lastForEmail, and the records named in `others` read in the same round-trip (their values in that order). */
  lastForEmailWith(email: string, others: readonly { kind: string; id: string }[]): Promise<{ at: number | undefined; others: unknown[] }>;
}

const emailKey = (email: string) => `email:${email.trim().toLowerCase()}`;
const subKey = (sub: string) => `sub:${sub}`;

const atOf = (record: unknown) => {
  const at = (record as { at?: unknown } | undefined)?.at;
  return typeof at === "number" ? at : undefined;
};

export function createPasswordResets(store: Store): PasswordResets {
  const read = async (id: string) => atOf(await store.get(passwordResetKind, id));
  return {
    async record({ subs, email, at }) {
      await Promise.all([
        store.put(passwordResetKind, emailKey(email), { at }, { ttlSeconds: emailMarkTtlSeconds }),
        // No expiry: a suspended passkey stays suspended until its owner confirms it.
        ...subs.map((sub) => store.put(passwordResetKind, subKey(sub), { at })),
      ]);
    },
    lastForSub: (sub) => read(subKey(sub)),
    lastForEmail: (email) => read(emailKey(email)),
    async lastForEmailWith(email, others) {
      const [mark, ...values] = await store.getMany([{ kind: passwordResetKind, id: emailKey(email) }, ...others]);
      return { at: atOf(mark), others: values };
    },
  };
}
