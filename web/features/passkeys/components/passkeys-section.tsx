import { browserSupportsWebAuthn } from "@simplewebauthn/browser";
import { useEffect, useRef, useState } from "react";
import { Link } from "react-router-dom";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { LoadingBlock } from "../../../components/ui/spinner";
import { isApiError } from "../../../lib/api-client";
import { describeError } from "../../../lib/error-messages";
import type { NavigationState } from "../../../lib/navigation-state";
import { paths } from "../../../lib/paths";
import { useAddPasskey, usePasskeys } from "../api/passkeys";
import { registrationCeremonyOutcome } from "../utils/passkey-text";
import { PasskeyItem } from "./passkey-item";

/**
 * The account page's "Passkeys" section: the list, and "Add a passkey". Adding needs a recent
 * sign-in; when the BFF says `reauthentication_required`, the section offers to sign in again.
 */
export function PasskeysSection({ email }: { email: string }) {
  const passkeys = usePasskeys();
  const add = useAddPasskey();
  const [supported] = useState(() => browserSupportsWebAuthn());
  const titleRef = useRef<HTMLHeadingElement>(null);
  const previousCount = useRef<number | undefined>(undefined);

  // A deleted passkey takes its focused buttons with it: give focus to the section's heading.
  useEffect(() => {
    const count = passkeys.data?.length;
    const active = document.activeElement;
    if (count !== undefined && previousCount.current !== undefined && count < previousCount.current && (active === null || active === document.body)) {
      titleRef.current?.focus();
    }
    previousCount.current = count;
  }, [passkeys.data]);

  const addOutcome = add.isError ? registrationCeremonyOutcome(add.error) : undefined;
  const needsReauth = isApiError(add.error) && add.error.code === "reauthentication_required";
  const reauthState: NavigationState = {
    email,
    flash: { tone: "info", message: "To add a passkey, confirm it's you: sign in again, then add it from your account page." },
  };

  // A deployment without passkeys (ALB mode: the load balancer owns sign-in) answers 404.
  if (isApiError(passkeys.error) && passkeys.error.status === 404) return null;

  return (
    <section className="passkeys" aria-labelledby="passkeys-title">
      <h2 className="section-title" id="passkeys-title" ref={titleRef} tabIndex={-1}>
        Passkeys
      </h2>
      <p className="section-lead">Sign in with your fingerprint, face or device PIN instead of a code.</p>

      {passkeys.isPending ? <LoadingBlock label="Loading your passkeys…" /> : null}
      {passkeys.isError ? (
        <Alert tone="error" title="We couldn't load your passkeys.">
          <p>{describeError(passkeys.error)}</p>
        </Alert>
      ) : null}
      {passkeys.isSuccess && passkeys.data.length === 0 ? <p>You have no passkeys yet.</p> : null}
      {passkeys.isSuccess && passkeys.data.length > 0 ? (
        <ul className="passkey-list">
          {passkeys.data.map((passkey) => (
            <PasskeyItem key={passkey.id} passkey={passkey} />
          ))}
        </ul>
      ) : null}

      {add.isSuccess ? <Alert tone="success">Passkey added. You can use it the next time you sign in.</Alert> : null}
      {needsReauth ? (
        <Alert tone="info" title="Please confirm it's you">
          <p>
            You signed in a while ago. <Link to={paths.signIn} state={reauthState}>Sign in again</Link> to add a passkey.
          </p>
        </Alert>
      ) : addOutcome === "cancelled" ? (
        <Alert tone="info">The passkey prompt closed before it finished. No passkey was added.</Alert>
      ) : addOutcome === "already_registered" ? (
        <Alert tone="info">This device already has a passkey for your account.</Alert>
      ) : addOutcome === "failed" ? (
        <Alert tone="error">{describeError(add.error)}</Alert>
      ) : null}

      {supported ? (
        <Button variant="secondary" onClick={() => add.mutate()} loading={add.isPending} loadingText="Waiting for your device…">
          Add a passkey
        </Button>
      ) : (
        <p className="field-hint">This browser can't create passkeys.</p>
      )}
    </section>
  );
}
