import { browserSupportsWebAuthnAutofill, startAuthentication, WebAuthnAbortService } from "@simplewebauthn/browser";
import { useEffect, useRef } from "react";
import type { SignInDoneResponse } from "../../../../common/api-contract";
import { getPasskeySignInOptions, verifyPasskeySignIn } from "../api/passkey-sign-in";
import { classifyCeremonyError } from "../utils/passkey-ceremony";

/**
 * Passkeys in the browser's autofill (WebAuthn L3 §5.1.4 conditional mediation): on mount,
 * where supported, a usernameless ceremony waits behind the `autocomplete="username webauthn"`
 * field; picking a passkey there signs in. Cancelled on unmount (and by the form on submit via
 * `stopPasskeyAutofill`), silently.
 */
export function usePasskeyAutofill(handlers: { onDone: (answer: SignInDoneResponse) => void; onError: (error: unknown) => void }): void {
  const latest = useRef(handlers);
  latest.current = handlers;

  useEffect(() => {
    let active = true;
    void (async () => {
      try {
        if (!(await browserSupportsWebAuthnAutofill()) || !active) return;
        const optionsJSON = await getPasskeySignInOptions("passkey-first");
        if (!active) return;
        const credential = await startAuthentication({ optionsJSON, useBrowserAutofill: true });
        if (!active) return;
        latest.current.onDone(await verifyPasskeySignIn(credential, optionsJSON));
      } catch (error) {
        // Autofill is an offer, not a step: a dismissed or stopped ceremony is not worth a word.
        if (active && classifyCeremonyError(error) === "failed") latest.current.onError(error);
      }
    })();
    return () => {
      active = false;
      stopPasskeyAutofill();
    };
  }, []);
}

/** Ends a waiting autofill ceremony (before a password submit or a modal passkey prompt). */
export function stopPasskeyAutofill(): void {
  WebAuthnAbortService.cancelCeremony();
}
