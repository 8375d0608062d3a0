import { browserSupportsWebAuthn } from "@simplewebauthn/browser";
import { useEffect, useRef, useState } from "react";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { LoadingBlock } from "../../../components/ui/spinner";
import { Msg, useT } from "../../../i18n/i18n";
import { isApiError } from "../../../lib/api-client";
import { useServerMode } from "../../../lib/client-config";
import { describeError } from "../../../lib/error-messages";
import type { NavigationState } from "../../../lib/navigation-state";
import { paths } from "../../../lib/paths";
import { rememberResume } from "../../../lib/resume";
import { Link } from "../../../lib/router";
import { syncPasskeySignals, useAddPasskey, usePasskeys } from "../api/passkeys";
import { registrationCeremonyOutcome } from "../utils/passkey-text";
import { PasskeyItem } from "./passkey-item";
import { StepUpPrompt } from "./step-up-prompt";

/**
 * The account page's "Passkeys" section: the list, and "Add a passkey". Adding needs a factor
 * proved within minutes: when the BFF says `step_up_required`, the section asks for the password
 * or an existing passkey in place and then adds the passkey (step-up-prompt.tsx). An older BFF's
 * `reauthentication_required` still sends the person to sign in again, and the add resumes right
 * after (lib/resume.ts, the "Add a passkey" page).
 */
export function PasskeysSection({ email }: { email: string }) {
  const { mode } = useServerMode();
  // ALB mode has no passkeys: the load balancer owns sign-in.
  if (mode === "alb") return null;
  return <Passkeys email={email} />;
}

function Passkeys({ email }: { email: string }) {
  const passkeys = usePasskeys();
  const add = useAddPasskey();
  const [supported] = useState(() => browserSupportsWebAuthn());
  const titleRef = useRef<HTMLHeadingElement>(null);
  const previousCount = useRef<number | undefined>(undefined);
  const [lastOneRemoved, setLastOneRemoved] = useState(false);
  const signalled = useRef(false);

  useEffect(() => {
    const count = passkeys.data?.length;
    const active = document.activeElement;
    // A deleted passkey takes its focused buttons with it: give focus to the section's heading.
    if (count !== undefined && previousCount.current !== undefined && count < previousCount.current && (active === null || active === document.body)) {
      titleRef.current?.focus();
    }
    if (count !== undefined && previousCount.current !== undefined) setLastOneRemoved(count === 0 && previousCount.current > 0);
    previousCount.current = count;
    // Once per visit: the browser's passkey provider learns which passkeys this account still
    // accepts and the user's current name (Signal API, where supported; silent elsewhere).
    if (passkeys.isSuccess && !signalled.current) {
      signalled.current = true;
      void syncPasskeySignals({ accepted: true, userDetails: true });
    }
  }, [passkeys.data, passkeys.isSuccess]);

  const t = useT();
  const addOutcome = add.isError ? registrationCeremonyOutcome(add.error) : undefined;
  const needsReauth = isApiError(add.error) && add.error.code === "reauthentication_required";
  const stepUp = isApiError(add.error) && add.error.code === "step_up_required" ? add.error : undefined;
  const reauthState: NavigationState = {
    email,
    flash: { tone: "info", message: t("passkeys.reauthFlash") },
  };

  // A deployment without passkeys answers 404.
  if (isApiError(passkeys.error) && passkeys.error.status === 404) return null;

  return (
    <section className="passkeys" aria-labelledby="passkeys-title">
      <h2 className="section-title" id="passkeys-title" ref={titleRef} tabIndex={-1}>
        {t("passkeys.title")}
      </h2>
      <p className="section-lead">{t("passkeys.lead")}</p>

      {passkeys.isPending ? <LoadingBlock label={t("passkeys.loading")} /> : null}
      {passkeys.isError ? (
        <Alert tone="error" title={t("passkeys.loadFailed")}>
          <p>{describeError(passkeys.error)}</p>
        </Alert>
      ) : null}
      {passkeys.isSuccess && passkeys.data.length === 0 && lastOneRemoved ? (
        <Alert tone="info" title={t("passkeys.noneNowTitle")}>
          <p>
            <Msg id="passkeys.noneNow" values={{ email: <strong>{email}</strong> }} />
          </p>
        </Alert>
      ) : null}
      {passkeys.isSuccess && passkeys.data.length === 0 && !lastOneRemoved ? <p>{t("passkeys.noneYet")}</p> : null}
      {passkeys.isSuccess && passkeys.data.length > 0 ? (
        <ul className="passkey-list">
          {passkeys.data.map((passkey) => (
            <PasskeyItem key={passkey.id} passkey={passkey} />
          ))}
        </ul>
      ) : null}

      {add.isSuccess ? <Alert tone="success">{t("passkeys.added", { name: add.data.name })}</Alert> : null}
      {stepUp ? (
        <StepUpPrompt headingLevel={3} passkeyAvailable={stepUp.passkeyAvailable === true} onProved={() => add.mutate()} />
      ) : needsReauth ? (
        <Alert tone="info" title={t("passkeys.reauthTitle")}>
          <p>
            <Msg
              id="passkeys.reauth"
              values={{
                link: (
                  <Link to={paths.signIn} state={reauthState} onClick={() => rememberResume("add-passkey")}>
                    {t("passkeys.reauthLink")}
                  </Link>
                ),
              }}
            />
          </p>
        </Alert>
      ) : addOutcome === "cancelled" ? (
        <Alert tone="info">{t("passkeys.cancelled")}</Alert>
      ) : addOutcome === "already_registered" ? (
        <Alert tone="info">{t("passkeys.alreadyRegistered")}</Alert>
      ) : addOutcome === "failed" ? (
        <Alert tone="error">{describeError(add.error)}</Alert>
      ) : null}

      {stepUp ? null : supported ? (
        <Button variant="secondary" onClick={() => add.mutate()} loading={add.isPending} loadingText={t("passkeys.waitingForDevice")}>
          {t("passkeys.add")}
        </Button>
      ) : (
        <p className="field-hint">{t("passkeys.unsupported")}</p>
      )}
    </section>
  );
}
