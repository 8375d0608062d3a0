import { browserSupportsWebAuthn } from "@simplewebauthn/browser";
import { useState } from "react";
import type { SignInDoneResponse } from "../../../../common/api-contract";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { useT } from "../../../i18n/i18n";
import { describeError } from "../../../lib/error-messages";
import { usePasskeySignIn } from "../api/passkey-sign-in";
import { stopPasskeyAutofill } from "../hooks/use-passkey-autofill";
import { classifyCeremonyError, passkeyCancelledMessage } from "../utils/passkey-ceremony";

/**
 * "Sign in with a passkey": passkey-first, no email or password, usernameless whatever sign-in
 * is pending (shown only where WebAuthn exists).
 */
export function PasskeySignInButton({ onDone }: { onDone: (answer: SignInDoneResponse) => void }) {
  const t = useT();
  const signIn = usePasskeySignIn("passkey-first");
  const [supported] = useState(() => browserSupportsWebAuthn());
  if (!supported) return null;

  const outcome = signIn.isError ? classifyCeremonyError(signIn.error) : undefined;
  return (
    <div className="passkey-sign-in">
      <p className="divider" aria-hidden="true">
        {t("common.or")}
      </p>
      {outcome === "cancelled" ? <Alert tone="info">{passkeyCancelledMessage()}</Alert> : null}
      {outcome === "failed" ? <Alert tone="error">{describeError(signIn.error)}</Alert> : null}
      <Button
        variant="secondary"
        block
        loading={signIn.isPending}
        loadingText={t("signIn.waitingForPasskey")}
        onClick={() => {
          // A passkey waiting in the autofill would hold the authenticator: the modal prompt replaces it.
          stopPasskeyAutofill();
          signIn.mutate(undefined, { onSuccess: onDone });
        }}
      >
        {t("signIn.withPasskey")}
      </Button>
    </div>
  );
}
