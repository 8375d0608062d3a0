import { browserSupportsWebAuthn } from "@simplewebauthn/browser";
import { useState } from "react";
import type { SignInDoneResponse } from "../../../../common/api-contract";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { describeError } from "../../../lib/error-messages";
import { usePasskeySignIn } from "../api/passkey-sign-in";
import { classifyCeremonyError, passkeyCancelledMessage } from "../utils/passkey-ceremony";

/** "Sign in with a passkey": passkey-first, no email or password (shown only where WebAuthn exists). */
export function PasskeySignInButton({ onDone }: { onDone: (answer: SignInDoneResponse) => void }) {
  const signIn = usePasskeySignIn();
  const [supported] = useState(() => browserSupportsWebAuthn());
  if (!supported) return null;

  const outcome = signIn.isError ? classifyCeremonyError(signIn.error) : undefined;
  return (
    <div className="passkey-sign-in">
      <p className="divider" aria-hidden="true">
        or
      </p>
      {outcome === "cancelled" ? <Alert tone="info">{passkeyCancelledMessage}</Alert> : null}
      {outcome === "failed" ? <Alert tone="error">{describeError(signIn.error)}</Alert> : null}
      <Button variant="secondary" block loading={signIn.isPending} loadingText="Waiting for your passkey…" onClick={() => signIn.mutate(undefined, { onSuccess: onDone })}>
        Sign in with a passkey
      </Button>
    </div>
  );
}
