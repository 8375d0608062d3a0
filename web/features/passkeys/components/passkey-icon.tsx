import type { PasskeyKind } from "../utils/passkey-text";

/**
 * A small picture of the kind of passkey (a cloud for synced, a laptop for device-bound, a key
 * for a security key, a phone). Brand icons of the providers are not shipped; the name says who.
 * Decorative: the text next to it says the same.
 */
export function PasskeyIcon({ kind }: { kind: PasskeyKind }) {
  return (
    <svg className={`passkey-icon passkey-icon--${kind}`} viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
      {kind === "synced" ? <path d="M7 18h10a4 4 0 0 0 .6-7.96A6 6 0 0 0 6.1 9.1 4.5 4.5 0 0 0 7 18z" fill="none" stroke="currentColor" strokeWidth="1.8" /> : null}
      {kind === "device" ? (
        <>
          <rect x="4" y="5" width="16" height="11" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.8" />
          <path d="M2 19h20" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
        </>
      ) : null}
      {kind === "security-key" ? (
        <>
          <circle cx="8" cy="12" r="4" fill="none" stroke="currentColor" strokeWidth="1.8" />
          <path d="M12 12h9m-3 0v3m-3-3v2" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
        </>
      ) : null}
      {kind === "phone" ? (
        <>
          <rect x="7" y="2.5" width="10" height="19" rx="2" fill="none" stroke="currentColor" strokeWidth="1.8" />
          <path d="M11 18.5h2" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
        </>
      ) : null}
    </svg>
  );
}
